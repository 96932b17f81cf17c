/**
 * The review queue: pairs of records kept apart that a data steward links or keeps apart. The list
 * (GET /v1/review) holds no record values; an item (GET /v1/review/{id}) shows its two records side
 * by side, field by field, with the rule's score, and a write key decides it with the actor's name.
 */
import { useState } from 'preact/hooks';
import { api, enc } from '../api';
import { go } from '../route';
import { session } from '../session';
import { Card, ErrorNote, fmt, Loading, useLoad } from '../ui';
import { ActorField } from './profile-actions';

interface ReviewItem {
  id: string;
  a: string;
  b: string;
  kind: 'score_band' | 'refused';
  rule: string;
  reason?: string;
  score?: number;
  threshold?: number;
  field?: string;
  conflict?: { comparator: string; value: string; side: 'a' | 'b'; others: string[] };
  status: 'open' | 'decided';
  createdCommit: number;
  createdAt: string;
  decision?: { action: 'link' | 'keep_apart'; actor: string; at: string; note?: string };
}

interface ReviewView {
  item: ReviewItem;
  records: { ref: string; profileId: string | null; seen: string | null }[];
  fields: { field: string; a: string[]; b: string[]; agree: boolean | null; inRule: boolean }[];
  scoring?: {
    rule: string;
    score: number;
    threshold: number;
    reviewFrom?: number;
    evidence: { field: string; values: string[]; weight?: number }[];
  };
}

const PAGE = 25;

/** What resolution found, in words. */
function finding(item: ReviewItem): string {
  if (item.kind === 'score_band') return `scores ${item.score} of the ${item.threshold} a merge needs`;
  const reasons: Record<string, string> = {
    guard_conflict: `a guard on ${item.field} refused the merge`,
    identifier_limit: 'an identifier limit refused the merge',
    profile_size_cap: 'the profile size cap refused the merge',
    conflicting_value: 'a never-merge field disagrees',
    shared_value: `it agrees only through a shared ${item.field}`,
  };
  return reasons[item.reason ?? ''] ?? `refused (${item.reason})`;
}

const ACTIONS = { link: 'linked', keep_apart: 'kept apart' } as const;

export function ReviewPage({ id, canWrite }: { id: string | undefined; canWrite: boolean }) {
  return id ? <ReviewItemView id={id} canWrite={canWrite} /> : <ReviewList />;
}

