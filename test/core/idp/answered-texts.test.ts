import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionView } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { silentLogger } from '../../../src-main/core/base/log';
import { dispatchCall } from '../../../src-main/core/handlers/contract-dispatch';
import { openDemoKiosk, type DemoKioskHarness } from '../kiosk-harness';

const ALEX = '+1 206 555 0100';
const NOBODY = '+1 206 555 0199';
const MINUTE = 60_000;

let h: DemoKioskHarness;
beforeEach(async () => {
  h = await openDemoKiosk();
});
afterEach(() => h.close());

const call = (name: string, input: unknown) => dispatchCall(h.kiosk.handlers, name, input, silentLogger) as Promise<Result<SessionView>>;
const codeOf = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);
const wrong = (code: string) => String((Number(code || '0') + 1) % 1_000_000).padStart(6, '0');
function challengeOf(result: Result<SessionView>) {
  if (!result.ok || result.value.state !== 'challenge') throw new Error(`expected a challenge, got ${JSON.stringify(result)}`);
  return result.value;
}

/** Signs Alex in with the texted code and straight out again, as idle would. */
async function signInAndOut() {
  const challenge = challengeOf(await call('signIn.start', { phone: ALEX }));
  expect(codeOf(await call('signIn.verify', { challengeId: challenge.challengeId, code: h.lastCode() }))).toBe('ok');
  expect(codeOf(await call('session.signOut', {}))).toBe('ok');
  h.clock.advance(MINUTE);
}

describe('the per-number cap counts texts nobody answered', () => {
  it('lets a worker sign back in as often as they are signed out', async () => {
    for (let i = 0; i < 8; i += 1) await signInAndOut();
    expect(h.texts).toHaveLength(8);
  });

  it('still stops a sixth unanswered text in 15 minutes, after any number of answered ones', async () => {
    for (let i = 0; i < 3; i += 1) await signInAndOut();
    const results = [];
    for (let i = 0; i < 6; i += 1) {
      results.push(codeOf(await call('signIn.start', { phone: ALEX })));
      await call('signIn.cancel', {});
    }
    expect(results).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'sms.tooManySends']);
  });

  it('counts an unregistered number exactly like a registered one that never answers', async () => {
    const caps = async (phone: string) => {
      const results = [];
      for (let i = 0; i < 6; i += 1) {
        results.push(codeOf(await call('signIn.start', { phone })));
        await call('signIn.cancel', {});
      }
      return results;
    };
    expect(await caps(NOBODY)).toEqual(await caps(ALEX));
  });
});

