/**
 * The audience builder: conditions on profiles with live counts (POST /v1/segments/preview), saved
 * as an audience that re-resolves when the graph changes (PUT /v1/segments/{id}).
 */
import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../api';
import { go } from '../route';
import { session } from '../session';
import { ErrorNote, fmt } from '../ui';

type Condition =
  | { kind: 'attribute'; name: string; op: 'is' | 'is_not'; value: string }
  | { kind: 'has'; type: string }
  | { kind: 'seen_within_days'; days: number }
  | { kind: 'in_audience'; audience: string }
  | { kind: 'not_in_audience'; audience: string };

interface Preview {
  commit: number;
  profiles: number;
  people: number;
  perCondition: number[];
}

const KINDS: { id: Condition['kind']; label: string }[] = [
  { id: 'attribute', label: 'Attribute' },
  { id: 'has', label: 'Has' },
  { id: 'seen_within_days', label: 'Seen in the last' },
  { id: 'in_audience', label: 'In audience' },
  { id: 'not_in_audience', label: 'Not in audience' },
];

function blank(kind: Condition['kind'], audiences: string[]): Condition {
  switch (kind) {
    case 'attribute':
      return { kind, name: 'country', op: 'is', value: 'GB' };
    case 'has':
      return { kind, type: 'phone' };
    case 'seen_within_days':
      return { kind, days: 90 };
    default:
      return { kind, audience: audiences[0] ?? '' };
  }
}

export function AudienceBuilder({ audiences, canWrite }: { audiences: string[]; canWrite: boolean }) {
  const [conditions, setConditions] = useState<Condition[]>([blank('attribute', audiences)]);
  const [preview, setPreview] = useState<Preview>();
  const [previewError, setPreviewError] = useState<Error | undefined>();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [actor, setActor] = useState(session.actor());
  const [saveError, setSaveError] = useState<Error | undefined>();
  const key = JSON.stringify(conditions);
  useEffect(() => {
    // Counts follow the conditions as they are edited, a moment after the last keystroke.
    const timer = setTimeout(() => {
      api.post<Preview>('/segments/preview', { conditions }).then(
        (answer) => {
          setPreview(answer);
          setPreviewError(undefined);
        },
        (error: Error) => setPreviewError(error),
      );
    }, 350);
    return () => clearTimeout(timer);
  }, [key]);
  const change = (index: number, next: Condition) =>
    setConditions(conditions.map((one, i) => (i === index ? next : one)));
  const save = async (event: Event) => {
    event.preventDefault();
    setSaveError(undefined);
    session.setActor(actor.trim());
    try {
      await api.put(`/segments/${enc(id)}`, { ...(name ? { name } : {}), conditions, actor: actor.trim() });
      go(`audiences/${enc(id)}`);
    } catch (failure) {
      setSaveError(failure as Error);
    }
  };
  return (
    <form class="stack builder" onSubmit={save} aria-label="Audience builder">
      <ol class="conditions">
        {conditions.map((condition, index) => (
          <li key={index} class="inline">
            <label for={`kind-${index}`} class="sr-only">
              Condition {index + 1}
            </label>
            <select
              id={`kind-${index}`}
              value={condition.kind}
              onChange={(event) => change(index, blank(event.currentTarget.value as Condition['kind'], audiences))}
            >
              {KINDS.map((kind) => (
                <option key={kind.id} value={kind.id}>
                  {kind.label}
                </option>
              ))}
            </select>
            <ConditionFields
              condition={condition}
              index={index}
              audiences={audiences}
              onChange={(next) => change(index, next)}
            />
            <span class="muted count">
              {preview?.perCondition[index] !== undefined
                ? `${fmt(preview.perCondition[index] ?? 0)} pass this alone`
                : ''}
            </span>
            {conditions.length > 1 && (
              <button
                type="button"
                class="small"
                onClick={() => setConditions(conditions.filter((_, i) => i !== index))}
              >
                Remove
              </button>
            )}
          </li>
        ))}
      </ol>
      <button type="button" class="small" onClick={() => setConditions([...conditions, blank('has', audiences)])}>
        Add a condition
      </button>
      <p class="live" role="status" aria-live="polite">
        {preview ? (
          <>
            <strong>{fmt(preview.people)}</strong> people of {fmt(preview.profiles)} profiles match (commit{' '}
            {preview.commit}).
          </>
        ) : (
          'Counting…'
        )}
      </p>
      <ErrorNote error={previewError} />
      {canWrite && (
        <fieldset class="save">
          <legend>Save as an audience that follows the graph</legend>
          <label for="segment-id">Audience id</label>
          <input
            id="segment-id"
            required
            pattern="[a-z0-9][a-z0-9_\-]{0,63}"
            value={id}
            onInput={(e) => setId(e.currentTarget.value)}
          />
          <label for="segment-name">Name</label>
          <input id="segment-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
          <label for="segment-actor">Your name</label>
          <input id="segment-actor" required value={actor} onInput={(e) => setActor(e.currentTarget.value)} />
          <button type="submit">Save audience</button>
          <ErrorNote error={saveError} />
        </fieldset>
      )}
    </form>
  );
}

function ConditionFields({
  condition,
  index,
  audiences,
  onChange,
}: {
  condition: Condition;
  index: number;
  audiences: string[];
  onChange: (next: Condition) => void;
}) {
  switch (condition.kind) {
    case 'attribute':
      return (
        <>
          <label for={`attr-${index}`} class="sr-only">
            Attribute
          </label>
          <input
            id={`attr-${index}`}
            size={10}
            value={condition.name}
            onInput={(e) => onChange({ ...condition, name: e.currentTarget.value })}
          />
          <label for={`op-${index}`} class="sr-only">
            Comparison
          </label>
          <select
            id={`op-${index}`}
            value={condition.op}
            onChange={(e) => onChange({ ...condition, op: e.currentTarget.value as 'is' | 'is_not' })}
          >
            <option value="is">is</option>
            <option value="is_not">is not</option>
          </select>
          <label for={`value-${index}`} class="sr-only">
            Value
          </label>
          <input
            id={`value-${index}`}
            size={12}
            value={condition.value}
            onInput={(e) => onChange({ ...condition, value: e.currentTarget.value })}
          />
        </>
      );
    case 'has':
      return (
        <>
          <label for={`has-${index}`} class="sr-only">
            Identifier type
          </label>
          <select
            id={`has-${index}`}
            value={condition.type}
            onChange={(e) => onChange({ ...condition, type: e.currentTarget.value })}
          >
            {['email', 'phone', 'device_id', 'cookie'].map((type) => (
              <option key={type} value={type}>
                a {type.replace('_', ' ')}
              </option>
            ))}
          </select>
        </>
      );
    case 'seen_within_days':
      return (
        <>
          <label for={`days-${index}`} class="sr-only">
            Days
          </label>
          <input
            id={`days-${index}`}
            type="number"
            min={1}
            size={5}
            value={condition.days}
            onInput={(e) => onChange({ ...condition, days: Math.max(1, Number(e.currentTarget.value) || 1) })}
          />{' '}
          days
        </>
      );
    default:
      return (
        <>
          <label for={`audience-${index}`} class="sr-only">
            Audience
          </label>
          <select
            id={`audience-${index}`}
            value={condition.audience}
            onChange={(e) => onChange({ ...condition, audience: e.currentTarget.value })}
          >
            {audiences.map((one) => (
              <option key={one} value={one}>
                {one}
              </option>
            ))}
          </select>
        </>
      );
  }
}
