import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { callNames, calls, type CallName } from '../../shared/contract';
import { errorCodes } from '../../shared/result';
import { openPreviewTransport, type PreviewTransport } from './preview-transport';
import { dumpStore } from './store-dump';

/**
 * Hostile payloads for every contract call, over the real preview transport (loopback HTTP,
 * token, Origin): each gets a typed error, the process survives, nothing is polluted and
 * the store is left exactly as it was. No refusal here is audited, so the audit log is
 * compared too.
 */

const RUNS = 200;

/** A schema-valid input for every call that takes fields: the base hostile payloads start from. */
const validInputs: Partial<Record<CallName, Record<string, unknown>>> = {
  'signIn.start': { phone: '+1 206 555 0100' },
  'signIn.resend': { challengeId: '0123456789abcdef0123456789abcdef' },
  'signIn.verify': { challengeId: '0123456789abcdef0123456789abcdef', code: '123456' },
  'signIn.renew': { challengeId: '0123456789abcdef0123456789abcdef', language: 'es' },
  'signIn.call': { challengeId: '0123456789abcdef0123456789abcdef', language: 'es' },
  'apps.open': { appId: 'app-shifts' },
  'admin.open': { pin: '0000' },
  'admin.audit': { limit: 10, type: 'signIn.start' },
  'admin.unlock': { phone: '+1 206 555 0100' },
  'admin.unlockWorker': { userId: 'u-dana' },
  'signIn.withShiftPin': { phone: '+1 206 555 0100', pin: '358024' },
  'signIn.withAuthenticator': { phone: '+1 206 555 0100', code: '123456' },
  'shiftPin.set': { pin: '358024' },
  'authenticator.confirm': { code: '123456' },
  'authenticator.stepUp': { code: '123456' },
  'admin.clearShiftPins': { userId: 'u-alex' },
};

const inputSchema = (name: CallName) => calls[name].input as z.ZodType;
const fieldsOf = (name: CallName) => Object.keys((calls[name].input as unknown as z.ZodObject).shape);

// Digits from other scripts: Arabic-Indic, Extended Arabic-Indic, Devanagari, Bengali, Thai, fullwidth, mathematical bold.
const foreignDigitBases = [0x0660, 0x06f0, 0x0966, 0x09e6, 0x0e50, 0xff10, 0x1d7ce];
const unicodeDigits = fc
  .tuple(fc.constantFrom(...foreignDigitBases), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 4, maxLength: 15 }), fc.boolean())
  .map(([base, digits, mixed]) => digits.map((d, i) => (mixed && i % 2 === 0 ? String(d) : String.fromCodePoint(base + d))).join(''));

const injections = fc.constantFrom(
  "'; DROP TABLE users; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  '../../../../etc/passwd',
  '\u0000\u0001\u0002',
  '\u202e0010 555 602',
  '206\u200b555\u200b0100',
  '\ud800\udfff\ud800',
  '%00%0a%0d',
  '__proto__',
  'constructor',
  'NaN',
  'Infinity',
);

/**
 * Strings a person could never type as a phone number, a code or an id: other scripts'
 * digits, injections, control and invisible characters, or longer than any field allows.
 * (Every one holds a character outside `0-9 + ( ) - .` and spaces, or runs past 40.)
 */
const hostileString = fc
  .oneof(
    unicodeDigits,
    injections,
    fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
    fc.string({ minLength: 41, maxLength: 70_000 }),
    fc.stringMatching(/^[0-9]{6,20}[a-zA-Z]$/),
  )
  .filter((text) => text.length > 40 || /[^0-9+()\-.\s]/.test(text));

