import type { Command } from 'commander';
import { Option } from 'commander';
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
}

export function registerSynthCommand(program: Command, io: CliIo): void {
  program
    .command('synth')
    .description('Write realistic demo data with ground truth: households, noisy formats, typos, shared devices.')
    .requiredOption('--out <dir>', 'folder for crm, web, app and orders files and truth.csv')
    .option('--people <n>', 'number of people (default 1000)', parsePositiveInt)
    .option('--records <n>', 'number of records instead of people', parsePositiveInt)
    .option('--seed <n>', 'random seed: the same seed gives the same data', (value) => Number.parseInt(value, 10), 1)
    .addOption(new Option('--format <format>', 'file format').choices(['ndjson', 'csv']).default('ndjson'))
    .addHelpText(
      'after',
      '\nExample:\n  idgraph synth --out demo --people 5000 --seed 7\n' +
        '  idgraph ingest --rules rules/default.yaml --source crm demo/crm.ndjson\n\n' +
        'truth.csv (source,record_id,person_id) says which records are the same person.',
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
          ...(options.people !== undefined ? { people: options.people } : {}),
          ...(options.records !== undefined ? { records: options.records } : {}),
        },
        options.format,
      );
      io.out(
        `${summary.records} records (crm ${summary.perSource.crm}, web ${summary.perSource.web}, app ${summary.perSource.app}, orders ${summary.perSource.orders}) ` +
          `for ${summary.people} people in ${summary.households} households -> ${options.out}\n`,
      );
    });
}
