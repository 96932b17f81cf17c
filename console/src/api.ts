/** The console's only way out: the public /v1 API of the server that served it, with the session's key. */
import { session } from './session';

export type Scope = 'read' | 'write' | 'admin' | 'report';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown, key = session.key()): Promise<T> {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`/v1${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { code?: string; message?: string; issues?: [] };
    throw new ApiFailure(
      response.status,
      problem.code ?? 'HTTP_ERROR',
      problem.message ?? `${response.status} ${response.statusText}`,
      problem.issues ?? [],
    );
  }
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body: unknown) => call<T>('POST', path, body),
  put: <T>(path: string, body: unknown) => call<T>('PUT', path, body),
  /** Checks a key before it is kept: the scopes it grants. */
  me: (key?: string) => call<{ scope: Scope; grants: Scope[] }>('GET', '/me', undefined, key ?? session.key()),
  /** A file answer (CSV), handed to the browser as a download. */
  async download(path: string, filename: string): Promise<void> {
    const response = await fetch(`/v1${path}`, { headers: { authorization: `Bearer ${session.key() ?? ''}` } });
    if (!response.ok) {
      const problem = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
      throw new ApiFailure(response.status, problem.code ?? 'HTTP_ERROR', problem.message ?? response.statusText);
    }
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
};

export const enc = encodeURIComponent;
