import { describe, expect, it } from 'vitest';
import { lookupIdentifier, lookupIdentifiers } from '../../../src/queries/lookup.js';
import { QueryError } from '../../../src/queries/query-error.js';
import { useTempDirs } from '../../support/temp-dir.js';
import { ANN, ANN_AGAIN, BOB, household, rules } from './households.js';

const tempDir = useTempDirs();

describe('lookupIdentifier', () => {
  it('answers with the profile holding a value, normalized first, and its records', async () => {
    const { store, ann } = await household(await tempDir(), [ANN, ANN_AGAIN], [BOB]);
    expect(await lookupIdentifier(store, rules, { type: 'email', value: 'ANN.LEE@GMAIL.COM' })).toEqual({
      profileId: ann,
      profiles: [ann],
      ambiguous: false,
      records: ['crm:c1', 'crm:c2'],
    });
    await store.close();
  });

  it('reports a value several profiles hold as ambiguous, the longest holder first', async () => {
    const annFirst = await household(await tempDir(), [ANN, ANN_AGAIN], [BOB]);
    const phone = { type: 'phone', value: '+44 7911 123456' };
    expect(await lookupIdentifier(annFirst.store, rules, phone)).toEqual({
      profileId: annFirst.ann,
      profiles: [annFirst.ann, annFirst.bob],
      ambiguous: true,
      records: ['crm:c1', 'crm:c2'],
    });
    await annFirst.store.close();

    const bobFirst = await household(await tempDir(), [BOB], [ANN, ANN_AGAIN]);
    expect(await lookupIdentifier(bobFirst.store, rules, phone)).toMatchObject({
      profileId: bobFirst.bob,
      profiles: [bobFirst.bob, bobFirst.ann],
      records: ['crm:c3'],
    });
    await bobFirst.store.close();
  });

  it.each([
    { description: 'no holder', input: { type: 'email', value: 'zoe.quill@shop.io' }, code: 'NOT_FOUND' },
    { description: 'a type the rules lack', input: { type: 'fax', value: '1' }, code: 'UNKNOWN_TYPE', field: 'type' },
    {
      description: 'a value its normalizer refuses',
      input: { type: 'email', value: 'not an email' },
      code: 'UNUSABLE_VALUE',
      field: 'value',
      issue: 'EMAIL_SYNTAX',
    },
  ])('refuses $description with $code', async ({ input, code, field, issue }) => {
    const { store } = await household(await tempDir(), [ANN]);
    const error = await lookupIdentifier(store, rules, input).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueryError);
    expect(error).toMatchObject({ code, ...(field ? { issue: { field, ...(issue ? { message: issue } : {}) } } : {}) });
    expect((error as Error).message).not.toContain(input.value);
    await store.close();
  });
});

describe('lookupIdentifiers', () => {
  it('answers each identifier on its own: found, ambiguous, absent, unusable, unknown', async () => {
    const { store, ann, bob } = await household(await tempDir(), [ANN, ANN_AGAIN], [BOB]);
    const results = await lookupIdentifiers(store, rules, [
      { type: 'email', value: 'annlee@gmail.com' },
      { type: 'phone', value: '07911 123456', country: 'GB' },
      { type: 'email', value: 'zoe.quill@shop.io' },
      { type: 'email', value: 'not an email' },
      { type: 'fax', value: '1' },
    ]);
    expect(results).toEqual([
      { type: 'email', answer: { profileId: ann, profiles: [ann], ambiguous: false } },
      { type: 'phone', answer: { profileId: ann, profiles: [ann, bob], ambiguous: true } },
      { type: 'email' },
      { type: 'email', reason: 'EMAIL_SYNTAX' },
      { type: 'fax', reason: 'UNKNOWN_TYPE' },
    ]);
    await store.close();
  });
});
