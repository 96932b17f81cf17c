import type { Command } from 'commander';
import { Option } from 'commander';
import { SYNTH_SHAPES, type SynthShape } from '../../synth/generate.js';
import { type SynthFormat, writeSyntheticFiles } from '../../synth/write-files.js';
import type { CliIo } from '../io.js';
import { CliError } from '../io.js';
import { parsePositiveInt } from '../options.js';

interface SynthFlags {
  out: string;
  people?: number;
  records?: number;
  seed: number;
  format: SynthFormat;
  shape: SynthShape;
}

export function registerSynthCommand(program: Command, io: CliIo): void {
  program
    .command('synth')
    .description('Write realistic demo data with ground truth: households, noisy formats, typos, shared devices.')
    .requiredOption('--out <dir>', 'folder for one file per source and truth.csv')
    .option('--people <n>', 'number of people (default 1000)', parsePositiveInt)
    .option('--records <n>', 'number of records instead of people', parsePositiveInt)
    .option('--seed <n>', 'random seed: the same seed gives the same data', (value) => Number.parseInt(value, 10), 1)
    .addOption(new Option('--format <format>', 'file format').choices(['ndjson', 'csv']).default('ndjson'))
    .addOption(
      new Option(
        '--shape <shape>',
        'classic: crm, web, app, orders with first/last name columns; six-sources: adds pos (till receipts) and support, names in one field, nameless app installs and receipts, nicknames, work emails',
      )
        .choices(SYNTH_SHAPES)
        .default('classic'),
    )
    .addHelpText(
      'after',
      '\nExample:\n  idgraph synth --out demo --people 5000 --seed 7\n' +
        '  idgraph ingest --rules rules/default.yaml --source crm demo/crm.ndjson\n\n' +
        '  idgraph synth --out held-out --people 20000 --shape six-sources\n' +
        '  idgraph load --rules rules/examples/six-sources.yaml --store held-out-store \\\n' +
        '    crm=held-out/crm.ndjson web=held-out/web.ndjson app=held-out/app.ndjson \\\n' +
        '    pos=held-out/pos.ndjson support=held-out/support.ndjson orders=held-out/orders.ndjson\n\n' +
        'truth.csv (source,record_id,person_id) says which records are the same person; with\n' +
        '--shape six-sources a fourth column lists the traps each record carries (nameless_phone,\n' +
        'one_field_name, work_email, nickname, household), separated by |.',
    )
    .action(async (options: SynthFlags) => {
      if (options.people !== undefined && options.records !== undefined) {
        throw new CliError('give --people or --records, not both', 2);
      }
      if (!Number.isInteger(options.seed)) throw new CliError('--seed must be an integer', 2);
      const summary = await writeSyntheticFiles(
        options.out,
        {
          seed: options.seed,
          shape: options.shape,
          ...(options.people !== undefined ? { people: options.people } : {}),
          ...(options.records !== undefined ? { records: options.records } : {}),
        },
        options.format,
      );
      const perSource = Object.entries(summary.perSource)
        .filter(([, count]) => count > 0)
        .map(([source, count]) => `${source} ${count}`)
        .join(', ');
      io.out(
        `${summary.records} records (${perSource}) ` +
          `for ${summary.people} people in ${summary.households} households -> ${options.out}\n`,
      );
    });
}
