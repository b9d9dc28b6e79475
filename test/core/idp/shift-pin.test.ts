import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGuessablePin } from '../../../src-main/core/idp/shift-pin';
import { openDemoKiosk, type DemoKioskHarness } from '../kiosk-harness';
import { answer, auditReasons, auditShapes, databaseText, lastAuditId, patchSettings, signInByText, signOut, value } from './no-text-helpers';
import { directoryFileOf } from '../../../src-main/core/store/database';

const ALEX = '+1 206 555 0100';
const PRIYA = '+1 206 555 0101';
const NOBODY = '+1 206 555 0199';
const JORDAN = '+1 206 555 0104'; // account disabled
const PIN = '358024';
const HOUR = 3_600_000;

let h: DemoKioskHarness;
beforeEach(async () => {
  h = await openDemoKiosk();
});
afterEach(() => h.close());

const withPin = (phone: string, pin: string) => h.kiosk.handlers['signIn.withShiftPin']({ phone, pin });
const setPin = (pin: string) => h.kiosk.handlers['shiftPin.set']({ pin });

async function alexSetsAPin(hours = 12): Promise<void> {
  const home = await signInByText(h, ALEX);
  expect(home).toMatchObject({ state: 'active', amr: ['sms'], setUp: ['shiftPin', 'authenticator'] });
  expect(value(await setPin(PIN))).toMatchObject({ state: 'active', shiftPinUntil: h.clock.now() + hours * HOUR });
  await signOut(h);
}

