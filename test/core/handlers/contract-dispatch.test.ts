import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatchCall } from '../../../src-main/core/handlers/contract-dispatch';
import { silentLogger } from '../../../src-main/core/base/log';
import { openDemoKiosk, type DemoKioskHarness } from '../kiosk-harness';

let h: DemoKioskHarness;
beforeEach(async () => {
  h = await openDemoKiosk();
});
afterEach(() => h.close());

const call = (name: unknown, input: unknown) => dispatchCall(h.kiosk.handlers, name, input, silentLogger);

describe('the contract door into the core', () => {
  it.each([
    ['toString', {}],
    ['__proto__', {}],
    ['constructor', {}],
    ['signIn', {}],
    [42, {}],
    [null, {}],
  ])('answers an unknown call %j with call.unknown', async (name, input) => {
    expect(await call(name, input)).toMatchObject({ ok: false, error: { code: 'call.unknown' } });
  });

  it.each([
    ['signIn.start', undefined],
    ['signIn.start', null],
    ['signIn.start', 'x'],
    ['signIn.start', { phone: 2065550100 }],
    ['signIn.start', { phone: '2'.repeat(100_000) }],
    ['signIn.start', { phone: '2065550100', admin: true }],
    ['signIn.start', JSON.parse('{"phone":"2065550100","__proto__":{"polluted":true}}')],
    ['signIn.verify', { challengeId: 'x', code: '123456' }],
    ['signIn.verify', { challengeId: '0'.repeat(32), code: '١٢٣٤٥٦' }],
    ['signIn.verify', { challengeId: '0'.repeat(32), code: '12345' }],
    ['session.signOut', { reason: 'admin' }],
  ])('answers %s with hostile input %j with input.invalid and changes nothing', async (name, input) => {
    const result = await call(name, input);
    expect(result).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await call('session.current', {})).toEqual({ ok: true, value: { state: 'ready' } });
    expect(h.texts).toHaveLength(0);
  });

  it('names the field that is wrong', async () => {
    const result = await call('signIn.verify', { challengeId: '0'.repeat(32), code: 'abc' });
    expect(result).toMatchObject({ ok: false, error: { message: 'signIn.verify: code: The code is 6 digits' } });
  });

  it('turns a handler that throws into a typed internal error', async () => {
    const handlers = { ...h.kiosk.handlers, 'session.current': () => { throw new Error('disk on fire'); } };
    const result = await dispatchCall(handlers, 'session.current', {}, silentLogger);
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'Something went wrong on the kiosk. Please try again.' } });
  });

  it('strips anything from a result that the contract does not name', async () => {
    const handlers = {
      ...h.kiosk.handlers,
      'session.current': () => ({ ok: true as const, value: { state: 'ready' as const, codeHmac: 'secret' } }),
    };
    expect(await dispatchCall(handlers, 'session.current', {}, silentLogger)).toEqual({ ok: true, value: { state: 'ready' } });
  });
});
