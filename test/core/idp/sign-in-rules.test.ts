import Database from 'better-sqlite3';
import path from 'node:path';
import { directoryFileOf } from '../../../src-main/core/store/database';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionView } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { dispatchCall } from '../../../src-main/core/handlers/contract-dispatch';
import { silentLogger } from '../../../src-main/core/base/log';
import { SmsSendError, type SmsMessage, type SmsSender } from '../../../src-main/core/sms/sms-sender';
import { openDemoKiosk, type DemoKioskHarness } from '../kiosk-harness';

const ALEX = '+1 206 555 0100';
const PRIYA = '+1 206 555 0101';
const NOBODY = '+1 206 555 0199';
const MINUTE = 60_000;

let h: DemoKioskHarness;
beforeEach(async () => {
  h = await openDemoKiosk();
});
afterEach(() => h.close());

/** Every call goes through the public contract door, as the renderer's would. */
const call = (name: string, input: unknown) => dispatchCall(h.kiosk.handlers, name, input, silentLogger) as Promise<Result<SessionView>>;
const start = (phone: string) => call('signIn.start', { phone });
const resend = (challengeId: string) => call('signIn.resend', { challengeId });
const verify = (challengeId: string, code: string) => call('signIn.verify', { challengeId, code });
const codeOf = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);
const wrong = (code: string) => String((Number(code || '0') + 1) % 1_000_000).padStart(6, '0');

function challengeOf(result: Result<SessionView>) {
  if (!result.ok || result.value.state !== 'challenge') throw new Error(`expected a challenge, got ${JSON.stringify(result)}`);
  return result.value;
}

/** Changes the directory as a sync would: a second connection to the same file. */
function changeDirectory(sql: string, ...params: unknown[]) {
  const db = new Database(directoryFileOf(path.join(h.dataDir, 'kiosk.db')));
  db.prepare(sql).run(...params);
  db.close();
}
const changeSettings = (patch: object) => changeDirectory('UPDATE kiosk_settings SET settings = json_patch(settings, ?)', JSON.stringify(patch));

/**
 * Types `count` wrong codes for `phone` the way a person would: a new code whenever the
 * last one is dead, waiting out any send cap or lock that allows waiting. Returns the
 * result of each wrong entry.
 */
async function typeWrongCodes(phone: string, count: number): Promise<Array<Result<SessionView>>> {
  const results: Array<Result<SessionView>> = [];
  let challengeId: string | null = null;
  while (results.length < count) {
    if (!challengeId) {
      const started = await start(phone);
      if (!started.ok) {
        expect(['sms.tooManySends', 'signIn.locked']).toContain(started.error.code);
        if (started.error.retryAt === undefined) return results; // locked until an admin unlocks
        h.clock.advanceTo(started.error.retryAt);
        continue;
      }
      challengeId = challengeOf(started).challengeId;
    }
    const result = await verify(challengeId, wrong(h.lastCode()));
    results.push(result);
    if (codeOf(result) !== 'code.wrong') challengeId = null;
  }
  return results;
}

