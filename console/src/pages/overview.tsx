/** The graph at a glance: headline counts, profile sizes, merges per rule, over-merge suspects, the trend. */
import { api } from '../api';
import { ChartView } from '../chart';
import { Card, ErrorNote, fmt, Loading, useLoad } from '../ui';

interface Stats {
  commit: number;
  records: number;
  profiles: number;
  sharedIdentifiers: number;
  sizeDistribution: Record<string, number>;
  mergesPerRule: Record<string, number>;
  largestProfiles: { profileId: string; records: number }[];
  openReviewItems: number;
}
interface Identifiers {
  identifiers: number;
  byType: Record<string, number>;
}
interface Trend {
  days: { day: string; created: number; recordsAdded: number; merges: number; splits: number; decisions: number }[];
}
interface Conflicts {
  profiles: number;
  byField: Record<string, number>;
  top: { profileId: string; records: number; fields: Record<string, number> }[];
}

export function OverviewPage({ canReadProfiles }: { canReadProfiles: boolean }) {
  const loaded = useLoad(
    () =>
      Promise.all([
        api.get<Stats>('/stats'),
        api.get<Identifiers>('/stats/identifiers'),
        api.get<Trend>('/stats/trend'),
        api.get<Conflicts>('/stats/conflicts'),
      ]),
    [],
  );
  const profileLink = (id: string) =>
    canReadProfiles ? <a href={`#/profile/${encodeURIComponent(id)}`}>{id}</a> : <code>{id}</code>;
  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!loaded.data) return <Loading what="the overview" />;
  const [stats, identifiers, trend, conflicts] = loaded.data;
  const rules = Object.entries(stats.mergesPerRule).sort(([, a], [, b]) => b - a);
  return (
    <>
      <h1>Overview</h1>
      <p class="muted">As of commit {stats.commit}.</p>
      <div class="figures">
        <Figure label="Profiles" value={stats.profiles} />
        <Figure label="Records" value={stats.records} />
        <Figure label="Identifiers" value={identifiers.identifiers} />
        <Figure label="Shared values detected" value={stats.sharedIdentifiers} />
        <Figure label="Profiles with conflicting names or birth dates" value={conflicts.profiles} />
        <Figure
          label="Pairs to review"
          value={stats.openReviewItems}
          {...(canReadProfiles ? { href: '#/review' } : {})}
        />
      </div>
      <div class="grid">
        <Card title="Profile sizes (records per profile)">
          <ChartView
            title="Profiles by number of records"
            labels={Object.keys(stats.sizeDistribution)}
            series={[{ label: 'Profiles', values: Object.values(stats.sizeDistribution) }]}
          />
        </Card>
        <Card title="Merges per rule">
          <ChartView
            title="Merge evidence per rule"
            labels={rules.map(([rule]) => rule)}
            series={[{ label: 'Merges', values: rules.map(([, count]) => count) }]}
            horizontal
          />
        </Card>
        <Card title="Merges and splits over time" wide>
          {trend.days.length === 0 ? (
            <p>No events yet.</p>
          ) : (
            <ChartView
              title="Events per day"
              labels={trend.days.map((day) => day.day)}
              series={[
                { label: 'Records joining a profile', values: trend.days.map((day) => day.recordsAdded) },
                { label: 'Profiles merged', values: trend.days.map((day) => day.merges) },
                { label: 'Splits', values: trend.days.map((day) => day.splits) },
                { label: 'Manual decisions', values: trend.days.map((day) => day.decisions) },
              ]}
            />
          )}
        </Card>
        <Card title="Over-merge suspects: largest profiles">
          <table>
            <thead>
              <tr>
                <th scope="col">Profile</th>
                <th scope="col">Records</th>
              </tr>
            </thead>
            <tbody>
              {stats.largestProfiles.map((profile) => (
                <tr key={profile.profileId}>
                  <td>{profileLink(profile.profileId)}</td>
                  <td class="num">{fmt(profile.records)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
        <Card title="Over-merge suspects: conflicting names or birth dates">
          <p class="muted">
            {Object.entries(conflicts.byField)
              .map(([field, count]) => `${field}: ${fmt(count)}`)
              .join(' · ')}
          </p>
          {conflicts.top.length === 0 ? (
            <p>No profile holds two names or birth dates.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Profile</th>
                  <th scope="col">Records</th>
                  <th scope="col">Distinct values</th>
                </tr>
              </thead>
              <tbody>
                {conflicts.top.map((profile) => (
                  <tr key={profile.profileId}>
                    <td>{profileLink(profile.profileId)}</td>
                    <td class="num">{fmt(profile.records)}</td>
                    <td>
                      {Object.entries(profile.fields)
                        .map(([field, count]) => `${field} ×${count}`)
                        .join(', ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
        <Card title="Identifiers per type">
          <table>
            <tbody>
              {Object.entries(identifiers.byType).map(([type, count]) => (
                <tr key={type}>
                  <th scope="row">{type}</th>
                  <td class="num">{fmt(count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      </div>
    </>
  );
}

function Figure({ label, value, href }: { label: string; value: number; href?: string }) {
  return (
    <div class="figure">
      <span class="value">{fmt(value)}</span>
      <span class="label">{href ? <a href={href}>{label}</a> : label}</span>
    </div>
  );
}
