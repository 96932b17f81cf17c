/** A profile's events as a timeline, newest first; a merge can be undone from here. */
import { useState } from 'preact/hooks';
import { api } from '../api';
import { session } from '../session';
import { ErrorNote } from '../ui';
import type { ProfileEvent } from './profile-types';

const KIND_LABEL: Record<string, string> = {
  profile_created: 'Created',
  records_added: 'Records added',
  merge: 'Merged',
  split: 'Split',
  decision_recorded: 'Decision recorded',
  erased: 'Erased',
};

export function History({
  events,
  canWrite,
  onChanged,
}: {
  events: ProfileEvent[];
  canWrite: boolean;
  onChanged: () => void;
}) {
  const [error, setError] = useState<Error | undefined>();
  const unmerge = async (event: ProfileEvent) => {
    setError(undefined);
    const actor = session.actor();
    if (!actor) return setError(new Error('enter your name under "Acting as" first; it is recorded on the event'));
    try {
      await api.post('/decisions', { decision: { kind: 'unmerge', eventId: event.id }, actor });
      onChanged();
    } catch (failure) {
      setError(failure as Error);
    }
  };
  return (
    <>
      <ErrorNote error={error} />
      <ol class="timeline" aria-label="Events, newest first">
        {[...events].reverse().map((event) => (
          <li key={event.id} class={`event ${event.kind}`}>
            <time dateTime={event.at}>{event.at.replace('T', ' ').slice(0, 19)}</time>
            <strong>{KIND_LABEL[event.kind] ?? event.kind}</strong>
            {event.rule && <span class="tag">{event.rule}</span>}
            {event.cause && <span class="tag">{event.cause}</span>}
            <span class="muted">by {event.actor}</span>
            <div class="event-detail">
              {event.before.length > 0 && <>from {event.before.join(', ')} </>}
              {event.after.length > 0 && <>to {event.after.join(', ')} </>}· {event.records.length} record(s)
              {event.note && <em> “{event.note}”</em>}
            </div>
            {canWrite && event.kind === 'merge' && (
              <button type="button" class="small" onClick={() => unmerge(event)}>
                Unmerge
              </button>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}
