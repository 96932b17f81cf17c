/**
 * Masks a value for samples in reports: enough shape to recognise the problem ("j***@e***.com",
 * "***67"), never the value itself. Reports go to marketers and the `report` API scope.
 */
export function redact(raw: string): string {
  const text = raw.trim();
  const at = text.lastIndexOf('@');
  if (at > 0) {
    const domain = text.slice(at + 1);
    const dot = domain.lastIndexOf('.');
    const tld = dot > 0 ? domain.slice(dot) : '';
    return `${text[0]}***@${domain[0] ?? ''}***${tld}`;
  }
  const digits = text.replace(/\D/g, '');
  if (digits.length >= 5 && digits.length >= text.replace(/\s/g, '').length - 4) return `***${digits.slice(-2)}`;
  return text.length <= 2 ? '***' : `${text[0]}***`;
}
