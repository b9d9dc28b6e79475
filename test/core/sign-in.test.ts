import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionView } from '../../shared/contract';
import type { Result } from '../../shared/result';
import { openDemoKiosk, type DemoKioskHarness } from './kiosk-harness';

let h: DemoKioskHarness;
beforeEach(async () => {
  h = await openDemoKiosk();
});
afterEach(() => h.close());

const ALEX = '+1 206 555 0100';

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function start(phone: string) {
  const view = value(await h.kiosk.handlers['signIn.start']({ phone }));
  if (view.state !== 'challenge') throw new Error(`expected challenge, got ${view.state}`);
  return view;
}

const verify = async (challengeId: string, code: string) => h.kiosk.handlers['signIn.verify']({ challengeId, code });
const errorCode = (result: Result<SessionView>) => (result.ok ? 'ok' : result.error.code);
const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

function auditRows(): Array<{ type: string; outcome: string; reason: string | null; phone_masked: string | null }> {
  const db = new Database(path.join(h.dataDir, 'kiosk.db'), { readonly: true });
  try {
    return db.prepare('SELECT type, outcome, reason, phone_masked FROM audit_events ORDER BY id').all() as never;
  } finally {
    db.close();
  }
}

describe('signing in with a phone number and a texted code', () => {
  it('texts a 6-digit code to the demo phone and signs the worker in with it', async () => {
    const challenge = await start(ALEX);
    expect(challenge.maskedPhone).toBe('+1 ••• ••• 0100');
    expect(h.texts).toHaveLength(1);
    expect(h.texts[0]!.maskedTo).toBe('+1 ••• ••• 0100');
    expect(h.lastCode()).toMatch(/^\d{6}$/);

    const signedIn = value(await verify(challenge.challengeId, h.lastCode()));
    expect(signedIn).toMatchObject({ state: 'active', user: { displayName: 'Alex Rivera' } });
    expect(value(await h.kiosk.handlers['session.current']({}))).toMatchObject({ state: 'active' });

    expect(value(await h.kiosk.handlers['session.signOut']({}))).toEqual({ state: 'ready', signedOut: 'user' });
  });

  it('accepts a code once only', async () => {
    const challenge = await start(ALEX);
    const code = h.lastCode();
    value(await verify(challenge.challengeId, code));
    value(await h.kiosk.handlers['session.signOut']({}));
    // Replaying the old challenge and code after sign-out gets nobody in.
    expect(errorCode(await verify(challenge.challengeId, code))).toBe('challenge.notFound');
  });

  it('refuses a code after its five minutes are up', async () => {
    const challenge = await start(ALEX);
    // The worker keeps touching the screen, so the code entry is not abandoned first.
    h.clock.advance(4 * 60_000);
    await h.kiosk.handlers['session.activity']({});
    h.clock.advance(60_000);
    expect(errorCode(await verify(challenge.challengeId, h.lastCode()))).toBe('code.expired');
  });

  it('still accepts a code one second before it expires', async () => {
    const challenge = await start(ALEX);
    h.clock.advance(5 * 60_000 - 1000);
    expect(errorCode(await verify(challenge.challengeId, h.lastCode()))).toBe('ok');
  });

  it('counts down wrong tries and kills the code after five', async () => {
    const challenge = await start(ALEX);
    const wrong = otherCode(h.lastCode());
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await verify(challenge.challengeId, wrong));
    expect(answers.slice(0, 4).map((r) => !r.ok && r.error.attemptsLeft)).toEqual([4, 3, 2, 1]);
    expect(errorCode(answers[4]!)).toBe('code.tooManyAttempts');
    // Even the right code is refused now: the worker must request a new one.
    expect(errorCode(await verify(challenge.challengeId, h.lastCode()))).toBe('code.tooManyAttempts');
  });

  it('behaves the same for an unregistered number but sends nothing and lets nobody in', async () => {
    const challenge = await start('+1 206 555 0199');
    expect(challenge.maskedPhone).toBe('+1 ••• ••• 0199');
    expect(h.texts).toHaveLength(0);
    const result = await verify(challenge.challengeId, '123456');
    expect(errorCode(result)).toBe('code.wrong');
    expect(auditRows().find((row) => row.type === 'signIn.start')).toMatchObject({ outcome: 'failure', reason: 'unknownNumber' });
  });

  it.each([
    ['+1 206 555 0104', 'accountDisabled'],
    ['+1 206 555 0105', 'privilegedRole'],
  ])('texts no code to %s and records the real reason (%s) for IT', async (phone, reason) => {
    await start(phone);
    expect(h.texts).toHaveLength(0);
    expect(auditRows().find((row) => row.type === 'signIn.start')).toMatchObject({ outcome: 'failure', reason });
  });

  it('refuses a second sign-in while someone is signed in', async () => {
    const challenge = await start(ALEX);
    value(await verify(challenge.challengeId, h.lastCode()));
    expect(errorCode(await h.kiosk.handlers['signIn.start']({ phone: '+1 206 555 0101' }))).toBe('session.busy');
  });

  it('refuses a code for a challenge that is not the current one', async () => {
    const first = await start(ALEX);
    const firstCode = h.lastCode();
    await start('+1 206 555 0101');
    expect(errorCode(await verify(first.challengeId, firstCode))).toBe('challenge.notFound');
  });

  it('gives a malformed number a specific error and creates no challenge', async () => {
    expect(errorCode(await h.kiosk.handlers['signIn.start']({ phone: '12' }))).toBe('phone.tooShort');
    expect(value(await h.kiosk.handlers['session.current']({}))).toEqual({ state: 'ready' });
  });

  it('stores no code anywhere, and no full phone number in the audit log', async () => {
    const challenge = await start(ALEX);
    const code = h.lastCode();
    await verify(challenge.challengeId, otherCode(code));
    value(await verify(challenge.challengeId, code));
    for (const file of ['kiosk.db', 'kiosk.db-wal']) {
      const content = readFileSync(path.join(h.dataDir, file)).toString('latin1');
      expect(content).not.toContain(code);
    }
    const audit = auditRows();
    expect(audit.length).toBeGreaterThan(3);
    expect(audit.every((row) => !JSON.stringify(row).includes('2065550100'))).toBe(true);
    expect(audit.filter((row) => row.phone_masked).every((row) => row.phone_masked === '+1 ••• ••• 0100')).toBe(true);
  });

  it('never resumes a session after a restart', async () => {
    const challenge = await start(ALEX);
    value(await verify(challenge.challengeId, h.lastCode()));
    h = await h.reopen();
    expect(value(await h.kiosk.handlers['session.current']({}))).toEqual({ state: 'ready' });
    expect(auditRows().at(-1)).toMatchObject({ type: 'session.signOut', reason: 'crash' });
  });
});
