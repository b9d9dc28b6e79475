import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DemoSms, SessionView } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { dispatchCall } from '../../../src-main/core/handlers/contract-dispatch';
import { silentLogger } from '../../../src-main/core/base/log';
import { RESEND_COOLDOWN_MS } from '../../../src-main/core/idp/phone-sign-in';
import { openDatabase } from '../../../src-main/core/store/database';
import type { SmsMessage, SmsSender } from '../../../src-main/core/sms/sms-sender';
import { openDemoKiosk, type DemoKioskHarness } from '../kiosk-harness';

const ALEX = '+1 206 555 0100';
/** Rosa Díaz: an office phone only, which takes calls and never texts. */
const ROSA = '+1 206 555 0108';
const NOBODY = '+1 206 555 0199';
/** Jordan Blake: registered, account disabled. */
const JORDAN = '+1 206 555 0104';

let h: DemoKioskHarness;
beforeEach(async () => {
  h = await openDemoKiosk();
});
afterEach(() => h.close());

const call = (name: string, input: unknown) => dispatchCall(h.kiosk.handlers, name, input, silentLogger) as Promise<Result<SessionView>>;
const start = (phone: string, language?: string) => call('signIn.start', { phone, ...(language && { language }) });
const resend = (challengeId: string) => call('signIn.resend', { challengeId });
const callMe = (challengeId: string, language?: string) => call('signIn.call', { challengeId, ...(language && { language }) });
const verify = (challengeId: string, code: string) => call('signIn.verify', { challengeId, code });
const codeOf = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);

function challengeOf(result: Result<SessionView>) {
  if (!result.ok || result.value.state !== 'challenge') throw new Error(`expected a challenge, got ${JSON.stringify(result)}`);
  return result.value;
}
const calls = () => h.texts.filter((sms) => sms.channel === 'voice');
const texts = () => h.texts.filter((sms) => sms.channel === 'sms');
/** The code a call read out: its digits, once. */
const spokenCode = (sms: DemoSms) => /: ((?:\d, ){5}\d)\./.exec(sms.body)?.[1]?.replaceAll(', ', '') ?? '';

function changeDirectory(sql: string, ...params: unknown[]) {
  // Opened as the kiosk opens it: the directory file attached, so either file's tables.
  const db = openDatabase(path.join(h.dataDir, 'kiosk.db'));
  db.prepare(sql).run(...params);
  db.close();
}
const changeSettings = (patch: object) => changeDirectory('UPDATE kiosk_settings SET settings = json_patch(settings, ?)', JSON.stringify(patch));

