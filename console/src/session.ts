/**
 * The API key lives in sessionStorage only: it goes when the browser tab closes and is never written
 * to localStorage, a cookie or the URL.
 */
const KEY = 'idgraph.apiKey';
const ACTOR = 'idgraph.actor';

export const session = {
  key: (): string | null => sessionStorage.getItem(KEY),
  signIn: (key: string) => sessionStorage.setItem(KEY, key),
  signOut: () => {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(ACTOR);
  },
  /** The name recorded on manual decisions, remembered for the session. */
  actor: (): string => sessionStorage.getItem(ACTOR) ?? '',
  setActor: (actor: string) => sessionStorage.setItem(ACTOR, actor),
};
