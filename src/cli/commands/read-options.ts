/** The options of the commands that read the graph (explain, history, profile, lookup, review). */
import type { Command } from 'commander';

export interface ReadFlags {
  store?: string;
  rules?: string;
  json?: boolean;
}

export const withReadOptions = (command: Command): Command =>
  command
    .option('--store <spec>', 'embedded store folder or neo4j:// URI')
    .option('--rules <file>', 'rules file (default: the rules stored with the graph)')
    .option('--json', 'print JSON');