describe('"Call me instead": the same code, read out by a call', () => {
  it('is offered after the first text, and reads the same code digit by digit, twice, in the language on screen', async () => {
    const started = challengeOf(await start(ALEX, 'es'));
    expect(started.callAt).toBe(started.resendAt);
    const code = h.lastCode();
    expect(codeOf(await callMe(started.challengeId))).toBe('sms.resendTooSoon');

    h.clock.advance(RESEND_COOLDOWN_MS);
    const called = challengeOf(await callMe(started.challengeId, 'es'));
    expect(called.callAt).toBe(h.clock.now() + RESEND_COOLDOWN_MS);
    expect(calls()).toHaveLength(1);
    const [spoken] = calls();
    expect(spoken).toMatchObject({ channel: 'voice', language: 'es', maskedTo: '+1 ••• ••• 0100' });
    expect(spoken!.body).toBe(`Le llama Contoso Demo Store. Su código del quiosco es: ${[...code].join(', ')}. Otra vez: ${[...code].join(', ')}.`);
    expect(spokenCode(spoken!)).toBe(code);

    expect(await verify(started.challengeId, code)).toMatchObject({ ok: true, value: { state: 'active' } });
  });

  it('shares the resend wait with "Resend code": one send every 30 seconds, whichever is used', async () => {
    const { challengeId } = challengeOf(await start(ALEX));
    h.clock.advance(RESEND_COOLDOWN_MS);
    challengeOf(await resend(challengeId));
    expect(codeOf(await callMe(challengeId))).toBe('sms.resendTooSoon');
    h.clock.advance(RESEND_COOLDOWN_MS);
    challengeOf(await callMe(challengeId));
    expect(codeOf(await resend(challengeId))).toBe('sms.resendTooSoon');
  });

  it('is ready at once where policy offerCallAtOnce says so', async () => {
    changeSettings({ offerCallAtOnce: true });
    const started = challengeOf(await start(ALEX));
    expect(started.callAt).toBe(h.clock.now());
    challengeOf(await callMe(started.challengeId));
    expect(calls()).toHaveLength(1);
    // After that first call, the usual wait.
    expect(codeOf(await callMe(started.challengeId))).toBe('sms.resendTooSoon');
  });

  it('counts against the same caps as a text: 3 texts and 2 calls reach the cap of 5 per number', async () => {
    const { challengeId } = challengeOf(await start(ALEX));
    for (const send of [resend, resend, callMe, callMe]) {
      h.clock.advance(RESEND_COOLDOWN_MS);
      challengeOf(await send(challengeId));
    }
    expect(texts()).toHaveLength(3);
    expect(calls()).toHaveLength(2);
    h.clock.advance(RESEND_COOLDOWN_MS);
    expect(codeOf(await callMe(challengeId))).toBe('sms.tooManySends');
    expect(codeOf(await resend(challengeId))).toBe('sms.tooManySends');
    expect(codeOf(await start(ALEX))).toBe('sms.tooManySends');
  });

  it('counts calls in the per-kiosk hourly cap too', async () => {
    changeSettings({ maxSmsPerKioskPerHour: 3 });
    const { challengeId } = challengeOf(await start(ALEX));
    h.clock.advance(RESEND_COOLDOWN_MS);
    challengeOf(await callMe(challengeId));
    challengeOf(await start('+1 206 555 0101'));
    expect(codeOf(await start('+1 206 555 0102'))).toBe('sms.kioskLimit');
  });

  it('is refused once the worker is locked out, like a text', async () => {
    const { challengeId } = challengeOf(await start(ALEX));
    changeDirectory("INSERT OR REPLACE INTO sign_in_lockouts (subject, consecutive_failures, locked_until) VALUES ('user:u-alex', 10, ?)", h.clock.now() + 60 * 60_000);
    h.clock.advance(RESEND_COOLDOWN_MS);
    expect(codeOf(await callMe(challengeId))).toBe('signIn.locked');
    expect(calls()).toHaveLength(0);
  });

  it('records the channel of every send in the audit log', async () => {
    const { challengeId } = challengeOf(await start(ALEX));
    h.clock.advance(RESEND_COOLDOWN_MS);
    challengeOf(await callMe(challengeId));
    await h.kiosk._textsSettled();
    const sends = h.kiosk.audit.query({ types: ['sms.send'], outcome: 'success', limit: 10 });
    expect(sends.map((event) => event.details)).toEqual([
      { provider: 'demo', channel: 'voice', resend: false },
      { provider: 'demo', channel: 'sms', resend: false },
    ]);
    // The admin screen's activity tells a call from a text.
    await call('admin.open', { pin: '2468' });
    const shown = (await call('admin.audit', { kind: 'sms', outcome: 'success', limit: 10 })) as unknown as Result<{ events: Array<{ channel?: string }> }>;
    expect(shown.ok && shown.value.events.map((event) => event.channel)).toEqual(['voice', 'sms']);
  });
});

describe('an office phone: calls only', () => {
  it('never gets a text, and signs in by call', async () => {
    const started = challengeOf(await start(ROSA));
    h.clock.advance(RESEND_COOLDOWN_MS);
    challengeOf(await resend(started.challengeId));
    expect(texts()).toHaveLength(0);
    h.clock.advance(RESEND_COOLDOWN_MS);
    challengeOf(await callMe(started.challengeId));
    expect(calls()).toHaveLength(1);
    expect(await verify(started.challengeId, spokenCode(calls()[0]!))).toMatchObject({ ok: true, value: { state: 'active', user: { displayName: 'Rosa Díaz' } } });
    expect(h.kiosk.audit.query({ types: ['sms.send'], outcome: 'info', limit: 5 }).map((event) => event.reason)).toEqual(['noCodeSent', 'waitsForCall']);
  });

  it('cannot sign in at all where policy switches calls off', async () => {
    changeSettings({ signInMethods: ['sms', 'shiftPin', 'authenticator'] });
    const started = challengeOf(await start(ROSA));
    expect(started).not.toHaveProperty('callAt');
    expect(codeOf(await callMe(started.challengeId))).toBe('signIn.callsOff');
    expect(h.texts).toHaveLength(0);
    expect(h.kiosk.audit.query({ types: ['signIn.start'], limit: 1 })[0]).toMatchObject({ reason: 'callOnlyPhone' });
  });
});

