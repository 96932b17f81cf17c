/**
 * A store's answer to a batched read: a map in the order of the keys asked for, without the keys
 * it found nothing for. Both stores answer this way, so callers can rely on the order.
 */
export function inOrder<K, V>(keys: readonly K[], lookup: (key: K) => V | undefined): Map<K, V> {
  const found = new Map<K, V>();
  for (const key of keys) {
    const value = lookup(key);
    if (value !== undefined) found.set(key, value);
  }
  return found;
}
