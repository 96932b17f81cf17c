/** The rules in force; a change pasted or uploaded, validated with located errors, dry-run, then applied. */
import { useState } from 'preact/hooks';
import { api } from '../api';
import { session } from '../session';
import { Card, ErrorNote, fmt, Loading, useLoad } from '../ui';

interface Problem {
  line: number;
  column: number;
  path: string;
  message: string;
  code: string;
  severity: 'error' | 'warning';
}
interface Diff {
  version: string;
  records: number;
  profilesBefore: number;
  profilesAfter: number;
  recordsMoving: number;
  newProfiles: number;
  reviewOpened: number;
  reviewClosed: number;
  merges: { before: string[]; after: string; rule?: string }[];
  splits: { before: string; after: string[] }[];
}

export function RulesPage({ canAdmin }: { canAdmin: boolean }) {
  const current = useLoad(() => api.get<{ version: string; text: string }>('/rules'), []);
  return (
    <>
      <h1>Rules</h1>
      <ErrorNote error={current.error} />
      {!current.data && !current.error && <Loading what="the rules" />}
      {current.data && (
        <div class="grid">
          <Card title={`In force (version ${current.data.version.slice(0, 12)})`}>
            <textarea
              class="rules-text"
              readOnly
              rows={24}
              wrap="off"
              aria-label="Rules in force"
              value={current.data.text}
            />
          </Card>
          <Card title="Change the rules">
            <RulesChange initial={current.data.text} canAdmin={canAdmin} onApplied={current.reload} />
          </Card>
        </div>
      )}
    </>
  );
}

function RulesChange({ initial, canAdmin, onApplied }: { initial: string; canAdmin: boolean; onApplied: () => void }) {
  const [text, setText] = useState(initial);
  const [validation, setValidation] = useState<{ valid: boolean; problems: Problem[] }>();
  const [diff, setDiff] = useState<Diff>();
  const [applied, setApplied] = useState('');
  const [error, setError] = useState<Error | undefined>();
  const [busy, setBusy] = useState(false);
  const run = async (step: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await step();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };
  const edited = (value: string) => {
    setText(value);
    setValidation(undefined);
    setDiff(undefined);
    setApplied('');
  };
  const validate = () => run(async () => setValidation(await api.post('/rules/validate', { text })));
  const dryRun = () => run(async () => setDiff(await api.post('/rules/diff', { text })));
  const apply = () =>
    run(async () => {
      const actor = session.actor() || 'console';
      const summary = await api.post<{ commit: number | null; merges: number; splits: number; version: string }>(
        '/rules/apply',
        { text, actor },
      );
      setApplied(
        `Applied version ${summary.version.slice(0, 12)}: ${summary.merges} merge(s), ${summary.splits} split(s).`,
      );
      onApplied();
    });
  return (
    <div class="stack">
      <label for="rules-file">Upload a rules file</label>
      <input
        id="rules-file"
        type="file"
        accept=".yaml,.yml"
        onChange={async (event) => {
          const file = event.currentTarget.files?.[0];
          if (file) edited(await file.text());
        }}
      />
      <label for="rules-edit">Or edit here (YAML)</label>
      <textarea
        id="rules-edit"
        rows={18}
        spellcheck={false}
        value={text}
        onInput={(event) => edited(event.currentTarget.value)}
      />
      <div class="inline">
        <button type="button" disabled={busy} onClick={validate}>
          Validate
        </button>
        {canAdmin && (
          <button type="button" disabled={busy || validation?.valid !== true} onClick={dryRun}>
            Dry run
          </button>
        )}
        {canAdmin && (
          <button type="button" disabled={busy || !diff} onClick={apply}>
            Apply
          </button>
        )}
      </div>
      <ErrorNote error={error} />
      {validation && (
        <div role="status">
          <p class={validation.valid ? 'ok' : 'error'}>{validation.valid ? 'Valid.' : 'Invalid.'}</p>
          {validation.problems.length > 0 && (
            <ul class="problems">
              {validation.problems.map((problem) => (
                <li key={`${problem.line}:${problem.column}:${problem.code}`}>
                  <button type="button" class="link" onClick={() => jumpTo(problem.line, problem.column)}>
                    line {problem.line}, column {problem.column}
                  </button>{' '}
                  {problem.severity}: {problem.message} <code>{problem.code}</code> ({problem.path})
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {diff && (
        <div role="status" class="diff">
          <h3>Dry run</h3>
          <p>
            {fmt(diff.records)} records: {fmt(diff.profilesBefore)} profiles now, {fmt(diff.profilesAfter)} after;{' '}
            {fmt(diff.recordsMoving)} records would move, {fmt(diff.newProfiles)} new profiles, {diff.merges.length}{' '}
            merge(s), {diff.splits.length} split(s); {fmt(diff.reviewOpened)} review item(s) opened,{' '}
            {fmt(diff.reviewClosed)} closed.
          </p>
          <ul>
            {diff.merges.slice(0, 20).map((merge) => (
              <li key={merge.after}>
                merge {merge.before.join(' + ')} → {merge.after} {merge.rule && `(${merge.rule})`}
              </li>
            ))}
            {diff.splits.slice(0, 20).map((split) => (
              <li key={split.before}>
                split {split.before} → {split.after.join(', ')}
              </li>
            ))}
          </ul>
        </div>
      )}
      {applied && <p role="status">{applied}</p>}
    </div>
  );
}

/** Puts the caret on a problem's place in the editor. */
function jumpTo(line: number, column: number): void {
  const editor = document.getElementById('rules-edit') as HTMLTextAreaElement | null;
  if (!editor) return;
  const lines = editor.value.split('\n');
  const offset = lines.slice(0, line - 1).reduce((sum, one) => sum + one.length + 1, 0) + Math.max(0, column - 1);
  editor.focus();
  editor.setSelectionRange(offset, offset);
}
