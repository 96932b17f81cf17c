/**
 * Canadian province and territory names to their two-letter Canada Post codes. Meta's `st` wants a
 * two-letter code, lowercase; its parameter builder maps these names as well as US states [M-PB].
 */
export const CA_PROVINCE_CODES: Readonly<Record<string, string>> = {
  alberta: 'ab',
  britishcolumbia: 'bc',
  manitoba: 'mb',
  newbrunswick: 'nb',
  newfoundlandandlabrador: 'nl',
  newfoundland: 'nl',
  northwestterritories: 'nt',
  novascotia: 'ns',
  nunavut: 'nu',
  ontario: 'on',
  princeedwardisland: 'pe',
  quebec: 'qc',
  saskatchewan: 'sk',
  yukon: 'yt',
};