function ReviewList() {
  const [status, setStatus] = useState('open');
  const [kind, setKind] = useState('');
  const [offset, setOffset] = useState(0);
  const loaded = useLoad(
    () =>
      api.get<{ items: ReviewItem[]; total: number }>(
        `/review?status=${status}&limit=${PAGE}&offset=${offset}${kind ? `&kind=${kind}` : ''}`,
      ),
    [status, kind, offset],
  );
  const filter = (set: (value: string) => void) => (event: Event) => {
    set((event.currentTarget as HTMLSelectElement).value);
    setOffset(0);
  };
  return (
    <>
      <h1>Review queue</h1>
      <p class="muted">
        Pairs of records the rules keep apart that need a person's eye: a fuzzy score just short of a merge, or a merge
        a guard, a limit or a shared value refused. Open one to see both records side by side.
      </p>
      <p class="inline">
        <label for="review-status">Status</label>
        <select id="review-status" value={status} onChange={filter(setStatus)}>
          <option value="open">Open</option>
          <option value="decided">Decided</option>
          <option value="all">All</option>
        </select>
        <label for="review-kind">Kind</label>
        <select id="review-kind" value={kind} onChange={filter(setKind)}>
          <option value="">Any</option>
          <option value="score_band">Score in the review band</option>
          <option value="refused">Merge refused</option>
        </select>
      </p>
      <ErrorNote error={loaded.error} />
      {!loaded.data && !loaded.error && <Loading what="the review queue" />}
      {loaded.data && (
        <>
          <p role="status">
            {loaded.data.total === 0
              ? 'Nothing to review.'
              : `${fmt(offset + 1)}–${fmt(offset + loaded.data.items.length)} of ${fmt(loaded.data.total)} item(s).`}
          </p>
          {loaded.data.items.length > 0 && (
            <table aria-label="Review items">
              <thead>
                <tr>
                  <th scope="col">Records</th>
                  <th scope="col">Rule</th>
                  <th scope="col">Found</th>
                  <th scope="col">Commit</th>
                  <th scope="col">Decision</th>
                </tr>
              </thead>
              <tbody>
                {loaded.data.items.map((item) => (
                  <tr key={item.id}>
                    <td>
                      <a href={`#/review/${enc(item.id)}`}>
                        {item.a} and {item.b}
                      </a>
                    </td>
                    <td>{item.rule}</td>
                    <td>{finding(item)}</td>
                    <td class="num">{item.createdCommit}</td>
                    <td>{item.decision ? `${ACTIONS[item.decision.action]} by ${item.decision.actor}` : 'open'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p class="inline">
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              Previous
            </button>
            <button
              type="button"
              disabled={offset + PAGE >= loaded.data.total}
              onClick={() => setOffset(offset + PAGE)}
            >
              Next
            </button>
          </p>
        </>
      )}
    </>
  );
}

function ReviewItemView({ id, canWrite }: { id: string; canWrite: boolean }) {
  const loaded = useLoad(() => api.get<ReviewView>(`/review/${enc(id)}`), [id]);
  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!loaded.data) return <Loading what="the review item" />;
  const { item, records, fields, scoring } = loaded.data;
  const [a, b] = records as [ReviewView['records'][0], ReviewView['records'][0]];
  const profile = (ref: { profileId: string | null }) =>
    ref.profileId ? <a href={`#/profile/${enc(ref.profileId)}`}>{ref.profileId}</a> : '—';
  return (
    <>
      <p>
        <a href="#/review">Back to the review queue</a>
      </p>
      <h1>
        {item.a} and {item.b}
      </h1>
      <p>
        Rule <strong>{item.rule}</strong>: {finding(item)}. Found in commit {item.createdCommit}.
        {item.conflict &&
          ` The value ${item.conflict.value} on ${item.conflict.side === 'a' ? item.a : item.b}'s side agrees with none of ${item.conflict.others.join(', ')}.`}
      </p>
      <div class="grid">
        <Card title="Side by side" wide>
          <table aria-label="The two records side by side">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">{a.ref}</th>
                <th scope="col">{b.ref}</th>
                <th scope="col">Agree</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">profile</th>
                <td>{profile(a)}</td>
                <td>{profile(b)}</td>
                <td />
              </tr>
              <tr>
                <th scope="row">last seen</th>
                <td>{a.seen?.slice(0, 10) ?? '—'}</td>
                <td>{b.seen?.slice(0, 10) ?? '—'}</td>
                <td />
              </tr>
              {fields.map((field) => (
                <tr key={field.field} class={field.inRule ? 'in-rule' : undefined}>
                  <th scope="row">
                    {field.field}
                    {field.inRule && <span class="muted"> (rule)</span>}
                  </th>
                  <td>{field.a.join(', ') || '—'}</td>
                  <td>{field.b.join(', ') || '—'}</td>
                  <td>{field.agree === null ? '' : field.agree ? 'same' : 'differs'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
        {scoring && (
          <Card title={`Score under ${scoring.rule}`}>
            <p>
              {scoring.score} now; a merge needs {scoring.threshold}
              {scoring.reviewFrom !== undefined && `, review from ${scoring.reviewFrom}`}.
            </p>
            <table aria-label="Score per comparison">
              <tbody>
                {scoring.evidence.map((evidence) => (
                  <tr key={evidence.field}>
                    <th scope="row">{evidence.field}</th>
                    <td>{evidence.values.join(' / ')}</td>
                    <td class="num">{evidence.weight}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        )}
        <Card title="Decision">
          {item.decision ? (
            <p role="status">
              {ACTIONS[item.decision.action]} by {item.decision.actor} on {item.decision.at.slice(0, 10)}
              {item.decision.note && ` (${item.decision.note})`}.
            </p>
          ) : canWrite ? (
            <Decide id={item.id} onDecided={loaded.reload} />
          ) : (
            <p>Open. A key with the write scope can link or keep apart.</p>
          )}
        </Card>
      </div>
    </>
  );
}

function Decide({ id, onDecided }: { id: string; onDecided: () => void }) {
  const [note, setNote] = useState('');
  const [error, setError] = useState<Error | undefined>();
  const decide = async (action: 'link' | 'keep_apart') => {
    setError(undefined);
    const actor = session.actor();
    if (!actor) return setError(new Error('enter your name under "Acting as" first; it is recorded on the decision'));
    try {
      await api.post(`/review/${enc(id)}/decision`, { action, actor, ...(note ? { note } : {}) });
      onDecided();
    } catch (failure) {
      setError(failure as Error);
    }
  };
  return (
    <div class="decisions">
      <ActorField />
      <p class="inline">
        <label for="review-note">Note (no personal data)</label>
        <input id="review-note" value={note} onInput={(event) => setNote(event.currentTarget.value)} />
      </p>
      <p class="inline">
        <button type="button" onClick={() => decide('link')}>
          Link
        </button>
        <button type="button" onClick={() => decide('keep_apart')}>
          Keep apart
        </button>
        <button type="button" class="link" onClick={() => go('review')}>
          Decide later
        </button>
      </p>
      <ErrorNote error={error} />
    </div>
  );
}
