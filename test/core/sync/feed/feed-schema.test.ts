import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyDirectoryChange } from '../../../../src-main/core/sync/apply-change';
import { feedJsonSchema, parseFeedDocument } from '../../../../src-main/core/sync/feed/feed-document';
import { openTestStore, type TestStore } from './feed-fixtures';

const docs = path.resolve(import.meta.dirname, '../../../../docs');
const read = (name: string) => readFileSync(path.join(docs, name));
const json = (name: string) => JSON.parse(read(name).toString('utf8')) as Record<string, unknown>;

let store: TestStore;
beforeEach(() => {
  store = openTestStore();
});
afterEach(() => store.close());

describe('the feed format as documented', () => {
  it('commits the JSON Schema the code generates (regenerate: feed-tool schema > docs/feed.schema.json)', () => {
    expect(json('feed.schema.json')).toEqual(feedJsonSchema());
  });

  it('has examples that the JSON Schema and the kiosk both accept', () => {
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(json('feed.schema.json'));
    for (const example of ['feed.example.json', 'feed.delta.example.json']) {
      expect(validate(json(example)), `${example}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(() => parseFeedDocument(read(example), example)).not.toThrow();
    }
  });

  it('has a JSON Schema that refuses what a kiosk refuses: unknown fields, another format, a bad state', () => {
    const validate = new Ajv2020({ strict: false }).compile(json('feed.schema.json'));
    const example = json('feed.example.json');
    expect(validate({ ...example, department: 'Produce' })).toBe(false);
    expect(validate({ ...example, format: 'acme-hr-export' })).toBe(false);
    expect(validate({ ...example, smsMethodPolicy: { state: 'sometimes', includeTargets: [] } })).toBe(false);
  });

  it('applies the example snapshot and then the example delta', () => {
    const snapshot = parseFeedDocument(read('feed.example.json'));
    const delta = parseFeedDocument(read('feed.delta.example.json'));
    if (snapshot.kind !== 'snapshot' || delta.kind !== 'delta') throw new Error('examples of the wrong kind');
    expect(delta.since).toBe(snapshot.cursor);

    const first = applyDirectoryChange({ kind: 'snapshot', snapshot: snapshot.snapshot, cursor: snapshot.cursor }, store.directory, store.audit);
    expect(first.counts).toEqual({ users: 4, readyPhones: 4 });
    expect(store.directory.holdersOf('+12065550142')).toEqual([expect.objectContaining({ displayName: 'Dana Whitfield', smsSignInState: 'ready' })]);
    expect(store.directory.holdersOf('+12065550190')).toEqual([expect.objectContaining({ displayName: 'Luis Ortega', phoneType: 'office' })]);

    const second = applyDirectoryChange({ kind: 'delta', delta: delta.delta, cursor: delta.cursor }, store.directory, store.audit);
    expect(second.counts.users).toBe(4);
    expect(store.directory.holdersOf('+12065550146')).toEqual([expect.objectContaining({ displayName: 'Priya Raman' })]);
    expect(store.directory.holdersOf('+12065550144')).toEqual([]);
  });
});