describe('the shift PIN', () => {
  it('refuses repeated and sequential PINs', () => {
    for (const pin of ['111111', '000000', '123456', '654321', '890123', '210987']) expect(isGuessablePin(pin), pin).toBe(true);
    for (const pin of ['358024', '112233', '123457', '135790']) expect(isGuessablePin(pin), pin).toBe(false);
  });

  it('is refused when too easy to guess, with a clear error', async () => {
    await signInByText(h, ALEX);
    expect(answer(await setPin('123456'))).toBe('pin.guessable');
    expect(answer(await setPin('999999'))).toBe('pin.guessable');
  });

  it('signs the worker in again with number and PIN, without a new text, and records amr "pin"', async () => {
    await alexSetsAPin();
    const textsBefore = h.texts.length;
    const signedIn = value(await withPin(ALEX, PIN));
    expect(signedIn).toMatchObject({ state: 'active', user: { displayName: 'Alex Rivera' }, amr: ['pin'], setUp: [] });
    expect(h.texts).toHaveLength(textsBefore);
    // A PIN sign-in cannot set or replace a PIN: only a text (or a call) can.
    expect(answer(await setPin('975310'))).toBe('forbidden');
  });

  it('is kept only as a keyed hash: neither the PIN nor anything derived without the key is stored', async () => {
    await alexSetsAPin();
    expect(databaseText(h)).not.toContain(PIN);
  });

  it('ends at the end of the shift (policy shiftPinHours)', async () => {
    await patchSettings(h, { shiftPinHours: 2 });
    await alexSetsAPin(2);
    h.clock.advance(2 * HOUR - 1);
    expect(answer(await withPin(ALEX, PIN))).toBe('ok:active');
    await signOut(h);
    h.clock.advance(1);
    expect(answer(await withPin(ALEX, PIN))).toBe('pin.wrong:4');
  });

  it('ends when the sign-in policy changes, and when the worker is revoked', async () => {
    await alexSetsAPin();
    await patchSettings(h, { shiftPinHours: 11 });
    expect(answer(await withPin(ALEX, PIN))).toBe('pin.wrong:4');
    expect(auditReasons(h)).toContain('policyChanged');

    await signInByText(h, ALEX);
    value(await setPin(PIN));
    await signOut(h);
    const db = new Database(directoryFileOf(path.join(h.dataDir, 'kiosk.db')));
    db.prepare("UPDATE users SET account_enabled = 0 WHERE id = 'u-alex'").run();
    db.close();
    await h.kiosk.directoryChanged();
    expect(auditReasons(h)).toContain('revoked');
    expect(value(await h.kiosk.handlers['admin.open']({ pin: '2468' })) && value(await h.kiosk.handlers['admin.shiftPins']({}))).toEqual({ workers: [] });
  });

  it('is cleared by an admin, for one worker or for all', async () => {
    await alexSetsAPin();
    value(await h.kiosk.handlers['admin.open']({ pin: '2468' }));
    expect(value(await h.kiosk.handlers['admin.shiftPins']({}))).toMatchObject({ workers: [{ userId: 'u-alex', displayName: 'Alex Rivera' }] });
    expect(value(await h.kiosk.handlers['admin.clearShiftPins']({ userId: 'u-alex' }))).toEqual({ cleared: 1 });
    expect(answer(await withPin(ALEX, PIN))).toBe('pin.wrong:4');
    expect(value(await h.kiosk.handlers['admin.shiftPins']({}))).toEqual({ workers: [] });
  });

  it('is switched off by policy (signInMethods without shiftPin)', async () => {
    await alexSetsAPin();
    await patchSettings(h, { signInMethods: ['sms', 'voice', 'authenticator'] });
    expect(answer(await withPin(ALEX, PIN))).toBe('signIn.methodOff');
    expect(value(await h.kiosk.handlers['device.status']({})).signInMethods).toEqual(['sms', 'voice', 'authenticator']);
  });

  it('is deleted by the fifth wrong PIN: the right one no longer works, and a text sign-in sets a new one', async () => {
    await alexSetsAPin();
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(answer(await withPin(ALEX, '975310')));
    expect(answers).toEqual(['pin.wrong:4', 'pin.wrong:3', 'pin.wrong:2', 'pin.wrong:1', 'pin.tooManyAttempts']);
    expect(answer(await withPin(ALEX, PIN))).toBe('pin.tooManyAttempts');
    await signInByText(h, ALEX);
    value(await setPin(PIN));
    await signOut(h);
    expect(answer(await withPin(ALEX, PIN))).toBe('ok:active');
  });

  it('counts exactly five of a burst of parallel wrong PINs, then the PIN is gone', async () => {
    await alexSetsAPin();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => withPin(ALEX, String(200_000 + i * 7919))));
    const wrong = answers.filter((a) => !a.ok && a.error.code === 'pin.wrong').length;
    const over = answers.filter((a) => !a.ok && a.error.code === 'pin.tooManyAttempts').length;
    expect(answers.some((a) => a.ok)).toBe(false);
    expect(wrong).toBe(4);
    expect(over).toBe(16);
    expect(auditReasons(h).filter((reason) => reason === 'wrongPin')).toHaveLength(5);
    expect(answer(await withPin(ALEX, PIN))).toBe('pin.tooManyAttempts');
  });

  it('keeps the count across a restart', async () => {
    await alexSetsAPin();
    for (let i = 0; i < 3; i += 1) await withPin(ALEX, '975310');
    h = await h.reopen();
    expect(answer(await withPin(ALEX, '975310'))).toBe('pin.wrong:1');
  });

  it('answers and audits alike for any number: with a PIN, registered without one, not allowed, unregistered', async () => {
    await alexSetsAPin();
    const runs: Record<string, { answers: string[]; shapes: unknown[] }> = {};
    for (const [name, phone] of Object.entries({ withPin: ALEX, noPin: PRIYA, disabled: JORDAN, unregistered: NOBODY })) {
      const from = lastAuditId(h);
      const answers = [];
      for (let i = 0; i < 6; i += 1) answers.push(answer(await withPin(phone, '975310')));
      runs[name] = { answers, shapes: auditShapes(h, from).map(({ hasUser: _user, ...shape }) => shape) };
    }
    expect(runs.noPin).toEqual(runs.withPin);
    expect(runs.disabled).toEqual(runs.withPin);
    expect(runs.unregistered).toEqual(runs.withPin);
  });
});