describe('lockout (NIST SP 800-63B §5.2.2)', () => {
  it('locks SMS sign-in for 1 minute after 10 consecutive wrong codes', async () => {
    const results = await typeWrongCodes(ALEX, 10);
    const locked = results.at(-1)!;
    expect(locked).toMatchObject({ ok: false, error: { code: 'signIn.locked', retryAt: h.clock.now() + MINUTE } });
    expect(results.slice(0, 9).every((r) => codeOf(r) !== 'signIn.locked')).toBe(true);

    expect(codeOf(await start(ALEX))).toBe('signIn.locked');
    h.clock.advance(MINUTE);
    expect(codeOf(await start(ALEX))).toBe('ok');
  });

  it('doubles the lock with each further 10 failures up to 1 hour, and locks until an admin unlocks at 100', async () => {
    const lockMinutes: Array<number | null> = [];
    for (let lockout = 0; lockout < 10; lockout += 1) {
      const last = (await typeWrongCodes(ALEX, 10)).at(-1)!;
      expect(codeOf(last)).toBe('signIn.locked');
      const retryAt = last.ok ? undefined : last.error.retryAt;
      lockMinutes.push(retryAt === undefined ? null : (retryAt - h.clock.now()) / MINUTE);
      if (retryAt !== undefined) h.clock.advanceTo(retryAt);
    }
    expect(lockMinutes).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60, null]);

    h.clock.advance(7 * 24 * 60 * MINUTE);
    const stillLocked = await start(ALEX);
    expect(stillLocked).toMatchObject({ ok: false, error: { code: 'signIn.locked' } });
    expect(stillLocked.ok || stillLocked.error.retryAt).toBeUndefined();
    expect(stillLocked.ok || stillLocked.error.message).toContain('Ask a manager to unlock it');

    await h.kiosk.handlers['admin.open']({ pin: '2468' });
    expect(await h.kiosk.handlers['admin.unlock']({ phone: ALEX })).toEqual({ ok: true, value: { unlocked: 1 } });
    expect(codeOf(await start(ALEX))).toBe('ok');
    expect(h.kiosk.audit.query({ types: ['admin.unlock'], limit: 5 })).toEqual([expect.objectContaining({ outcome: 'success', userId: 'u-alex' })]);
  });

  it('resets the failure count after a successful sign-in', async () => {
    await typeWrongCodes(ALEX, 9);
    const challenge = challengeOf(await start(ALEX));
    expect(codeOf(await verify(challenge.challengeId, h.lastCode()))).toBe('ok');
    await call('session.signOut', {});
    const next = await typeWrongCodes(ALEX, 9);
    expect(next.map(codeOf)).not.toContain('signIn.locked');
  });

  it('locks an unregistered number exactly as it locks a registered one', async () => {
    const registered = [...(await typeWrongCodes(ALEX, 10)), await start(ALEX)];
    const unregistered = [...(await typeWrongCodes(NOBODY, 10)), await start(NOBODY)];
    expect(unregistered.map(codeOf)).toEqual(registered.map(codeOf));
    expect(unregistered.at(-1)).toMatchObject({ ok: false, error: { code: 'signIn.locked', retryAt: h.clock.now() + MINUTE } });
  });

  it('records each lockout in the audit log', async () => {
    await typeWrongCodes(ALEX, 10);
    expect(h.kiosk.audit.query({ types: ['signIn.lockout'], limit: 5 })).toEqual([
      expect.objectContaining({ reason: 'temporary', userId: 'u-alex', phoneMasked: '+1 ••• ••• 0100' }),
    ]);
  });
});

describe('resending a code', () => {
  it('is refused during the 30 s cooldown, then re-sends the same code', async () => {
    const first = challengeOf(await start(ALEX));
    const code = h.lastCode();
    expect(first.resendAt).toBe(h.clock.now() + 30_000);
    expect(await resend(first.challengeId)).toMatchObject({ ok: false, error: { code: 'sms.resendTooSoon', retryAt: first.resendAt } });

    h.clock.advance(30_000);
    const again = challengeOf(await resend(first.challengeId));
    expect(h.texts).toHaveLength(2);
    expect(h.lastCode()).toBe(code);
    expect(again.resendAt).toBe(h.clock.now() + 30_000);
    expect(again.expiresAt).toBe(first.expiresAt);
    expect(codeOf(await verify(first.challengeId, code))).toBe('ok');
  });

  it('does not revive an expired code', async () => {
    const challenge = challengeOf(await start(ALEX));
    h.clock.advance(4 * MINUTE);
    await call('session.activity', {});
    h.clock.advance(MINUTE);
    expect(codeOf(await resend(challenge.challengeId))).toBe('code.expired');
    expect(h.texts).toHaveLength(1);
  });

  it('behaves the same for an unregistered number but sends nothing', async () => {
    const challenge = challengeOf(await start(NOBODY));
    expect(codeOf(await resend(challenge.challengeId))).toBe('sms.resendTooSoon');
    h.clock.advance(30_000);
    expect(codeOf(await resend(challenge.challengeId))).toBe('ok');
    expect(h.texts).toHaveLength(0);
  });
});

describe('send caps against SMS pumping', () => {
  it('sends at most 5 texts to one number in 15 minutes', async () => {
    const firstSentAt = h.clock.now();
    const challenge = challengeOf(await start(ALEX));
    for (let i = 0; i < 4; i += 1) {
      h.clock.advance(30_000);
      expect(codeOf(await resend(challenge.challengeId))).toBe('ok');
    }
    h.clock.advance(30_000);
    expect(await resend(challenge.challengeId)).toMatchObject({ ok: false, error: { code: 'sms.tooManySends', retryAt: firstSentAt + 15 * MINUTE } });
    expect(codeOf(await start(ALEX))).toBe('sms.tooManySends');
    expect(h.texts).toHaveLength(5);
    expect(codeOf(await start(PRIYA))).toBe('ok');

    h.clock.advanceTo(firstSentAt + 15 * MINUTE);
    expect(codeOf(await start(ALEX))).toBe('ok');
  });

  it('caps an unregistered number at the same count', async () => {
    const results = [];
    for (let i = 0; i < 6; i += 1) results.push(codeOf(await start(NOBODY)));
    expect(results).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'sms.tooManySends']);
  });

  it("stops texts to any number once the kiosk's hourly cap is reached", async () => {
    changeSettings({ maxSmsPerKioskPerHour: 3 });
    for (const phone of [ALEX, PRIYA, '+1 206 555 0102']) expect(codeOf(await start(phone))).toBe('ok');
    expect(await start('+1 206 555 0103')).toMatchObject({ ok: false, error: { code: 'sms.kioskLimit', retryAt: h.clock.now() + 60 * MINUTE } });
    // An unregistered number is refused alike, so the cap reveals nothing.
    expect(codeOf(await start(NOBODY))).toBe('sms.kioskLimit');
    h.clock.advance(60 * MINUTE);
    expect(codeOf(await start('+1 206 555 0103'))).toBe('ok');
  });
});

