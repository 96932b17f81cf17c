/** The audiences, and a new one from an uploaded members file (CSV or NDJSON) with its preview counts. */
import Papa from 'papaparse';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { go } from '../route';
import { Card, ErrorNote, fmt, Loading, useLoad } from '../ui';
import { AudienceBuilder } from './audience-builder';

export interface AudienceDefinition {
  id: string;
  name: string;
  createdAt: string;
  suppress: string[];
  rows: number;
  rowsRejected: number;
  rejectedByReason: Record<string, number>;
}

export interface Preview {
  rows: number;
  rowsRejected: number;
  rowsNotFound: number;
  rowsUnresolved: number;
  people: number;
  suppressed: number;
}

export function AudiencesPage({ canWrite }: { canWrite: boolean }) {
  const list = useLoad(() => api.get<{ audiences: AudienceDefinition[] }>('/audiences'), []);
  return (
    <>
      <h1>Audiences</h1>
      <div class="grid">
        <Card title="Audiences" wide>
          <ErrorNote error={list.error} />
          {!list.data && !list.error && <Loading what="the audiences" />}
          {list.data && list.data.audiences.length === 0 && <p>No audience yet.</p>}
          {list.data && list.data.audiences.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th scope="col">Audience</th>
                  <th scope="col">Name</th>
                  <th scope="col">Rows</th>
                  <th scope="col">Rejected rows</th>
                  <th scope="col">Suppresses</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {list.data.audiences.map((audience) => (
                  <tr key={audience.id}>
                    <td>
                      <a href={`#/audiences/${encodeURIComponent(audience.id)}`}>{audience.id}</a>
                    </td>
                    <td>{audience.name}</td>
                    <td class="num">{fmt(audience.rows)}</td>
                    <td class="num">{fmt(audience.rowsRejected)}</td>
                    <td>{audience.suppress.join(', ')}</td>
                    <td>{audience.createdAt.slice(0, 16).replace('T', ' ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
        <Card title="Audience builder: people matching conditions" wide>
          {list.data ? (
            <AudienceBuilder audiences={list.data.audiences.map((audience) => audience.id)} canWrite={canWrite} />
          ) : (
            <Loading what="the audiences" />
          )}
        </Card>
        {canWrite && (
          <Card title="New audience from a file" wide>
            <CreateFromFile existing={list.data?.audiences.map((audience) => audience.id) ?? []} />
          </Card>
        )}
      </div>
    </>
  );
}

/** Member rows from a CSV file with a header row, or NDJSON (one JSON object a line). */
export function parseMembersFile(name: string, text: string): { rows: Record<string, string>[]; problems: string[] } {
  if (/\.(nd)?jsonl?$/i.test(name)) {
    const rows: Record<string, string>[] = [];
    const problems: string[] = [];
    text.split(/\r?\n/).forEach((line, index) => {
      if (line.trim() === '') return;
      try {
        rows.push(JSON.parse(line));
      } catch {
        problems.push(`${name}:${index + 1}: not a JSON object`);
      }
    });
    return { rows, problems };
  }
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: 'greedy' });
  return {
    rows: parsed.data.map((row) => Object.fromEntries(Object.entries(row).filter(([, value]) => value !== ''))),
    problems: parsed.errors.map((error) => `${name}:${(error.row ?? 0) + 2}: ${error.message}`),
  };
}

function CreateFromFile({ existing }: { existing: string[] }) {
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [suppress, setSuppress] = useState<string[]>([]);
  const [file, setFile] = useState<{ name: string; rows: Record<string, string>[]; problems: string[] }>();
  const [result, setResult] = useState<{ preview: Preview; rejected: { index: number; reason: string }[] }>();
  const [error, setError] = useState<Error | undefined>();
  const [busy, setBusy] = useState(false);
  const choose = async (input: HTMLInputElement) => {
    const chosen = input.files?.[0];
    setResult(undefined);
    if (!chosen) return setFile(undefined);
    setFile({ name: chosen.name, ...parseMembersFile(chosen.name, await chosen.text()) });
  };
  const create = async (event: Event) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(undefined);
    try {
      setResult(
        await api.post('/audiences', {
          id,
          ...(name ? { name } : {}),
          ...(suppress.length ? { suppress } : {}),
          members: file.rows,
        }),
      );
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="stack" onSubmit={create}>
      <label for="audience-id">Audience id (lowercase letters, digits, - and _)</label>
      <input
        id="audience-id"
        required
        pattern="[a-z0-9][a-z0-9_\-]{0,63}"
        value={id}
        onInput={(e) => setId(e.currentTarget.value)}
      />
      <label for="audience-name">Name</label>
      <input id="audience-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <label for="audience-file">Members file (CSV with a header row, or NDJSON)</label>
      <input
        id="audience-file"
        type="file"
        accept=".csv,.ndjson,.jsonl,.json,text/csv"
        onChange={(e) => choose(e.currentTarget)}
      />
      {file && (
        <p role="status">
          {file.name}: {fmt(file.rows.length)} rows read
          {file.problems.length > 0 && `, ${file.problems.length} unreadable (${file.problems.slice(0, 3).join('; ')})`}
          .
        </p>
      )}
      {existing.length > 0 && (
        <fieldset>
          <legend>Suppress the people of</legend>
          {existing.map((other) => (
            <label key={other}>
              <input
                type="checkbox"
                checked={suppress.includes(other)}
                onChange={(e) =>
                  setSuppress(e.currentTarget.checked ? [...suppress, other] : suppress.filter((one) => one !== other))
                }
              />{' '}
              {other}
            </label>
          ))}
        </fieldset>
      )}
      <button type="submit" disabled={busy || !file || file.rows.length === 0}>
        Create audience
      </button>
      <ErrorNote error={error} />
      {result && (
        <div role="status" class="preview">
          <h3>Preview</h3>
          <PreviewTable preview={result.preview} />
          {result.rejected.length > 0 && (
            <p>
              Rejected rows:{' '}
              {result.rejected
                .slice(0, 10)
                .map((one) => `member ${one.index + 1}: ${one.reason}`)
                .join('; ')}
            </p>
          )}
          <button type="button" onClick={() => go(`audiences/${encodeURIComponent(id)}`)}>
            Open its report
          </button>
        </div>
      )}
    </form>
  );
}

export function PreviewTable({ preview }: { preview: Preview }) {
  const rows: [string, number][] = [
    ['Rows', preview.rows],
    ['Rejected rows', preview.rowsRejected],
    ['Rows not found in the graph', preview.rowsNotFound],
    ['Rows matching no profile (counted as people)', preview.rowsUnresolved],
    ['Suppressed people', preview.suppressed],
    ['People', preview.people],
  ];
  return (
    <table class="preview-table">
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td class="num">{fmt(value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
