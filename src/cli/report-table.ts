/** The match-rate report as a readable terminal summary (JSON is there for machines: --json). */
import type { MatchReport } from '../core/audience/report-types.js';

const n = (value: number) => value.toLocaleString('en-US');
const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

export function formatReport(report: MatchReport): string {
  const { funnel, rates, resolutionLift: lift, expectedMatch } = report;
  const lines = [
    `Audience ${report.audience.id} -> ${report.destination.name}`,
    '',
    'Funnel (people)',
    `  audience rows              ${n(funnel.audienceRows)} (${n(funnel.rowsRejected)} rejected, ${n(funnel.rowsNotFound)} not found, ${n(funnel.rowsUnresolved)} matching no profile)`,
    `  people after resolution    ${n(funnel.profilesAfterResolution)}`,
    `  suppressed                 ${n(funnel.profilesExcluded.suppressed)}`,
    `  with an accepted ID        ${n(funnel.profilesWithAnyAcceptedId)}`,
    `  no valid match key         ${n(funnel.profilesExcluded.noValidId)}`,
    `  sendable                   ${n(funnel.profilesSendable)} (${pct(rates.addressability)} addressable; ${n(funnel.rowsSent)} rows, ${n(funnel.identifiersSent)} identifiers)`,
    '',
    `Expected matches: ${n(expectedMatch.low)} / ${n(expectedMatch.mid)} / ${n(expectedMatch.high)} (low / mid / high)`,
    `  method: ${expectedMatch.method}`,
    `  minimum ${n(rates.vsTargetingMin.min)}: ${rates.vsTargetingMin.status.toUpperCase()} (${rates.vsTargetingMin.note})`,
    '',
    'Coverage per identifier (people before -> after resolution)',
    ...report.identifierCoverage
      .filter((row) => row.valuesRaw > 0 || row.profilesAfter > 0)
      .map(
        (row) =>
          `  ${row.type.padEnd(12)} ${n(row.profilesBefore).padStart(9)} -> ${n(row.profilesAfter).padStart(9)}   valid ${n(row.valuesValid)}, invalid ${n(row.valuesInvalid)}, junk ${n(row.valuesJunk)}`,
      ),
    '',
    `Resolution lift: ${n(lift.sendableBefore)} -> ${n(funnel.profilesSendable)} sendable, +${n(lift.estMatchedLift)} expected matches; ${n(lift.gainedSecondIdType)} gained a second key type, ${n(lift.multiKeyProfiles)} multi-key`,
  ];
  if (report.invalid.length > 0) {
    lines.push('', 'Invalid values');
    for (const row of report.invalid) {
      lines.push(
        `  ${row.field.padEnd(12)} ${row.reason.padEnd(28)} ${n(row.count).padStart(9)}  e.g. ${row.redactedSamples.join(', ')}`,
      );
    }
  }
  if (report.junk.length > 0) {
    lines.push('', 'Junk values');
    for (const row of report.junk)
      lines.push(`  ${row.field.padEnd(12)} ${row.rule.padEnd(28)} ${n(row.count).padStart(9)}`);
  }
  if (report.fixes.length > 0) {
    lines.push('', 'Fixes, best first');
    for (const fix of report.fixes) {
      lines.push(
        `  ${fix.rank}. ${fix.title}: +${n(fix.estAddedMatches)} matches, ${n(fix.affectedProfiles)} people, ${fix.effort} effort [${fix.code}]`,
      );
    }
  }
  lines.push('', 'Caveats', ...report.caveats.map((caveat) => `  - ${caveat}`));
  return `${lines.join('\n')}\n`;
}

/** One line per destination: the view across all of them. */
export function formatOverview(reports: readonly MatchReport[]): string {
  const header = `${'destination'.padEnd(30)} ${'sendable'.padStart(10)} ${'expected (mid)'.padStart(15)} ${'minimum'.padStart(8)}  status    top fix`;
  const rows = reports.map(
    (report) =>
      `${report.destination.name.padEnd(30)} ${n(report.funnel.profilesSendable).padStart(10)} ${n(report.expectedMatch.mid).padStart(15)} ${n(report.rates.vsTargetingMin.min).padStart(8)}  ${report.rates.vsTargetingMin.status.padEnd(8)}  ${report.fixes[0]?.code ?? '-'}`,
  );
  return `${[header, ...rows].join('\n')}\n`;
}
