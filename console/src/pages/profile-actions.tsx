/**
 * Manual decisions from the profile page (split, link, never-link; unmerge is on the timeline) and
 * "why not together" for two records. Every decision carries the actor typed under "Acting as".
 */
import { useState } from 'preact/hooks';
import { api } from '../api';
import { session } from '../session';
import { ErrorNote } from '../ui';
import { type ApartReason, describeApart } from './apart-reasons';
import type { Edge, Profile } from './profile-types';

interface Summary {
  commit: number | null;
  profilesCreated: number;
  merges: number;
  splits: number;
}

export function ActorField() {
  const [actor, setActor] = useState(session.actor());
  return (
    <p class="inline">
      <label for="actor">Acting as</label>
      <input
        id="actor"
        value={actor}
        placeholder="your name"
        onInput={(event) => {
          setActor(event.currentTarget.value);
          session.setActor(event.currentTarget.value.trim());
        }}
      />
      <span class="muted">recorded on every decision you make here</span>
    </p>
  );
}

function useDecision(onChanged: () => void) {
  const [error, setError] = useState<Error | undefined>();
  const [done, setDone] = useState('');
  const decide = async (decision: object, note: string) => {
    setError(undefined);
    setDone('');
    const actor = session.actor();
    if (!actor) return setError(new Error('enter your name under "Acting as" first; it is recorded on the event'));
    try {
      const summary = await api.post<Summary>('/decisions', { decision, actor, ...(note ? { note } : {}) });
      setDone(`Done (commit ${summary.commit ?? 'none'}): ${summary.merges} merge(s), ${summary.splits} split(s).`);
      onChanged();
    } catch (failure) {
      setError(failure as Error);
    }
  };
  return { error, done, decide };
}

export function Decisions({ profile, onChanged }: { profile: Profile; onChanged: () => void }) {
  const { error, done, decide } = useDecision(onChanged);
  const [picked, setPicked] = useState<string[]>([]);
  const [a, setA] = useState(profile.records[0] ?? '');
  const [b, setB] = useState('');
  const [note, setNote] = useState('');
  return (
    <div class="decisions">
      <ActorField />
      <p class="inline">
        <label for="decision-note">Note (no personal data)</label>
        <input id="decision-note" value={note} onInput={(event) => setNote(event.currentTarget.value)} />
      </p>
      <fieldset>
        <legend>Split: move the chosen records into a profile of their own</legend>
        <div class="checks">
          {profile.records.slice(0, 200).map((ref) => (
            <label key={ref}>
              <input
                type="checkbox"
                checked={picked.includes(ref)}
                onChange={(event) =>
                  setPicked(event.currentTarget.checked ? [...picked, ref] : picked.filter((one) => one !== ref))
                }
              />{' '}
              {ref}
            </label>
          ))}
        </div>
        <button
          type="button"
          disabled={picked.length === 0 || picked.length === profile.records.length}
          onClick={() => decide({ kind: 'split', profileId: profile.profileId, records: picked }, note)}
        >
          Split {picked.length} record(s) off
        </button>
      </fieldset>
      <fieldset>
        <legend>Link or keep apart two records</legend>
        <label for="pair-a">Record A</label>
        <input id="pair-a" value={a} onInput={(event) => setA(event.currentTarget.value)} placeholder="source:id" />
        <label for="pair-b">Record B</label>
        <input id="pair-b" value={b} onInput={(event) => setB(event.currentTarget.value)} placeholder="source:id" />
        <button type="button" disabled={!a || !b} onClick={() => decide({ kind: 'link', a, b }, note)}>
          Link
        </button>
        <button type="button" disabled={!a || !b} onClick={() => decide({ kind: 'never_link', a, b }, note)}>
          Never link
        </button>
      </fieldset>
      {done && <p role="status">{done}</p>}
      <ErrorNote error={error} />
    </div>
  );
}

export function WhyNotTogether({ first = '' }: { first?: string | undefined }) {
  const [a, setA] = useState(first);
  const [b, setB] = useState('');
  const [answer, setAnswer] = useState<
    { sameProfile: boolean; profileId: string | null; path: Edge[]; apart: ApartReason[] } | undefined
  >();
  const [asked, setAsked] = useState<readonly [string, string]>(['', '']);
  const [error, setError] = useState<Error | undefined>();
  const explain = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setAnswer(undefined);
    try {
      setAsked([a.trim(), b.trim()]);
      setAnswer(await api.post('/explain', { a: a.trim(), b: b.trim() }));
    } catch (failure) {
      setError(failure as Error);
    }
  };
  return (
    <form class="why" onSubmit={explain} aria-label="Why together or not">
      <label for="why-a">Record A</label>
      <input id="why-a" required value={a} onInput={(event) => setA(event.currentTarget.value)} placeholder="crm:C1" />
      <label for="why-b">Record B</label>
      <input id="why-b" required value={b} onInput={(event) => setB(event.currentTarget.value)} placeholder="web:S9" />
      <button type="submit">Explain</button>
      <ErrorNote error={error} />
      {answer && !answer.sameProfile && (
        <div role="status">
          <p>Not together: the two records are in different profiles. What kept them apart:</p>
          <ul class="apart">
            {answer.apart.map((reason) => (
              <li key={JSON.stringify(reason)}>{describeApart(reason, asked)}</li>
            ))}
          </ul>
        </div>
      )}
      {answer?.sameProfile && (
        <div role="status">
          <p>
            Together in <a href={`#/profile/${encodeURIComponent(answer.profileId ?? '')}`}>{answer.profileId}</a>,
            through {answer.path.length} step(s):
          </p>
          <ol>
            {answer.path.map((edge) => (
              <li key={`${edge.a}-${edge.b}`}>
                {edge.a} → {edge.b} by <strong>{edge.rule}</strong>
                {edge.score !== undefined && ` (score ${edge.score.toFixed(2)})`}:{' '}
                {edge.evidence.map((item) => `${item.field} ${item.values.join(' = ')}`).join('; ')}
              </li>
            ))}
          </ol>
        </div>
      )}
    </form>
  );
}
