/**
 * API keys with scopes, from IDGRAPH_API_KEYS (`key:scope,key2:scope`) or a file of such lines.
 * Scopes nest: admin can do everything, write can also read; report sees aggregates only.
 */
import { timingSafeEqual } from 'node:crypto';

export const SCOPES = ['read', 'write', 'admin', 'report'] as const;
export type Scope = (typeof SCOPES)[number];

const GRANTS: Record<Scope, readonly Scope[]> = {
  admin: ['admin', 'write', 'read', 'report'],
  write: ['write', 'read'],
  read: ['read'],
  report: ['report'],
};

export interface ApiKey {
  readonly key: string;
  readonly scope: Scope;
}

export function parseApiKeys(text: string): ApiKey[] {
  const keys: ApiKey[] = [];
  for (const entry of text.split(/[\n,]/)) {
    const trimmed = entry.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const colon = trimmed.lastIndexOf(':');
    const key = trimmed.slice(0, colon);
    const scope = trimmed.slice(colon + 1) as Scope;
    if (colon <= 0 || !SCOPES.includes(scope)) {
      throw new Error(`an API key entry must be KEY:SCOPE with scope one of ${SCOPES.join(', ')}`);
    }
    if (key.length < 16) throw new Error('API keys must be at least 16 characters long');
    keys.push({ key, scope });
  }
  return keys;
}

/** The key's scope, compared in constant time so timing does not reveal a key's prefix. */
export function scopeOf(keys: readonly ApiKey[], presented: string): Scope | undefined {
  const candidate = Buffer.from(presented);
  let found: Scope | undefined;
  for (const { key, scope } of keys) {
    const expected = Buffer.from(key);
    if (expected.length === candidate.length && timingSafeEqual(expected, candidate)) found = scope;
  }
  return found;
}

export function grants(scope: Scope, needed: Scope): boolean {
  return GRANTS[scope].includes(needed);
}
