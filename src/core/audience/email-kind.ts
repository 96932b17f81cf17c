import { WEBMAIL_PROVIDERS } from '../normalize/webmail-providers.js';

/** Personal (freemail) versus work addresses, by the provider table the normalizer uses too. */
export function isFreemail(normalizedEmail: string): boolean {
  return WEBMAIL_PROVIDERS.has(normalizedEmail.slice(normalizedEmail.lastIndexOf('@') + 1));
}