describe('"Send a new code"', () => {
  it('sends a new code once five wrong tries killed the old one, and the new one signs in', async () => {
    const first = challengeOf(await call('signIn.start', { phone: ALEX }));
    const dead = h.lastCode();
    for (let i = 0; i < 5; i += 1) await call('signIn.verify', { challengeId: first.challengeId, code: wrong(dead) });
    const session = await call('session.current', {});
    expect(session).toMatchObject({ ok: true, value: { state: 'challenge', refusal: { code: 'code.tooManyAttempts' } } });

    const renewed = challengeOf(await call('signIn.renew', { challengeId: first.challengeId }));
    expect(renewed.challengeId).not.toBe(first.challengeId);
    expect(renewed.refusal).toBeUndefined();
    expect(h.texts).toHaveLength(2);
    expect(h.lastCode()).not.toBe('');
    expect(codeOf(await call('signIn.verify', { challengeId: renewed.challengeId, code: h.lastCode() }))).toBe('ok');
  });

  it('sends a new code for an expired one, and counts it as a send', async () => {
    const first = challengeOf(await call('signIn.start', { phone: ALEX }));
    h.clock.advance(4 * MINUTE);
    await call('session.activity', {}); // still at the kiosk: the code entry is not abandoned
    h.clock.advance(MINUTE);
    expect(codeOf(await call('signIn.verify', { challengeId: first.challengeId, code: h.lastCode() }))).toBe('code.expired');
    const renewed = challengeOf(await call('signIn.renew', { challengeId: first.challengeId }));
    expect(renewed.expiresAt).toBe(h.clock.now() + 5 * MINUTE);
    expect(h.texts).toHaveLength(2);
  });

  it('is a plain resend while the code still works: the same code, after the cooldown', async () => {
    const first = challengeOf(await call('signIn.start', { phone: ALEX }));
    const code = h.lastCode();
    expect(codeOf(await call('signIn.renew', { challengeId: first.challengeId }))).toBe('sms.resendTooSoon');
    h.clock.advance(30_000);
    expect(challengeOf(await call('signIn.renew', { challengeId: first.challengeId })).challengeId).toBe(first.challengeId);
    expect(h.lastCode()).toBe(code);
  });

  it('tells a locked number it is locked, even with the right code, and sends nothing', async () => {
    let challenge = challengeOf(await call('signIn.start', { phone: ALEX }));
    for (let round = 0; round < 2; round += 1) {
      const code = h.lastCode();
      for (let i = 0; i < 5; i += 1) await call('signIn.verify', { challengeId: challenge.challengeId, code: wrong(code) });
      if (round === 0) challenge = challengeOf(await call('signIn.renew', { challengeId: challenge.challengeId }));
    }
    const sent = h.texts.length;
    expect(codeOf(await call('signIn.verify', { challengeId: challenge.challengeId, code: h.lastCode() }))).toBe('signIn.locked');
    expect(codeOf(await call('signIn.renew', { challengeId: challenge.challengeId }))).toBe('signIn.locked');
    expect(h.texts).toHaveLength(sent);
  });
});

describe('"Send a new code" keeps the hardening of a start', () => {
  it('renews an unregistered number (kept only as its keyed hash) exactly like a registered one: a challenge, counted', async () => {
    const renewTwice = async (phone: string) => {
      const results: string[] = [];
      const first = challengeOf(await call('signIn.start', { phone }));
      for (let i = 0; i < 5; i += 1) await call('signIn.verify', { challengeId: first.challengeId, code: '000000' });
      const renewed = await call('signIn.renew', { challengeId: first.challengeId });
      results.push(renewed.ok ? renewed.value.state : renewed.error.code);
      // Start + renew + 3 more starts = 5 unanswered texts: the sixth is refused.
      for (let i = 0; i < 4; i += 1) {
        await call('signIn.cancel', {});
        results.push(codeOf(await call('signIn.start', { phone })));
      }
      await call('signIn.cancel', {});
      return results;
    };
    const nobody = await renewTwice(NOBODY);
    h.clock.advance(60 * MINUTE);
    expect(nobody).toEqual(['challenge', 'ok', 'ok', 'ok', 'sms.tooManySends']);
    expect(await renewTwice(ALEX)).toEqual(nobody);
  });

  it('resends in the language the code went out in', async () => {
    const first = challengeOf(await call('signIn.start', { phone: ALEX, language: 'es-MX' }));
    h.clock.advance(30_000);
    challengeOf(await call('signIn.resend', { challengeId: first.challengeId }));
    expect(h.texts).toHaveLength(2);
    expect(h.texts[0]!.body).toMatch(/es tu código/);
  });
});

describe('texts in the worker language', () => {
  it('uses the template for the language on screen, else the organisation default', async () => {
    await call('signIn.start', { phone: ALEX, language: 'es-MX' });
    expect(h.texts[0]!.body).toMatch(/^\d{6} es tu código del quiosco de Contoso Demo Store\. Caduca en 5 min\. No lo compartas\.$/);
    await call('signIn.cancel', {});
    await call('signIn.start', { phone: ALEX, language: 'sv' });
    expect(h.texts[0]!.body).toMatch(/^\d{6} is your Contoso Demo Store kiosk code/);
  });
});
