import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_USERS } from '../../../src-main/core/directory/directory-snapshot';
import { base32Decode, totpAt } from '../independent-totp';
import { openDemoKiosk, type DemoKioskHarness } from '../kiosk-harness';
import { answer, auditShapes, databaseText, lastAuditId, patchSettings, signInByText, signOut, value } from './no-text-helpers';

const ALEX = '+1 206 555 0100';
const PRIYA = '+1 206 555 0101';
const JORDAN = '+1 206 555 0104'; // account disabled
const NOBODY = '+1 206 555 0199';
const STEP = 30_000;

let h: DemoKioskHarness;
beforeEach(async () => {
  h = await openDemoKiosk();
});
afterEach(() => h.close());

const withCode = (phone: string, code: string) => h.kiosk.handlers['signIn.withAuthenticator']({ phone, code });
const other = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** Alex signs in by text, sets the app up from the "Setup key", and signs out; returns the secret. */
async function alexEnrols(): Promise<Buffer> {
  await signInByText(h, ALEX);
  const setup = value(await h.kiosk.handlers['authenticator.begin']({}));
  expect(setup.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
  expect(Buffer.from(setup.qrCode.split(',')[1]!, 'base64').toString()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  const secret = base32Decode(setup.setupKey);
  expect(secret).toHaveLength(20);
  expect(value(await h.kiosk.handlers['authenticator.confirm']({ code: totpAt(secret, h.clock.now()) }))).toMatchObject({ authenticator: true });
  await signOut(h);
  h.clock.advance(STEP);
  return secret;
}

describe('authenticator app codes', () => {
  it('confirms the set-up only with a code from the app', async () => {
    await signInByText(h, ALEX);
    const secret = base32Decode(value(await h.kiosk.handlers['authenticator.begin']({})).setupKey);
    expect(answer(await h.kiosk.handlers['authenticator.confirm']({ code: other(totpAt(secret, h.clock.now())) }))).toBe('code.wrong');
    expect(value(await h.kiosk.handlers['session.current']({}))).toMatchObject({ authenticator: false });
  });

  it('signs the worker in with number and code, no text, and records amr "otp"', async () => {
    const secret = await alexEnrols();
    const texts = h.texts.length;
    expect(value(await withCode(ALEX, totpAt(secret, h.clock.now())))).toMatchObject({ state: 'active', user: { displayName: 'Alex Rivera' }, amr: ['otp'], setUp: [] });
    expect(h.texts).toHaveLength(texts);
  });

  it('refuses a code used once for the rest of its window, and takes the next', async () => {
    const secret = await alexEnrols();
    const code = totpAt(secret, h.clock.now());
    value(await withCode(ALEX, code));
    await signOut(h);
    expect(answer(await withCode(ALEX, code))).toBe('authenticator.codeUsed');
    h.clock.advance(STEP);
    expect(answer(await withCode(ALEX, totpAt(secret, h.clock.now())))).toBe('ok:active');
  });

  it('accepts the previous and next step (clock drift) but not two away', async () => {
    const secret = await alexEnrols();
    h.clock.advance(5 * STEP);
    expect(answer(await withCode(ALEX, totpAt(secret, h.clock.now() - 2 * STEP)))).toBe('code.wrong:4');
    expect(answer(await withCode(ALEX, totpAt(secret, h.clock.now() - STEP)))).toBe('ok:active');
    await signOut(h);
    expect(answer(await withCode(ALEX, totpAt(secret, h.clock.now() + STEP)))).toBe('ok:active');
  });

  it('keeps the secret sealed at rest: neither it nor its base32 is in the database', async () => {
    const secret = await alexEnrols();
    const text = databaseText(h);
    expect(text).not.toContain(secret.toString('latin1'));
    expect(text).not.toContain(secret.toString('hex'));
  });

  it('closes after five wrong codes, even from a burst in parallel, until a sign-in by text', async () => {
    const secret = await alexEnrols();
    const right = totpAt(secret, h.clock.now());
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => withCode(ALEX, String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0'))));
    expect(answers.map(answer).sort()).toEqual([...Array<string>(16).fill('authenticator.tooManyAttempts'), 'code.wrong:1', 'code.wrong:2', 'code.wrong:3', 'code.wrong:4'].sort());
    expect(answer(await withCode(ALEX, right))).toBe('authenticator.tooManyAttempts');
    await signInByText(h, ALEX);
    await signOut(h);
    h.clock.advance(STEP);
    expect(answer(await withCode(ALEX, totpAt(secret, h.clock.now())))).toBe('ok:active');
  });

  it('counts wrong codes toward the same lockout as texts', async () => {
    await alexEnrols();
    for (let i = 0; i < 5; i += 1) await withCode(ALEX, '000001');
    // Five more wrong texted codes make ten in a row: the lockout of lockout.ts.
    const started = value(await h.kiosk.handlers['signIn.start']({ phone: ALEX }));
    if (started.state !== 'challenge') throw new Error('expected a challenge');
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(answer(await h.kiosk.handlers['signIn.verify']({ challengeId: started.challengeId, code: other(h.lastCode()) })));
    expect(answers.at(-1)).toBe('signIn.locked');
  });

  it('answers and audits alike for any number: enrolled, registered without, not allowed, unregistered', async () => {
    await alexEnrols();
    const runs: Record<string, { answers: string[]; shapes: unknown[] }> = {};
    for (const [name, phone] of Object.entries({ enrolled: ALEX, notEnrolled: PRIYA, disabled: JORDAN, unregistered: NOBODY })) {
      const from = lastAuditId(h);
      const answers = [];
      for (let i = 0; i < 6; i += 1) answers.push(answer(await withCode(phone, '000001')));
      runs[name] = { answers, shapes: auditShapes(h, from).map(({ hasUser: _user, ...shape }) => shape) };
    }
    expect(runs.enrolled!.answers).toEqual(['code.wrong:4', 'code.wrong:3', 'code.wrong:2', 'code.wrong:1', 'authenticator.tooManyAttempts', 'authenticator.tooManyAttempts']);
    expect(runs.notEnrolled).toEqual(runs.enrolled);
    expect(runs.disabled).toEqual(runs.enrolled);
    expect(runs.unregistered).toEqual(runs.enrolled);
  });
});

describe('sensitive apps', () => {
  const sensitive = { apps: [{ id: 'app-pay', name: 'Pay slips', page: 'shift-schedule', groupIds: [ALL_USERS], requires: 'authenticator' }] };

  it('ask a worker who signed in by text for an authenticator code, then open', async () => {
    await patchSettings(h, sensitive);
    const secret = await alexEnrols();
    await signInByText(h, ALEX);
    expect(value(await h.kiosk.handlers['apps.list']({}))).toEqual({ apps: [{ id: 'app-pay', name: 'Pay slips', requires: 'authenticator' }] });
    expect(answer(await h.kiosk.handlers['apps.open']({ appId: 'app-pay' }))).toBe('app.needsAuthenticator');
    expect(value(await h.kiosk.handlers['authenticator.stepUp']({ code: totpAt(secret, h.clock.now()) }))).toMatchObject({ amr: ['sms', 'otp'] });
    expect(value(await h.kiosk.handlers['apps.open']({ appId: 'app-pay' }))).toMatchObject({ target: 'tab' });
  });

  it('open at once for a worker who signed in with the authenticator', async () => {
    await patchSettings(h, sensitive);
    const secret = await alexEnrols();
    value(await withCode(ALEX, totpAt(secret, h.clock.now())));
    expect(value(await h.kiosk.handlers['apps.open']({ appId: 'app-pay' }))).toMatchObject({ target: 'tab' });
  });

  it('tell a worker without an authenticator why, and how to set it up', async () => {
    await patchSettings(h, sensitive);
    await signInByText(h, PRIYA);
    expect(answer(await h.kiosk.handlers['apps.open']({ appId: 'app-pay' }))).toBe('app.authenticatorNotSetUp');
  });

  it('show on the admin screen how the signed-in worker proved who they are', async () => {
    await patchSettings(h, sensitive);
    const secret = await alexEnrols();
    await signInByText(h, ALEX);
    value(await h.kiosk.handlers['authenticator.stepUp']({ code: totpAt(secret, h.clock.now()) }));
    value(await h.kiosk.handlers['admin.open']({ pin: '2468' }));
    expect(value(await h.kiosk.handlers['admin.session']({}))).toMatchObject({ signedIn: { displayName: 'Alex Rivera', amr: ['sms', 'otp'] } });
    const events = value(await h.kiosk.handlers['admin.audit']({ kind: 'signIn', outcome: 'success', limit: 10 })).events;
    expect(events.filter((e) => e.type === 'signIn.verify').map((e) => e.amr)).toContain('sms');
    expect(events.filter((e) => e.type === 'authenticator.stepUp').map((e) => e.amr)).toEqual(['otp']);
  });
});
