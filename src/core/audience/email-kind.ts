/**
 * Personal (freemail) versus work addresses. Ad platforms match consumer accounts, which people open
 * with personal addresses, so work emails match far less often (Google: 40-70% vs 10-30%).
 */
const FREEMAIL_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.co.uk',
  'yahoo.fr',
  'yahoo.de',
  'ymail.com',
  'hotmail.com',
  'hotmail.co.uk',
  'hotmail.fr',
  'outlook.com',
  'live.com',
  'msn.com',
  'aol.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'proton.me',
  'protonmail.com',
  'pm.me',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  't-online.de',
  'mail.ru',
  'yandex.ru',
  'yandex.com',
  'qq.com',
  '163.com',
  '126.com',
  'zoho.com',
  'fastmail.com',
  'comcast.net',
  'att.net',
  'verizon.net',
  'sbcglobal.net',
  'btinternet.com',
  'orange.fr',
  'free.fr',
  'laposte.net',
  'libero.it',
  'naver.com',
  'rediffmail.com',
]);

export function isFreemail(normalizedEmail: string): boolean {
  return FREEMAIL_DOMAINS.has(normalizedEmail.slice(normalizedEmail.lastIndexOf('@') + 1));
}