describe('a failed send', () => {
  class FlakySender implements SmsSender {
    readonly provider = 'flaky';
    failures = 0;
    sent: SmsMessage[] = [];
    send(message: SmsMessage): Promise<void> {
      if (this.failures > 0) {
        this.failures -= 1;
        return Promise.reject(new SmsSendError('http-503', 'The provider is unavailable.'));
      }
      this.sent.push(message);
      return Promise.resolve();
    }
  }

  it('shows the code screen all the same, counts against the caps, and tells every later start that texts may be late', async () => {
    const sender = new FlakySender();
    h.close();
    h = await openDemoKiosk({ smsSender: sender });
    sender.failures = 3;
    const first = challengeOf(await start(ALEX));
    expect(first).not.toHaveProperty('textsMayBeLate');
    await h.kiosk._textsSettled();
    // Registered or not, every start now carries the same kiosk-wide notice.
    expect(challengeOf(await start(NOBODY))).toMatchObject({ textsMayBeLate: true });
    expect(challengeOf(await start(ALEX))).toMatchObject({ textsMayBeLate: true });
    await h.kiosk._textsSettled();
    challengeOf(await start(ALEX));
    await h.kiosk._textsSettled();
    expect(sender.sent).toHaveLength(0);
    // The failed texts used up sends: two more, and the per-number cap of five is reached.
    challengeOf(await start(ALEX));
    await h.kiosk._textsSettled();
    expect(challengeOf(await start(ALEX))).not.toHaveProperty('textsMayBeLate');
    expect(codeOf(await start(ALEX))).toBe('sms.tooManySends');
    expect(sender.sent).toHaveLength(2);
    expect(h.kiosk.audit.query({ types: ['sms.send'], outcome: 'failure', limit: 10 })).toHaveLength(3);
    expect(h.kiosk.audit.query({ types: ['sms.send'], outcome: 'failure', limit: 1 })[0]).toMatchObject({
      reason: 'http-503',
      details: { provider: 'flaky', resend: false },
    });
  });
});

describe('who may sign in, as the directory changes', () => {
  it('stops sign-in at once when the policy is turned off, leaving assignments in place', async () => {
    const challenge = challengeOf(await start(ALEX));
    changeDirectory("UPDATE sms_method_policy SET state = 'disabled'");
    expect(codeOf(await verify(challenge.challengeId, h.lastCode()))).toBe('code.wrong');
    challengeOf(await start(PRIYA));
    expect(h.texts).toHaveLength(1);
    const db = new Database(directoryFileOf(path.join(h.dataDir, 'kiosk.db')), { readonly: true });
    expect(db.prepare('SELECT count(*) FROM phone_methods').pluck().get()).toBe(9);
    db.close();
    expect(h.kiosk.audit.query({ types: ['signIn.start'], limit: 1 })[0]).toMatchObject({ reason: 'policyDisabled' });
  });

  it('refuses a number two users hold, for both of them', async () => {
    changeDirectory("UPDATE phone_methods SET phone_number = '+12065550100' WHERE user_id = 'u-priya'");
    challengeOf(await start(ALEX));
    expect(h.texts).toHaveLength(0);
    expect(h.kiosk.audit.query({ types: ['signIn.start'], limit: 1 })[0]).toMatchObject({ reason: 'phoneNumberNotUnique' });
  });
});

