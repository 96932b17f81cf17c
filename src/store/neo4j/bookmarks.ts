/**
 * Neo4j bookmarks as one opaque position string (GraphReads.position): the JSON list of bookmarks in
 * base64url, so it travels in an HTTP header as it is. A position that is not one is refused with
 * STORE_POSITION_INVALID, never sent to the server.
 */
import { StoreError } from '../store-error.js';

export function encodeBookmarks(bookmarks: Iterable<string>): string {
  const list = [...bookmarks];
  return list.length === 0 ? '' : Buffer.from(JSON.stringify(list)).toString('base64url');
}

export function decodeBookmarks(position: string): string[] {
  if (position === '') return [];
  let list: unknown;
  try {
    list = /^[A-Za-z0-9_-]+$/.test(position) ? JSON.parse(Buffer.from(position, 'base64url').toString()) : undefined;
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list) || !list.every((bookmark) => typeof bookmark === 'string' && bookmark.length > 0)) {
    throw new StoreError('STORE_POSITION_INVALID', 'the store position is not one this store gave out');
  }
  return list;
}
