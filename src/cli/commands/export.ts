import type { Command } from 'commander';
import { goldenRecord } from '../../core/profile/golden-record.js';
import { splitRecordRef } from '../../core/resolve/types.js';
import { withEngine, withStore } from '../engine-session.js';
import type { CliIo } from '../io.js';

interface StoreFlags {
  store?: string;
  rules?: string;
}

export function registerExportCommands(program: Command, io: CliIo): void {
  const exportCommand = program.command('export').description('Write the resolved graph to standard output.');

  exportCommand
    .command('records')
    .description('CSV of every record and its profile: source,record_id,profile_id')
    .option('--store <spec>', 'embedded store folder or neo4j:// URI')
    .action(async (options: StoreFlags) => {
      await withStore(
        options,
        io,
        async (store) => {
          io.out('source,record_id,profile_id\n');
          const refs: string[] = [];
          for await (const record of store.records()) refs.push(record.ref);
          const profileOf = await store.profileIdsOf(refs);
          for (const ref of refs) {
            const { source, recordId } = splitRecordRef(ref);
            io.out(`${csvField(source)},${csvField(recordId)},${profileOf.get(ref) ?? ''}\n`);
          }
        },
        'read',
      );
    });

  exportCommand
    .command('profiles')
    .description('NDJSON, one profile a line: identifiers, golden attributes and record references')
    .option('--store <spec>', 'embedded store folder or neo4j:// URI')
    .option('--rules <file>', 'rules for survivorship (default: the rules stored with the graph)')
    .action(async (options: StoreFlags) => {
      await withEngine(
        options,
        io,
        async (engine, store) => {
          for await (const profile of store.profiles()) {
            const records = [...(await store.getRecords(profile.records)).values()];
            const golden = goldenRecord(records, engine.rulesInUse.file);
            io.out(
              `${JSON.stringify({
                profile_id: profile.id,
                records: profile.records.map((ref) => {
                  const { source, recordId } = splitRecordRef(ref);
                  return { source, record_id: recordId };
                }),
                identifiers: golden.identifiers.map(({ type, value, records: holders }) => ({
                  type,
                  value,
                  records: holders.length,
                })),
                attributes: Object.fromEntries(Object.entries(golden.attributes).map(([name, a]) => [name, a.value])),
              })}\n`,
            );
          }
        },
        'read',
      );
    });
}

/** RFC 4180 quoting when a value needs it. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
