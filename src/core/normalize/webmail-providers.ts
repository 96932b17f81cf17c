/**
 * Personal (webmail) providers, and how each reads the local part of an address. One table, so the
 * normalizer (which folds what a provider ignores) and the audience report (which tells personal
 * from work addresses: ad platforms match consumer accounts, which people open with personal
 * addresses, so work emails match far less often, Google: 40-70% vs 10-30%) cannot drift apart.
 *
 * - google: dots and anything after "+" are ignored, and googlemail.com is gmail.com;
 * - tags: anything after "+" is ignored (sub-addressing: Microsoft, Apple, Proton, Fastmail);
 * - asWritten: the local part is kept as written (other providers do not promise either).
 */
export type LocalPartRule = 'google' | 'tags' | 'asWritten';

export const WEBMAIL_PROVIDERS: ReadonlyMap<string, LocalPartRule> = new Map<string, LocalPartRule>([
  ['gmail.com', 'google'],
  ['googlemail.com', 'google'],
  ['yahoo.com', 'asWritten'],
  ['yahoo.co.uk', 'asWritten'],
  ['yahoo.fr', 'asWritten'],
  ['yahoo.de', 'asWritten'],
  ['ymail.com', 'asWritten'],
  ['hotmail.com', 'tags'],
  ['hotmail.co.uk', 'tags'],
  ['hotmail.fr', 'asWritten'],
  ['outlook.com', 'tags'],
  ['live.com', 'tags'],
  ['msn.com', 'tags'],
  ['aol.com', 'asWritten'],
  ['icloud.com', 'tags'],
  ['me.com', 'tags'],
  ['mac.com', 'tags'],
  ['proton.me', 'tags'],
  ['protonmail.com', 'tags'],
  ['pm.me', 'tags'],
  ['gmx.com', 'asWritten'],
  ['gmx.de', 'asWritten'],
  ['gmx.net', 'asWritten'],
  ['web.de', 'asWritten'],
  ['t-online.de', 'asWritten'],
  ['mail.ru', 'asWritten'],
  ['yandex.ru', 'asWritten'],
  ['yandex.com', 'asWritten'],
  ['qq.com', 'asWritten'],
  ['163.com', 'asWritten'],
  ['126.com', 'asWritten'],
  ['zoho.com', 'asWritten'],
  ['fastmail.com', 'tags'],
  ['comcast.net', 'asWritten'],
  ['att.net', 'asWritten'],
  ['verizon.net', 'asWritten'],
  ['sbcglobal.net', 'asWritten'],
  ['btinternet.com', 'asWritten'],
  ['orange.fr', 'asWritten'],
  ['free.fr', 'asWritten'],
  ['laposte.net', 'asWritten'],
  ['libero.it', 'asWritten'],
  ['naver.com', 'asWritten'],
  ['rediffmail.com', 'asWritten'],
]);
