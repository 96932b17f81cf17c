import type { Command } from 'commander';
import { exportedProfiles, recordRows } from '../../queries/export.js';
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
          for await (const { source, recordId, profileId } of recordRows(store)) {
            io.out(`${csvField(source)},${csvField(recordId)},${profileId ?? ''}\n`);
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
        async (_engine, store, rules) => {
          for await (const profile of exportedProfiles(store, rules)) io.out(`${JSON.stringify(profile)}\n`);
        },
        'read',
      );
    });
}

/** RFC 4180 quoting when a value needs it. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
