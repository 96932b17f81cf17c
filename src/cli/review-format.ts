/** Review items as text, for `idgraph review` (the JSON forms are the query answers as they are). */
import type { ReviewItem } from '../core/review/review-item.js';
import type { ReviewList, ReviewView } from '../queries/review.js';

/** What was found, in a few words: "score 7 of 8", "refused: guard_conflict on first_name". */
export function findingText(item: ReviewItem): string {
  if (item.kind === 'score_band') return `score ${item.score} below ${item.threshold}`;
  const on = item.field ? ` on ${item.field}` : '';
  const score = item.score === undefined ? '' : ` (score ${item.score})`;
  return `refused: ${item.reason}${on}${score}`;
}

export function formatList(list: ReviewList, status: string): string {
  const lines: string[] = [];
  const last = list.offset + list.items.length;
  const range = list.items.length === 0 ? 'none shown' : `${list.offset + 1}-${last} shown`;
  lines.push(`${list.total} ${status} review item(s), ${range}`);
  for (const item of list.items) {
    const decided = item.decision ? `  ${item.decision.action} by ${item.decision.actor}` : '';
    lines.push(`${item.id}  ${item.a}  ${item.b}  ${item.rule}  ${findingText(item)}${decided}`);
  }
  if (last < list.total) lines.push(`(more: --offset ${last})`);
  return `${lines.join('\n')}\n`;
}

export function formatView(view: ReviewView): string {
  const { item, records, fields, scoring } = view;
  const [a, b] = records;
  const lines = [
    `${item.id}  ${item.status}  ${item.rule}  ${findingText(item)}`,
    `found in commit ${item.createdCommit} (${item.createdAt}), last changed in commit ${item.updatedCommit}`,
  ];
  if (item.conflict) {
    const holder = item.conflict.side === 'a' ? a.ref : b.ref;
    lines.push(
      `guard: ${item.field} ${item.conflict.value} on ${holder}'s side agrees with none of ${item.conflict.others.join(', ')}`,
    );
  }
  if (item.decision) {
    const note = item.decision.note ? ` (${item.decision.note})` : '';
    lines.push(`decided: ${item.decision.action} by ${item.decision.actor} at ${item.decision.at}${note}`);
  }
  const rows: string[][] = [
    ['', a.ref, b.ref, ''],
    ['profile', a.profileId ?? '-', b.profileId ?? '-', ''],
    ['seen', a.seen ?? '-', b.seen ?? '-', ''],
    ...fields.map((field) => [
      `${field.field}${field.inRule ? ' *' : ''}`,
      field.a.join(', ') || '-',
      field.b.join(', ') || '-',
      field.agree === null ? '' : field.agree ? 'same' : 'differs',
    ]),
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => (row[column] as string).length)));
  lines.push('');
  for (const row of rows) {
    lines.push(
      row
        .map((cell, column) => (column < 3 ? cell.padEnd(widths[column] as number) : cell))
        .join('  ')
        .trimEnd(),
    );
  }
  lines.push(`(* read by rule ${item.rule})`);
  if (scoring) {
    lines.push('', `${scoring.rule} scores the pair ${scoring.score} now (merges from ${scoring.threshold}):`);
    for (const evidence of scoring.evidence) {
      lines.push(`  ${evidence.field}: ${evidence.values.join(' / ')} -> ${evidence.weight}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
