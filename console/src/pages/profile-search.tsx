/** Finds a profile by its ID, a record reference (source:id) or any identifier value. */
import { useState } from 'preact/hooks';
import { api, enc } from '../api';
import { go } from '../route';
import { ErrorNote } from '../ui';

const KINDS = [
  { id: 'email', label: 'Email' },
  { id: 'phone', label: 'Phone' },
  { id: 'device_id', label: 'Device ID' },
  { id: 'cookie', label: 'Cookie' },
  { id: 'record', label: 'Record (source:id)' },
  { id: 'profile', label: 'Profile ID' },
  { id: 'other', label: 'Other identifier type…' },
];

export function ProfileSearch() {
  const [kind, setKind] = useState('email');
  const [otherType, setOtherType] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<Error | undefined>();
  const [notFound, setNotFound] = useState('');
  const search = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setNotFound('');
    const text = value.trim();
    try {
      if (kind === 'profile') return go(`profile/${enc(text)}`);
      if (kind === 'record') {
        const answer = await api.post<{ profileId: string | null }>('/explain', { a: text, b: text });
        return answer.profileId ? go(`profile/${enc(answer.profileId)}`) : setNotFound('No profile holds that record.');
      }
      const type = kind === 'other' ? otherType.trim() : kind;
      const answer = await api.post<{ results: { profileId: string | null; reason?: string }[] }>('/lookup', {
        identifiers: [{ type, value: text }],
      });
      const result = answer.results[0];
      if (result?.profileId) return go(`profile/${enc(result.profileId)}`);
      setNotFound(result?.reason ? `The value was refused: ${result.reason}.` : `No profile holds that ${type}.`);
    } catch (failure) {
      setError(failure as Error);
    }
  };
  return (
    <form class="search" onSubmit={search} aria-label="Find a profile">
      <label for="search-kind">Find by</label>
      <select id="search-kind" value={kind} onChange={(event) => setKind(event.currentTarget.value)}>
        {KINDS.map((option) => (
          <option key={option.id} value={option.id}>
            {option.label}
          </option>
        ))}
      </select>
      {kind === 'other' && (
        <>
          <label for="search-type">Type</label>
          <input id="search-type" value={otherType} onInput={(event) => setOtherType(event.currentTarget.value)} />
        </>
      )}
      <label for="search-value">Value</label>
      <input
        id="search-value"
        required
        value={value}
        onInput={(event) => setValue(event.currentTarget.value)}
        autocomplete="off"
      />
      <button type="submit">Search</button>
      {notFound && <p role="status">{notFound}</p>}
      <ErrorNote error={error} />
    </form>
  );
}