const deepNesting = fc
  .tuple(fc.integer({ min: 50, max: 20_000 }), fc.boolean())
  .map(([depth, arrays]) => (arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}null${'}'.repeat(depth)}`));

const pollution = fc.constantFrom(
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"prototype":{"polluted":"yes"}}',
  '[{"__proto__":{"polluted":"yes"}}]',
);

/** Any JSON value, as the text a hostile page would send. */
const hostileValueText: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  hostileString.map((text) => JSON.stringify(text)),
  fc.constantFrom('null', 'true', 'false', '0', '-1', '1e308', '-0', '9007199254740993', '[]', '{}', '""'),
  deepNesting,
  pollution,
);

const pollutionKeys = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', '__lookupSetter__');
const extraKey = fc.oneof(pollutionKeys, fc.string({ maxLength: 30 }), unicodeDigits);

const objectText = (entries: ReadonlyArray<readonly [string, string]>) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;

const refusedByContract = (name: CallName) => (text: string) => {
  try {
    return !inputSchema(name).safeParse(JSON.parse(text)).success;
  } catch {
    return true;
  }
};

/**
 * Bodies the contract must refuse for this call: not an object at all, or its own fields
 * with wrong types, malformed values or extra keys (prototype-pollution keys among them).
 */
function refusedPayloads(name: CallName): fc.Arbitrary<string> {
  const base = Object.entries(validInputs[name] ?? {}).map(([key, value]) => [key, JSON.stringify(value)] as const);
  const fields = fieldsOf(name);
  const notAnObject = fc.oneof(fc.constantFrom('null', '[]', '0', '"signIn.start"', 'true'), hostileValueText.filter((text) => !text.startsWith('{')));
  const wrongField = fields.length === 0 ? [] : [fc.tuple(fc.constantFrom(...fields), hostileValueText).map(([field, value]) => objectText([...base.filter(([key]) => key !== field), [field, value]]))];
  const extraKeys = fc.array(fc.tuple(extraKey, hostileValueText), { minLength: 1, maxLength: 4 }).map((extra) => objectText([...base, ...extra]));
  return fc.oneof(notAnObject, extraKeys, ...wrongField).filter(refusedByContract(name));
}

/** Inputs the contract accepts, with a hostile string in a free-text field: the handler must refuse them itself. */
function acceptedButHostile(name: CallName): fc.Arbitrary<string> | null {
  const base = validInputs[name];
  if (!base) return null;
  const schema = inputSchema(name);
  const textFields = Object.keys(base).filter((field) => schema.safeParse({ ...base, [field]: 'x y' }).success);
  if (textFields.length === 0) return null;
  return fc
    .tuple(fc.constantFrom(...textFields), hostileString)
    .map(([field, text]) => JSON.stringify({ ...base, [field]: text }))
    .filter((text) => !refusedByContract(name)(text));
}

const prototypes = { Object: Object.prototype, Array: Array.prototype, Function: Function.prototype, String: String.prototype };
const prototypeKeys = () => Object.fromEntries(Object.entries(prototypes).map(([name, proto]) => [name, Reflect.ownKeys(proto).map(String).sort()]));

let t: PreviewTransport;
let storeFile: string;
let pristinePrototypes: ReturnType<typeof prototypeKeys>;

beforeAll(async () => {
  t = await openPreviewTransport();
  storeFile = path.join(t.h.dataDir, 'kiosk.db');
  pristinePrototypes = prototypeKeys();
});
afterAll(() => t.close());

/**
 * Posts a body and checks the answer is a typed refusal with a known code: `code` exactly,
 * or anything but `notCode` (an input the contract accepted must be refused by the handler).
 */
async function expectTypedRefusal(name: string, body: string, expected: { code?: string; notCode?: string } = {}): Promise<void> {
  const reply = await t.post(name, body);
  let answer: { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  try {
    answer = JSON.parse(reply.body) as typeof answer;
  } catch {
    throw new Error(`${name} answered HTTP ${reply.status} with a body that is not JSON: ${reply.body.slice(0, 200)}`);
  }
  const code = answer.error?.code;
  if (answer.ok !== false || typeof code !== 'string' || typeof answer.error?.message !== 'string') {
    throw new Error(`${name} did not answer with a typed error: ${reply.body.slice(0, 300)}`);
  }
  if (!(errorCodes as readonly string[]).includes(code) || code === 'internal') throw new Error(`${name} answered the unknown or internal code ${code}`);
  if (expected.code !== undefined && code !== expected.code) throw new Error(`${name} answered ${code}, expected ${expected.code}`);
  if (code === expected.notCode) throw new Error(`${name} answered ${code}: ${String(answer.error.message)}`);
  if (({} as Record<string, unknown>).polluted !== undefined) throw new Error('Object.prototype was polluted');
}

/** The kiosk is alive, untouched and unpolluted after a property has run. */
async function expectUnharmed(before: Record<string, string[]>): Promise<void> {
  expect(await t.call('session.current', {})).toEqual({ ok: true, value: { state: 'ready' } });
  expect(dumpStore(storeFile)).toEqual(before);
  expect(prototypeKeys()).toEqual(pristinePrototypes);
  expect(t.logged.filter((line) => line.level === 'error')).toEqual([]);
  expect(t.h.texts).toEqual([]);
}

describe('hostile payloads over the preview transport', () => {
  it('knows a valid input for every call that takes fields, so a new call is fuzzed too', () => {
    for (const name of callNames) {
      if (fieldsOf(name).length > 0) expect(validInputs[name], name).toBeDefined();
      if (validInputs[name]) expect(inputSchema(name).safeParse(validInputs[name]).success, name).toBe(true);
    }
  });

  it.each(callNames)('refuses every malformed %s input with input.invalid, and changes nothing', async (name) => {
    const before = dumpStore(storeFile);
    await fc.assert(
      fc.asyncProperty(refusedPayloads(name), (body) => expectTypedRefusal(name, body, { code: 'input.invalid' })),
      { numRuns: RUNS },
    );
    await expectUnharmed(before);
  });

  it.each(callNames.filter((name) => acceptedButHostile(name) !== null))(
    'answers %s with hostile text in a free-text field with a typed error, and changes nothing',
    async (name) => {
      const before = dumpStore(storeFile);
      await fc.assert(
        fc.asyncProperty(acceptedButHostile(name)!, (body) => expectTypedRefusal(name, body, { notCode: 'input.invalid' })),
        { numRuns: RUNS },
      );
      await expectUnharmed(before);
    },
  );

  it('answers call names it does not know, prototype names among them, with call.unknown', async () => {
    const before = dumpStore(storeFile);
    const names = fc
      .oneof(
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'signIn.start%00', 'SIGNIN.START', 'admin.dropTables', 'signIn', 'calls'),
        fc.string({ minLength: 1, maxLength: 60 }).map(encodeURIComponent),
      )
      .filter((name) => !(callNames as readonly string[]).includes(name));
    await fc.assert(
      fc.asyncProperty(names, fc.constantFrom('{}', '{"phone":"+1 206 555 0100"}', 'null'), (name, body) => expectTypedRefusal(name, body, { code: 'call.unknown' })),
      { numRuns: RUNS },
    );
    await expectUnharmed(before);
  });

  it('answers bodies that are not JSON, not UTF-8, not declared as JSON or too large with a typed error', async () => {
    const before = dumpStore(storeFile);
    const bodies = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
      fc.constantFrom('{', '{"phone":', '\ufeff{}x', '{"phone":"1"}{"phone":"2"}', "{'phone':'2065550100'}", 'undefined', 'NaN'),
      fc.integer({ min: 64 * 1024 + 1, max: 300_000 }).map((size) => JSON.stringify({ phone: '1'.repeat(size) })),
    );
    const contentTypes = fc.constantFrom('application/json', 'application/json; charset=utf-16', 'text/plain', 'multipart/form-data; boundary=x', '');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...callNames), bodies, contentTypes, async (name, body, contentType) => {
        if (contentType.startsWith('application/json') && !refusedByContract(name)(body || '{}')) return;
        const reply = await t.post(name, body, { 'Content-Type': contentType });
        const answer = JSON.parse(reply.body) as { ok: boolean; error?: { code: string } };
        expect(answer.ok).toBe(false);
        expect(['input.invalid', 'call.unknown']).toContain(answer.error?.code);
      }),
      { numRuns: RUNS },
    );
    await expectUnharmed(before);
  });
});
