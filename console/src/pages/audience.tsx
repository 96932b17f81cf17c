/**
 * One audience: its preview in people and the match-rate report for a destination, drawn as the
 * funnel, coverage per key before and after resolution, invalid values by reason, the expected
 * matched range and the ranked fixes; and the destination's upload file to download.
 */
import { useState } from 'preact/hooks';
import { ApiFailure, api, enc } from '../api';
import { ChartView } from '../chart';
import { Card, ErrorNote, fmt, Loading, pct, useLoad } from '../ui';
import type { AudienceDefinition, Preview } from './audiences';
import { PreviewTable } from './audiences';
import { type RunProgress, useReportRun } from './report-run';
import type { MatchReport } from './report-types';

interface Segment {
  conditions: { kind: string; [field: string]: unknown }[];
  audit: { at: string; actor: string; action: string }[];
  resolvedCommit: number;
  resolvedAt: string;
}

const DESTINATIONS = [
  'meta',
  'google',
  'tiktok',
  'linkedin',
  'snapchat',
  'pinterest',
  'x',
  'the_trade_desk',
  'amazon',
] as const;

export function AudiencePage({ id }: { id: string }) {
  const [destination, setDestination] = useState<string>('meta');
  const [downloadError, setDownloadError] = useState<Error | undefined>();
  const [downloaded, setDownloaded] = useState('');
  const audience = useLoad(
    () => api.get<{ audience: AudienceDefinition; preview: Preview }>(`/audiences/${enc(id)}`),
    [id],
  );
  // A segment (built from conditions) has an audit trail and a commit it was resolved against.
  const segment = useLoad(
    () =>
      api.get<Segment>(`/segments/${enc(id)}`).catch((failure: unknown) => {
        if (failure instanceof ApiFailure && failure.status === 404) return undefined;
        throw failure;
      }),
    [id],
  );
  const report = useReportRun(id, destination);
  const download = async () => {
    setDownloadError(undefined);
    const filename = `${id}-${destination}.csv`;
    try {
      await api.download(`/audiences/${enc(id)}/export?destination=${enc(destination)}`, filename);
      setDownloaded(`Downloaded ${filename}.`);
    } catch (failure) {
      setDownloadError(failure as Error);
    }
  };
  return (
    <>
      <h1>
        Audience <code>{id}</code>
      </h1>
      <p>
        <a href="#/audiences">All audiences</a>
      </p>
      <ErrorNote error={audience.error} />
      {audience.data && (
        <p class="muted">
          {audience.data.audience.name} · created {audience.data.audience.createdAt.replace('T', ' ').slice(0, 16)}
          {audience.data.audience.suppress.length > 0 && ` · suppresses ${audience.data.audience.suppress.join(', ')}`}
        </p>
      )}
      {segment.data && <SegmentInfo segment={segment.data} />}
      <form class="inline" onSubmit={(event) => event.preventDefault()}>
        <label for="destination">Destination</label>
        <select id="destination" value={destination} onChange={(event) => setDestination(event.currentTarget.value)}>
          {DESTINATIONS.map((one) => (
            <option key={one} value={one}>
              {one}
            </option>
          ))}
        </select>
        <button type="button" onClick={download}>
          Download the upload file (CSV)
        </button>
        {downloaded && <span role="status">{downloaded}</span>}
      </form>
      <ErrorNote error={downloadError} />
      <div class="grid">
        {audience.data && (
          <Card title="Preview in people">
            <PreviewTable preview={audience.data.preview} />
          </Card>
        )}
        {report.error && <ErrorNote error={report.error} />}
        {!report.report && !report.error && <ReportProgress progress={report.progress} />}
        {report.report && <Report report={report.report} />}
      </div>
    </>
  );
}

/** How far the report has come: member rows resolved, then the people they make evaluated. */
function ReportProgress({ progress }: { progress: RunProgress | undefined }) {
  if (!progress || progress.total === 0) return <Loading what="the report (it resolves every member)" />;
  const what = progress.step === 'members' ? 'Resolving member rows' : 'Evaluating people (by their member rows)';
  return (
    <Card title="Report in progress">
      <label for="report-progress">
        {what}: {fmt(progress.done)} of {fmt(progress.total)}
      </label>
      <progress id="report-progress" max={progress.total} value={progress.done} />
    </Card>
  );
}

