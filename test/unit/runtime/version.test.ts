/** The version the CLI, the OpenAPI document and the resolved tables report is the package's own. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../../src/runtime/version.js';

describe('VERSION', () => {
  it('is the version package.json gives, so a release cannot report the one before it', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
  });
});