describe('policy signInMethods', () => {
  it('without sms, texts nobody and offers the call at once', async () => {
    changeSettings({ signInMethods: ['voice'] });
    const started = challengeOf(await start(ALEX));
    expect(started).toMatchObject({ callAt: h.clock.now(), textsOff: true });
    expect(h.texts).toHaveLength(0);
    challengeOf(await callMe(started.challengeId));
    expect(await verify(started.challengeId, spokenCode(calls()[0]!))).toMatchObject({ ok: true });
  });

  it('without sms or voice, refuses every start alike', async () => {
    changeSettings({ signInMethods: ['shiftPin'] });
    expect(codeOf(await start(ALEX))).toBe('signIn.codesOff');
    expect(codeOf(await start(NOBODY))).toBe('signIn.codesOff');
  });
});

describe('a provider that cannot place calls', () => {
  it('offers no call to anyone', async () => {
    const textsOnly: SmsSender & { sent: SmsMessage[] } = { provider: 'texts-only', sent: [], send(message) { this.sent.push(message); return Promise.resolve(); } };
    h.close();
    h = await openDemoKiosk({ smsSender: textsOnly });
    const started = challengeOf(await start(ALEX));
    expect(started).not.toHaveProperty('callAt');
    h.clock.advance(RESEND_COOLDOWN_MS);
    expect(codeOf(await callMe(started.challengeId))).toBe('signIn.callsOff');
  });
});

describe('registration-blind calls (#12)', () => {
  /** Everything a person at the kiosk can observe of a call attempt, ids and the masked number aside. */
  async function observe(phone: string) {
    const events: unknown[] = [];
    const off = h.kiosk.events.on('session.changed', (view) => events.push(view));
    const t0 = h.clock.now();
    // Ids and the masked number differ by design; times are kept, relative to the first start.
    const anonymous = (value: unknown) =>
      JSON.parse(JSON.stringify(value).replace(/"[0-9a-f]{32}"/g, '"id"').replace(/\+1 ••• ••• \d{4}/g, 'masked'), (_key, v: unknown) =>
        typeof v === 'number' && v > 1e12 ? v - t0 : v,
      ) as unknown;
    const strip = (r: Result<SessionView>) => anonymous(r);
    const answers = [strip(await start(phone))];
    const { challengeId } = challengeOf(await call('session.current', {}));
    answers.push(strip(await callMe(challengeId)));
    h.clock.advance(RESEND_COOLDOWN_MS);
    answers.push(strip(await callMe(challengeId)));
    h.clock.advance(RESEND_COOLDOWN_MS);
    answers.push(strip(await callMe(challengeId)));
    answers.push(strip(await call('signIn.cancel', {})));
    off();
    // Each answer waited for the same registration-blind deadline.
    return { answers, events: events.map(anonymous), waits: h.stopwatch.sleeps.splice(0) };
  }

  it('answers a registered and an unregistered (or ineligible) number alike, and calls only the registered one', async () => {
    h.stopwatch.sleeps.splice(0);
    const registered = await observe(ALEX);
    const callsToAlex = calls().length;
    h.clock.advance(60 * 60_000);
    const unregistered = await observe(NOBODY);
    h.clock.advance(60 * 60_000);
    const disabled = await observe(JORDAN);

    expect(unregistered).toEqual(registered);
    expect(disabled).toEqual(registered);
    expect(callsToAlex).toBe(2);
    expect(calls()).toHaveLength(2);
  });

  it('caps an unregistered number’s calls exactly as a registered one’s', async () => {
    for (const phone of [ALEX, NOBODY]) {
      const { challengeId } = challengeOf(await start(phone));
      const results: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        h.clock.advance(RESEND_COOLDOWN_MS);
        results.push(codeOf(await callMe(challengeId)));
      }
      expect(results).toEqual(['ok', 'ok', 'ok', 'ok', 'sms.tooManySends']);
    }
  });
});
