/**
 * `idgraph review list|show|decide`: the review queue, pairs of records kept apart that a data
 * steward links or keeps apart (see src/queries/review.ts and Engine.decideReview).
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { ReviewKind } from '../../core/resolve/review-candidates.js';
import type { ReviewAction, ReviewStatus } from '../../core/review/review-item.js';
import { listReview, REVIEW_PAGE_DEFAULT, REVIEW_PAGE_MAX, showReview } from '../../queries/review.js';
import { defaultActor, withEngine } from '../engine-session.js';
import type { CliIo } from '../io.js';
import { parseNonNegativeInt } from '../options.js';
import { formatList, formatView } from '../review-format.js';
import { type ReadFlags, withReadOptions } from './read-options.js';

type Flags = ReadFlags;

/** An open item of the demo data (`npm start`, `idgraph quickstart`): the help's examples use it. */
const DEMO_ITEM = 'r_6eca6956f182d5ef0af2';

function parseLimit(value: string): number {
  const limit = parseNonNegativeInt(value);
  if (limit < 1 || limit > REVIEW_PAGE_MAX) throw new InvalidArgumentError(`must be 1 to ${REVIEW_PAGE_MAX}`);
  return limit;
}

function parseAction(value: string): ReviewAction {
  const action = value.replace('-', '_');
  if (action !== 'link' && action !== 'keep_apart') throw new InvalidArgumentError('must be link or keep-apart');
  return action;
}

export function registerReviewCommands(program: Command, io: CliIo): void {
  const review = program
    .command('review')
    .description('The review queue: pairs of records kept apart that a data steward links or keeps apart.')
    .addHelpText(
      'after',
      [
        '',
        'Items come from resolution: pairs a fuzzy rule scores in its review band (review_from up to',
        'min_score), and merges a rule proposed that a guard, a never-merge field, an identifier limit,',
        'the profile size cap or a shared value refused. One item per pair of profiles; a commit that',
        'changes their records finds them again. Deciding records a link or a never-link with your name.',
      ].join('\n'),
    );

  withReadOptions(
    review
      .command('list')
      .description('Review items, oldest first: ID, the two records, the rule and what it found (no record values).')
      .addOption(
        new Option('--status <status>', 'open, decided or all').choices(['open', 'decided', 'all']).default('open'),
      )
      .option('--rule <id>', 'only items of this rule')
      .addOption(new Option('--kind <kind>', 'only this kind').choices(['score_band', 'refused']))
      .option('--limit <n>', `items per page, 1 to ${REVIEW_PAGE_MAX}`, parseLimit, REVIEW_PAGE_DEFAULT)
      .option('--offset <n>', 'items to skip', parseNonNegativeInt, 0)
      .addHelpText(
        'after',
        '\nExamples (demo data):\n  idgraph review list --limit 5\n  idgraph review list --kind refused --json',
      ),
  ).action(
    async (
      options: Flags & {
        status: ReviewStatus | 'all';
        rule?: string;
        kind?: ReviewKind;
        limit: number;
        offset: number;
      },
    ) => {
      await withEngine(
        options,
        io,
        async (_engine, store) => {
          const list = await listReview(store, {
            ...(options.status === 'all' ? {} : { status: options.status }),
            ...(options.rule ? { rule: options.rule } : {}),
            ...(options.kind ? { kind: options.kind } : {}),
            offset: options.offset,
            limit: options.limit,
          });
          io.out(options.json ? `${JSON.stringify(list)}\n` : formatList(list, options.status));
        },
        'read',
      );
    },
  );

  withReadOptions(
    review
      .command('show')
      .description("A review item with its two records side by side: each field's values and whether they agree.")
      .argument('<id>', 'review item ID, e.g. r_0123456789abcdef0123')
      .addHelpText('after', `\nExample (demo data):\n  idgraph review show ${DEMO_ITEM}`),
  ).action(async (id: string, options: Flags) => {
    await withEngine(
      options,
      io,
      async (engine, store, rules) => {
        const view = await showReview(store, rules, id, () => engine.termFrequencies());
        io.out(options.json ? `${JSON.stringify(view)}\n` : formatView(view));
      },
      'read',
    );
  });

  withReadOptions(
    review
      .command('decide')
      .description(
        'Decide a review item: link its two records, or keep them apart for good (a manual decision that survives re-runs).',
      )
      .argument('<id>', 'review item ID')
      .argument('<action>', 'link or keep-apart', parseAction)
      .option('--actor <name>', 'who decides (default: user:$USER)')
      .option('--note <text>', 'why, for the history (no personal data)')
      .addHelpText(
        'after',
        `\nExample (demo data):\n  idgraph review decide ${DEMO_ITEM} keep-apart --note "two people"`,
      ),
  ).action(async (id: string, action: ReviewAction, options: Flags & { actor?: string; note?: string }) => {
    await withEngine(options, io, async (engine) => {
      const actor = options.actor ?? defaultActor(io);
      const result = await engine.decideReview(id, action, { actor, ...(options.note ? { note: options.note } : {}) });
      if (options.json) io.out(`${JSON.stringify(result)}\n`);
      else
        io.out(
          `${id} decided: ${action} by ${actor} (commit ${result.commit}: ${result.merges} merge(s), ${result.splits} split(s))\n`,
        );
    });
  });
}
