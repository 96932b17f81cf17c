import type { Command } from 'commander';
import { Option } from 'commander';
import { DESTINATIONS, isDestinationId } from '../../core/destinations/catalog.js';
import { DESTINATION_IDS } from '../../core/destinations/destination-profile.js';
import { fieldForTypeName } from '../../core/destinations/field-for-type.js';
import { normalizeForDestination } from '../../core/destinations/normalize-for-destination.js';
import { DESTINATION_FIELDS } from '../../core/destinations/types.js';
import { createNormalizer, NORMALIZER_KINDS, type NormalizerKind } from '../../core/normalize/normalizers.js';
import type { CliIo } from '../io.js';
import { CliError } from '../io.js';

interface NormalizeFlags {
  country?: string;
  dateOrder?: 'DMY' | 'MDY';
  destination?: string;
}

const TYPES = [...new Set<string>([...NORMALIZER_KINDS, ...DESTINATION_FIELDS])];

export function registerNormalizeCommand(program: Command, io: CliIo): void {
  program
    .command('normalize')
    .description('Normalize one value and print the canonical value and matching key, or the reason it is refused.')
    .addArgument(program.createArgument('<type>', 'normalizer').choices(TYPES))
    .argument('<value>', 'the raw value')
    .option('--country <cc>', 'default country (ISO-2 or a name) for phones, postal codes and dates')
    .addOption(new Option('--date-order <order>', 'order of ambiguous dates').choices(['DMY', 'MDY']))
    .addOption(
      new Option('--destination <name>', 'normalize and hash the way this ad platform wants it').choices(
        DESTINATION_IDS,
      ),
    )
    .addHelpText(
      'after',
      [
        '',
        'Prints one JSON line: {"type","ok":true,"value","key"} or {"type","ok":false,"reason"}.',
        'With --destination: {"type","destination","field","ok":true,"normalized","hash","upload"} where',
        'upload is what the platform file carries (the hash, or the value for fields sent in clear),',
        'or {"type","destination","ok":false,"reason"}. Types may then also be destination fields',
        `(${DESTINATION_FIELDS.join(', ')}).`,
        'Exit code 0 when the value is accepted, 1 when it is refused.',
        '',
        'Examples:',
        '  idgraph normalize email " J.Doe+news@GoogleMail.com "',
        '  idgraph normalize phone "020 7183 8750" --country GB',
        '  idgraph normalize device_id 00000000-0000-0000-0000-000000000000',
        '  idgraph normalize phone "(02) 1234 5678" --destination the_trade_desk --country AU',
      ].join('\n'),
    )
    .action((type: string, value: string, options: NormalizeFlags) => {
      let country: string | undefined;
      if (options.country) {
        const resolved = createNormalizer('country')(options.country);
        if (!resolved.ok) throw new CliError(`unknown country "${options.country}"`, 2);
        country = resolved.value;
      }
      if (options.destination && isDestinationId(options.destination)) {
        printForDestination(io, type, value, options.destination, country);
        return;
      }
      if (!(NORMALIZER_KINDS as readonly string[]).includes(type)) {
        throw new CliError(
          `"${type}" is a destination field: give --destination too, or use one of ${NORMALIZER_KINDS.join(', ')}`,
          2,
        );
      }
      const result = createNormalizer(type as NormalizerKind)(value, {
        ...(country ? { country } : {}),
        ...(options.dateOrder ? { dateOrder: options.dateOrder } : {}),
        // As ingest does: a date of birth after today is refused.
        today: new Date().toISOString().slice(0, 10),
      });
      io.out(
        `${JSON.stringify(result.ok ? { type, ok: true, value: result.value, key: result.key } : { type, ok: false, reason: result.reason })}\n`,
      );
      if (!result.ok) throw new CliError('', 1);
    });
}

function printForDestination(
  io: CliIo,
  type: string,
  value: string,
  destination: keyof typeof DESTINATIONS,
  country?: string,
): void {
  const field = fieldForTypeName(type);
  const result = field
    ? normalizeForDestination(DESTINATIONS[destination], field, value, country ? { country } : {})
    : ({ ok: false, reason: 'FIELD_NOT_ACCEPTED' } as const);
  const line = result.ok
    ? {
        type,
        destination,
        field,
        ok: true,
        normalized: result.normalized,
        hash: result.hash,
        upload: result.upload,
        ...(result.prehashed ? { prehashed: true } : {}),
        ...(result.note ? { note: result.note } : {}),
      }
    : { type, destination, ok: false, reason: result.reason };
  io.out(`${JSON.stringify(line)}\n`);
  if (!result.ok) throw new CliError('', 1);
}