describe('enumeration resistance', () => {
  it('answers a registered and an unregistered number at the same deadline, learned from real sends', async () => {
    h.stopwatch.sendTakesMs = 1_500;
    challengeOf(await start(ALEX));
    await h.kiosk._textsSettled();
    challengeOf(await start(NOBODY));
    challengeOf(await start(PRIYA));
    await h.kiosk._textsSettled();
    // Before any real send the floor; then the 95th percentile of real send times.
    expect(h.stopwatch.sleeps[0]).toBe(800);
    expect(h.stopwatch.sleeps[1]).toBe(h.stopwatch.sleeps[2]);
    expect(h.stopwatch.sleeps[1]).toBeGreaterThanOrEqual(1_500);
  });

  it('tells an unregistered number so when the policy flag allows it, and the audit log keeps the reason', async () => {
    changeSettings({ revealUnregisteredNumbers: true });
    expect(await start(NOBODY)).toMatchObject({ ok: false, error: { code: 'phone.notRegistered' } });
    expect(codeOf(await start('+1 206 555 0104'))).toBe('phone.notRegistered');
    expect(h.kiosk.audit.query({ types: ['signIn.start'], limit: 1 })[0]).toMatchObject({ reason: 'accountDisabled', userId: 'u-jordan' });
    expect(codeOf(await start(ALEX))).toBe('ok');
  });
});

describe('the text message', () => {
  it('follows the policy template, naming the organisation and how long the code is valid', async () => {
    changeSettings({ messageTemplate: '{organization}: your code is {code}. Valid {minutes} min. Never share it.', codeValiditySeconds: 120 });
    challengeOf(await start(ALEX));
    expect(h.texts[0]!.body).toBe(`Contoso Demo Store: your code is ${h.lastCode()}. Valid 2 min. Never share it.`);
  });

  it('expires the code when the policy validity runs out', async () => {
    changeSettings({ codeValiditySeconds: 60 });
    const challenge = challengeOf(await start(ALEX));
    h.clock.advance(60_000);
    expect(codeOf(await verify(challenge.challengeId, h.lastCode()))).toBe('code.expired');
  });
});

describe('the audit log', () => {
  it('finds every event for one number by its keyed hash, and holds the number only masked', async () => {
    challengeOf(await start(ALEX));
    challengeOf(await start(PRIYA));
    challengeOf(await start(NOBODY));
    const forAlex = h.kiosk.audit.query({ phoneNumber: '+12065550100', limit: 50 });
    expect(forAlex.map((e) => e.type).sort()).toEqual(['signIn.start', 'sms.send']);
    expect(forAlex.every((e) => e.phoneMasked === '+1 ••• ••• 0100')).toBe(true);
    const db = new Database(path.join(h.dataDir, 'kiosk.db'), { readonly: true });
    const raw = JSON.stringify(db.prepare('SELECT * FROM audit_events').all());
    db.close();
    expect(raw).not.toMatch(/206555010\d/);
  });

  it('keeps only what retention allows: by age, then by row count', async () => {
    challengeOf(await start(ALEX));
    h.clock.advance(91 * 24 * 60 * MINUTE);
    h.kiosk.audit.prune();
    expect(h.kiosk.audit.query({ types: ['signIn.start', 'sms.send'], limit: 10 })).toEqual([]);

    changeSettings({ auditMaxRows: 1000 });
    for (let i = 0; i < 1200; i += 1) h.kiosk.audit.record({ type: 'sync.apply', outcome: 'info', details: { i } });
    h.kiosk.audit.prune();
    const kept = h.kiosk.audit.query({ limit: 5000 });
    expect(kept).toHaveLength(1000);
    expect(kept[0]!.details).toEqual({ i: 1199 });
  });
});

describe('brute force through the public contract', () => {
  it('never signs anyone in over thousands of wrong codes, and ends locked until an admin unlocks', async () => {
    let attempts = 0;
    let challengeId: string | null = null;
    const outcomes = new Map<string, number>();
    while (attempts < 3000) {
      attempts += 1;
      const result: Result<SessionView> = challengeId ? await verify(challengeId, wrong(h.lastCode())) : await start(ALEX);
      outcomes.set(codeOf(result), (outcomes.get(codeOf(result)) ?? 0) + 1);
      expect(result.ok && result.value.state === 'active').toBe(false);
      if (!challengeId && result.ok) challengeId = challengeOf(result).challengeId;
      else if (challengeId && codeOf(result) !== 'code.wrong') challengeId = null;
      else if (!result.ok && result.error.retryAt) h.clock.advanceTo(result.error.retryAt);
    }
    expect(await call('session.current', {})).toMatchObject({ ok: true, value: { state: expect.not.stringMatching('active') } });
    const lockedForGood = await start(ALEX);
    expect(lockedForGood).toMatchObject({ ok: false, error: { code: 'signIn.locked' } });
    expect(lockedForGood.ok || lockedForGood.error.retryAt).toBeUndefined();
    // 100 wrong codes at 5 per code: exactly 20 texts, however long the attacker keeps going.
    expect(h.texts).toHaveLength(20);
    expect(outcomes.get('signIn.locked')).toBeGreaterThan(2000);
   }, 180_000);
});
