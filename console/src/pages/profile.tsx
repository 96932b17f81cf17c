/**
 * One person: find a profile by any identifier, see its golden record with where each value came
 * from, its graph, its history, and act on it (unmerge, split, link, never-link) with the actor recorded.
 */
import { useState } from 'preact/hooks';
import { api, enc } from '../api';
import type { Route } from '../route';
import { go } from '../route';
import { Card, ErrorNote, Loading, useLoad } from '../ui';
import { Decisions, WhyNotTogether } from './profile-actions';
import { ProfileGraph } from './profile-graph';
import { History } from './profile-history';
import { ProfileSearch } from './profile-search';
import type { Profile, ProfileEvent } from './profile-types';

export function ProfilePage({ route, canWrite }: { route: Route; canWrite: boolean }) {
  const id = route.params[0];
  const at = route.query.get('at') ?? '';
  return (
    <>
      <h1>Profiles</h1>
      <ProfileSearch />
      {id ? <ProfileView key={`${id}@${at}`} id={id} at={at} canWrite={canWrite} /> : <WhyNotTogether />}
    </>
  );
}

function ProfileView({ id, at, canWrite }: { id: string; at: string; canWrite: boolean }) {
  const [version, setVersion] = useState(0);
  const loaded = useLoad(
    () =>
      Promise.all([
        api.get<Profile>(`/profiles/${enc(id)}${at ? `?at=${enc(at)}` : ''}`),
        api.get<{ events: ProfileEvent[] }>(`/profiles/${enc(id)}/history`),
      ]),
    [id, at, version],
  );
  const changed = () => setVersion((n) => n + 1);
  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!loaded.data) return <Loading what="the profile" />;
  const [profile, { events }] = loaded.data;
  if (!at && profile.profileId !== id) go(`profile/${enc(profile.profileId)}`);
  return (
    <article aria-label={`Profile ${profile.profileId}`}>
      <h2 class="profile-id">
        Profile <code>{profile.profileId}</code>
      </h2>
      {profile.mergedFrom && (
        <p class="notice">
          <code>{profile.mergedFrom}</code> was merged into this profile.
        </p>
      )}
      <AsOf id={profile.profileId} at={at} />
      <div class="grid">
        <Card title="Golden record">
          <table>
            <thead>
              <tr>
                <th scope="col">Attribute</th>
                <th scope="col">Value</th>
                <th scope="col">From record</th>
                <th scope="col">Agreeing / other values</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(profile.attributes).map(([name, attribute]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td>{attribute.value}</td>
                  <td>
                    <code>{attribute.from}</code>
                  </td>
                  <td class={attribute.alternatives > 0 ? 'warn' : ''}>
                    {attribute.agreeing} / {attribute.alternatives}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
        <Card title={`Identifiers (${profile.identifiers.length})`}>
          <table>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Value</th>
                <th scope="col">Records</th>
              </tr>
            </thead>
            <tbody>
              {profile.identifiers.map((identifier) => (
                <tr key={`${identifier.type}:${identifier.value}`}>
                  <th scope="row">{identifier.type}</th>
                  <td>{identifier.value}</td>
                  <td>{identifier.records.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
        <Card title={`Records and evidence (${profile.records.length} records)`} wide>
          <ProfileGraph profile={profile} />
        </Card>
        <Card title="History" wide>
          <History events={events} canWrite={canWrite && !at} onChanged={changed} />
        </Card>
        {canWrite && !at && (
          <Card title="Decisions" wide>
            <Decisions profile={profile} onChanged={changed} />
          </Card>
        )}
        <Card title="Why not together?" wide>
          <WhyNotTogether first={profile.records[0]} />
        </Card>
      </div>
    </article>
  );
}

function AsOf({ id, at }: { id: string; at: string }) {
  const [value, setValue] = useState(at ? at.slice(0, 16) : '');
  return (
    <form
      class="inline"
      onSubmit={(event) => {
        event.preventDefault();
        go(value ? `profile/${enc(id)}?at=${enc(new Date(`${value}Z`).toISOString())}` : `profile/${enc(id)}`);
      }}
    >
      <label for="as-of">As of (UTC)</label>
      <input id="as-of" type="datetime-local" value={value} onInput={(event) => setValue(event.currentTarget.value)} />
      <button type="submit">Show</button>
      {at && (
        <>
          <span class="notice">Shown as it was at {at}.</span>
          <a href={`#/profile/${enc(id)}`}>Now</a>
        </>
      )}
    </form>
  );
}
