import { afterEach, beforeEach, expect, it } from 'vitest';
import type { DemoSms, SessionView } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { silentLogger } from '../../../src-main/core/base/log';
import { dispatchCall } from '../../../src-main/core/handlers/contract-dispatch';
import { RESEND_COOLDOWN_MS } from '../../../src-main/core/idp/phone-sign-in';
import { openDemoKiosk, type DemoKioskHarness } from '../kiosk-harness';
import { signInByText } from './no-text-helpers';

// Found in the review of this round's merges, where the calls (#16 part A), the ways in
// that send nothing (part B) and the demo met. Each failed before its fix.

const ROSA_OFFICE_PHONE = '+1 206 555 0108';
const ALEX = '+1 206 555 0100';
let h: DemoKioskHarness;
beforeEach(async () => {
  h = await openDemoKiosk();
});
afterEach(() => h.close());

const call = (name: string, input: unknown) => dispatchCall(h.kiosk.handlers, name, input, silentLogger) as Promise<Result<SessionView>>;
const outcome = (r: Result<unknown>) => (r.ok ? `ok:${(r.value as SessionView).state}` : r.error.code);
const spokenCode = (sms: DemoSms) => /: ((?:\d, ){5}\d)\./.exec(sms.body)?.[1]?.replaceAll(', ', '') ?? '';

async function signInByCall(phone: string): Promise<void> {
  const started = await call('signIn.start', { phone });
  if (!started.ok || started.value.state !== 'challenge') throw new Error(`no challenge: ${JSON.stringify(started)}`);
  h.clock.advance(RESEND_COOLDOWN_MS);
  expect(outcome(await call('signIn.call', { challengeId: started.value.challengeId }))).toBe('ok:challenge');
  const spoken = h.texts.find((sms) => sms.channel === 'voice')!;
  expect(outcome(await call('signIn.verify', { challengeId: started.value.challengeId, code: spokenCode(spoken) }))).toBe('ok:active');
}

it('says a call proved who the worker is only once the call was placed', async () => {
  await signInByCall(ROSA_OFFICE_PHONE);
  expect(await call('session.current', {})).toMatchObject({ ok: true, value: { state: 'active', amr: ['voice'] } });
});

it('signs an office-phone worker in with the shift PIN they set after a call', async () => {
  await signInByCall(ROSA_OFFICE_PHONE);
  expect(outcome(await call('shiftPin.set', { pin: '358024' }))).toBe('ok:active');
  await call('session.signOut', {});
  expect(outcome(await call('signIn.withShiftPin', { phone: ROSA_OFFICE_PHONE, pin: '358024' }))).toBe('ok:active');
});

it('forgets shift PINs on "Reset demo", as it forgets every other trace', async () => {
  await signInByText(h, ALEX);
  expect(outcome(await call('shiftPin.set', { pin: '358024' }))).toBe('ok:active');
  await call('session.signOut', {});
  expect(outcome(await call('admin.open', { pin: '2468' }))).toMatch(/^ok/);
  expect((await call('admin.resetDemo', {})).ok).toBe(true);
  expect(outcome(await call('signIn.withShiftPin', { phone: ALEX, pin: '358024' }))).not.toBe('ok:active');
});
