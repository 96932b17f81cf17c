import type { Command } from 'commander';
import { Option } from 'commander';
import { createNormalizer, NORMALIZER_KINDS, type NormalizerKind } from '../../core/normalize/normalizers.js';
import type { CliIo } from '../io.js';
import { CliError } from '../io.js';

interface NormalizeFlags {
  country?: string;
  dateOrder?: 'DMY' | 'MDY';
}

export function registerNormalizeCommand(program: Command, io: CliIo): void {
  program
    .command('normalize')
    .description('Normalize one value and print the canonical value and matching key, or the reason it is refused.')
    .addArgument(program.createArgument('<type>', 'normalizer').choices(NORMALIZER_KINDS))
    .argument('<value>', 'the raw value')
    .option('--country <cc>', 'default country (ISO-2 or a name) for phones, postal codes and dates')
    .addOption(new Option('--date-order <order>', 'order of ambiguous dates').choices(['DMY', 'MDY']))
    .addHelpText(
      'after',
      [
        '',
        'Prints one JSON line: {"type","ok":true,"value","key"} or {"type","ok":false,"reason"}.',
        'Exit code 0 when the value is accepted, 1 when it is refused.',
        '',
        'Examples:',
        '  idgraph normalize email " J.Doe+news@GoogleMail.com "',
        '  idgraph normalize phone "020 7183 8750" --country GB',
        '  idgraph normalize device_id 00000000-0000-0000-0000-000000000000',
      ].join('\n'),
    )
    .action((type: NormalizerKind, value: string, options: NormalizeFlags) => {
      let country: string | undefined;
      if (options.country) {
        const resolved = createNormalizer('country')(options.country);
        if (!resolved.ok) throw new CliError(`unknown country "${options.country}"`, 2);
        country = resolved.value;
      }
      const result = createNormalizer(type)(value, {
        ...(country ? { country } : {}),
        ...(options.dateOrder ? { dateOrder: options.dateOrder } : {}),
      });
      io.out(
        `${JSON.stringify(result.ok ? { type, ok: true, value: result.value, key: result.key } : { type, ok: false, reason: result.reason })}\n`,
      );
      if (!result.ok) throw new CliError('', 1);
    });
}
