import { useState } from 'preact/hooks';
import { ApiFailure, api, type Scope } from '../api';
import { session } from '../session';

/** Asks for an API key, checks it with GET /v1/me, and keeps it for this browser session only. */
export function SignIn({ onSignedIn }: { onSignedIn: (grants: Scope[]) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const me = await api.me(key.trim());
      session.signIn(key.trim());
      onSignedIn(me.grants);
    } catch (failure) {
      setError(
        failure instanceof ApiFailure && failure.status === 401 ? 'This API key is not known.' : String(failure),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <h1>idgraph console</h1>
      <form onSubmit={submit}>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autocomplete="off"
          required
          value={key}
          onInput={(event) => setKey(event.currentTarget.value)}
        />
        <p class="muted">
          Kept in this tab's session storage only, until you sign out or close the tab. The server prints a key when it
          starts without <code>IDGRAPH_API_KEYS</code>.
        </p>
        <button type="submit" disabled={busy || key.trim() === ''}>
          Sign in
        </button>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
