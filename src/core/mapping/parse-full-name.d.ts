/** Types for parse-full-name (CommonJS, ships none): the one function idgraph calls. */
declare module 'parse-full-name' {
  export interface ParsedName {
    title: string;
    first: string;
    middle: string;
    last: string;
    nick: string;
    suffix: string;
    error: string[];
  }
  /**
   * partToReturn 'all'; fixCase -1 auto, 0 keep, 1 fix; stopOnError 0 collects problems in `error`
   * instead of throwing; useLongLists 0 uses the short title and suffix lists.
   */
  export function parseFullName(
    nameToParse: string,
    partToReturn: 'all',
    fixCase: -1 | 0 | 1,
    stopOnError: 0 | 1,
    useLongLists: 0 | 1,
  ): ParsedName;
}