function Report({ report }: { report: MatchReport }) {
  const { funnel, expectedMatch } = report;
  const steps: [string, number][] = [
    ['Rows', funnel.audienceRows],
    ['Rows usable', funnel.audienceRows - funnel.rowsRejected - funnel.rowsNotFound],
    ['People after resolution', funnel.profilesAfterResolution],
    ['People after suppression', funnel.profilesAfterResolution - funnel.profilesExcluded.suppressed],
    ['Sendable (a key the platform takes)', funnel.profilesSendable],
    ['Expected matched (mid)', expectedMatch.mid],
  ];
  // Keys nobody in the audience has, before or after, would only be empty bars.
  const coverage = report.identifierCoverage.filter((row) => row.profilesBefore > 0 || row.profilesAfter > 0);
  const reasons = [...report.invalid.map((one) => [`${one.field}: ${one.reason}`, one.count] as [string, number])];
  for (const junk of report.junk) reasons.push([`${junk.field}: junk (${junk.rule})`, junk.count]);
  return (
    <>
      <Card title={`Funnel in people for ${report.destination.name}`}>
        <ChartView
          title="Funnel in people"
          horizontal
          labels={steps.map(([label]) => label)}
          series={[{ label: 'People', values: steps.map(([, value]) => value) }]}
        />
        <p class="muted">
          Resolved against commit {report.graph.lastCommit} at {report.graph.resolvedAt.replace('T', ' ').slice(0, 19)}.
        </p>
      </Card>
      <Card title="Coverage per key, before and after resolution">
        <ChartView
          title="People with each match key"
          labels={coverage.map((row) => row.type)}
          series={[
            { label: 'Before resolution', values: coverage.map((row) => row.profilesBefore) },
            { label: 'After resolution', values: coverage.map((row) => row.profilesAfter) },
          ]}
        />
      </Card>
      <Card title="Invalid and junk values by reason">
        {reasons.length === 0 ? (
          <p>No invalid or junk value.</p>
        ) : (
          <ChartView
            title="Values refused, by field and reason"
            horizontal
            labels={reasons.map(([label]) => label)}
            series={[{ label: 'Values', values: reasons.map(([, count]) => count) }]}
          />
        )}
      </Card>
      <Card title="Expected matched people">
        <p class="range">
          <span>{fmt(expectedMatch.low)}</span> – <strong>{fmt(expectedMatch.mid)}</strong> –{' '}
          <span>{fmt(expectedMatch.high)}</span>
        </p>
        <p class="muted">
          low – mid – high; match rate {pct(report.rates.expectedPeopleMatchRate.low)} to{' '}
          {pct(report.rates.expectedPeopleMatchRate.high)} of people. Minimum audience{' '}
          {fmt(report.rates.vsTargetingMin.min)}: {report.rates.vsTargetingMin.status.replace('_', ' ')}.
        </p>
        <details>
          <summary>How this is estimated</summary>
          <p>{expectedMatch.method}</p>
          <ul>
            {expectedMatch.assumptions.map((assumption) => (
              <li key={assumption}>{assumption}</li>
            ))}
          </ul>
        </details>
      </Card>
      <Card title="Fixes, ranked by expected gain" wide>
        {report.fixes.length === 0 ? (
          <p>Nothing to fix.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Fix</th>
                <th scope="col">People concerned</th>
                <th scope="col">Expected added matches</th>
                <th scope="col">Effort</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {report.fixes.map((fix) => (
                <tr key={fix.code}>
                  <td class="num">{fix.rank}</td>
                  <td>{fix.title}</td>
                  <td class="num">{fmt(fix.affectedProfiles)}</td>
                  <td class="num">{fmt(Math.round(fix.estAddedMatches))}</td>
                  <td>{fix.effort}</td>
                  <td>{fix.evidence}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      {report.caveats.length > 0 && (
        <Card title="Caveats" wide>
          <ul>
            {report.caveats.map((caveat) => (
              <li key={caveat}>{caveat}</li>
            ))}
          </ul>
        </Card>
      )}
    </>
  );
}

function describe(condition: Segment['conditions'][number]): string {
  switch (condition.kind) {
    case 'attribute':
      return `${condition.name} ${condition.op === 'is' ? 'is' : 'is not'} ${condition.value}`;
    case 'has':
      return `has a ${condition.type}`;
    case 'seen_within_days':
      return `seen in the last ${condition.days} days`;
    case 'in_audience':
      return `in audience ${condition.audience}`;
    default:
      return `not in audience ${condition.audience}`;
  }
}

function SegmentInfo({ segment }: { segment: Segment }) {
  return (
    <section class="card" aria-label="Built from conditions">
      <h2>Built from conditions</h2>
      <p>{segment.conditions.map(describe).join(' · ')}</p>
      <p>
        Resolved against commit <strong>{segment.resolvedCommit}</strong> at{' '}
        {segment.resolvedAt.replace('T', ' ').slice(0, 19)} (again after every change of the graph).
      </p>
      <ul class="audit" aria-label="Audit trail">
        {segment.audit.map((entry) => (
          <li key={entry.at + entry.actor}>
            {entry.action} by {entry.actor} at {entry.at.replace('T', ' ').slice(0, 19)}
          </li>
        ))}
      </ul>
    </section>
  );
}
