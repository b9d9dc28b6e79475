import Database from 'better-sqlite3';
import path from 'node:path';
import { directoryFileOf } from '../../../src-main/core/store/database';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionView, SignOutReason } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { openDemoKiosk, type DemoKioskHarness } from '../kiosk-harness';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

let h: DemoKioskHarness;
afterEach(() => h.close());

async function open(options: Parameters<typeof openDemoKiosk>[0] = {}) {
  h = await openDemoKiosk(options);
  return h;
}

const call = (name: 'session.current' | 'session.activity' | 'session.stillHere' | 'session.signOut') => h.kiosk.handlers[name]({});
const stateOf = (result: Result<SessionView>) => (result.ok ? result.value : { error: result.error.code });
const current = async () => stateOf(await call('session.current'));

/** Change the directory as a sync would: a second connection to the same file. */
function changeDirectory(sql: string, ...params: unknown[]) {
  const db = new Database(directoryFileOf(path.join(h.dataDir, 'kiosk.db')));
  db.prepare(sql).run(...params);
  db.close();
}

async function signIn(phone = '+1 206 555 0100') {
  const started = await h.kiosk.handlers['signIn.start']({ phone });
  if (!started.ok || started.value.state !== 'challenge') throw new Error('no challenge');
  const verified = await h.kiosk.handlers['signIn.verify']({ challengeId: started.value.challengeId, code: h.lastCode() });
  expect(stateOf(verified)).toMatchObject({ state: 'active' });
}

function lastSignOut() {
  return h.kiosk.audit.query({ types: ['session.signOut'], limit: 1 })[0];
}

describe('idle sign-out', () => {
  it('warns after 300 s without a touch, then signs out 60 s later', async () => {
    await open();
    await signIn();
    h.clock.advance(300 * SECOND - 1);
    expect(await current()).toMatchObject({ state: 'active' });
    h.clock.advance(1);
    expect(await current()).toMatchObject({ state: 'warning', user: { displayName: 'Alex Rivera' }, signOutAt: h.clock.now() + MINUTE });
    h.clock.advance(MINUTE);
    await expect.poll(current).toEqual({ state: 'ready', signedOut: 'idle' });
    expect(lastSignOut()).toMatchObject({ reason: 'idle', userId: 'u-alex' });
  });

  it('pushes the timeout back with every touch while signed in', async () => {
    await open();
    await signIn();
    for (let i = 0; i < 10; i += 1) {
      h.clock.advance(4 * MINUTE);
      await call('session.activity');
    }
    expect(await current()).toMatchObject({ state: 'active' });
  });

  it('during the warning, only "I\'m still here" returns to the session', async () => {
    await open();
    await signIn();
    h.clock.advance(5 * MINUTE);
    expect(stateOf(await call('session.activity'))).toMatchObject({ state: 'warning' });
    expect(stateOf(await call('session.stillHere'))).toMatchObject({ state: 'active' });
    // The idle timeout starts over from "I'm still here".
    h.clock.advance(5 * MINUTE - 1);
    expect(await current()).toMatchObject({ state: 'active' });
  });

  it('lets any touch dismiss the warning where policy says so', async () => {
    await open();
    changeDirectory("UPDATE kiosk_settings SET settings = json_patch(settings, '{\"anyTouchDismissesWarning\":true}')");
    await signIn();
    h.clock.advance(5 * MINUTE);
    expect(stateOf(await call('session.activity'))).toMatchObject({ state: 'active' });
  });

  it('sends an abandoned code entry back to the keypad after the idle timeout, wiping the number', async () => {
    await open();
    await h.kiosk.handlers['signIn.start']({ phone: '+1 206 555 0100' });
    h.clock.advance(5 * MINUTE);
    expect(await current()).toEqual({ state: 'ready', abandoned: true });
    expect(h.kiosk.audit.query({ types: ['signIn.abandoned'], limit: 1 })).toHaveLength(1);
  });
});

describe('the longest session', () => {
  it('signs out after 12 hours however busy the worker is', async () => {
    await open();
    await signIn();
    for (let elapsed = 0; elapsed < 12 * 60 * MINUTE - 4 * MINUTE; elapsed += 4 * MINUTE) {
      h.clock.advance(4 * MINUTE);
      await call('session.activity');
    }
    h.clock.advance(4 * MINUTE);
    await expect.poll(current).toEqual({ state: 'ready', signedOut: 'maxDuration' });
  });

  it("uses a group's own timeouts, the strictest of the worker's groups", async () => {
    await open();
    changeDirectory(
      "UPDATE kiosk_settings SET settings = json_patch(settings, ?)",
      JSON.stringify({ sessionByGroup: { 'grp-warehouse': { idleTimeoutSeconds: 900 }, 'grp-store': { idleTimeoutSeconds: 120, warningSeconds: 30 } } }),
    );
    // Sam is only in the warehouse: 15 minutes.
    await signIn('+1 206 555 0102');
    h.clock.advance(14 * MINUTE);
    expect(await current()).toMatchObject({ state: 'active' });
    await call('session.signOut');
    // Mei is in both: the store's 2 minutes and 30 s warning win.
    await signIn('+1 206 555 0103');
    h.clock.advance(2 * MINUTE);
    expect(await current()).toMatchObject({ state: 'warning', signOutAt: h.clock.now() + 30 * SECOND });
  });
});

describe('revocation', () => {
  it.each([
    ['the account is disabled', "UPDATE users SET account_enabled = 0 WHERE id = 'u-alex'"],
    ['the phone is removed', "DELETE FROM phone_methods WHERE user_id = 'u-alex'"],
    ['the phone is no longer ready', "UPDATE phone_methods SET sms_sign_in_state = 'notAllowedByPolicy' WHERE user_id = 'u-alex'"],
    ['the policy is turned off', "UPDATE sms_method_policy SET state = 'disabled'"],
  ])('ends the session at once when %s', async (_what, sql) => {
    await open();
    await signIn();
    changeDirectory(sql);
    await h.kiosk.directoryChanged();
    // No time passes: well within the one second DESIGN.md allows.
    expect(await current()).toEqual({ state: 'ready', signedOut: 'revoked' });
    expect(lastSignOut()).toMatchObject({ reason: 'revoked', userId: 'u-alex' });
  });

  it('leaves a worker who may still sign in alone', async () => {
    await open();
    await signIn();
    changeDirectory("UPDATE users SET display_name = 'Alex R.' WHERE id = 'u-alex'");
    await h.kiosk.directoryChanged();
    expect(await current()).toMatchObject({ state: 'active' });
  });
});

describe('signing out', () => {
  it.each(['admin', 'suspend', 'crash'] as const)('ends the session for the shell with reason %s, audited', async (reason) => {
    await open();
    await signIn();
    await h.kiosk.endSession(reason);
    expect(await current()).toEqual({ state: 'ready', signedOut: reason });
    expect(lastSignOut()).toMatchObject({ reason, userId: 'u-alex' });
  });

  it('wipes the worker\'s traces before the keypad is announced', async () => {
    const order: string[] = [];
    let finishWipe = () => {};
    await open({
      wipeSession: (reason: SignOutReason) => {
        order.push(`wipe:${reason}`);
        return new Promise<void>((resolve) => (finishWipe = () => {
          order.push('wiped');
          resolve();
        }));
      },
    });
    h.kiosk.events.on('session.changed', (view) => order.push(`screen:${view.state}`));
    await signIn();
    const signingOut = call('session.signOut');
    await Promise.resolve();
    expect(order).toEqual(['screen:challenge', 'screen:active', 'wipe:user']);
    finishWipe();
    await signingOut;
    expect(order).toEqual(['screen:challenge', 'screen:active', 'wipe:user', 'wiped', 'screen:ready']);
  });

  it('still shows the keypad when the wipe fails, and leaves no timer behind', async () => {
    await open({ wipeSession: () => Promise.reject(new Error('partition busy')) });
    const idle = h.clock.pending; // the expired-challenge sweep, always there
    await signIn();
    expect(stateOf(await call('session.signOut'))).toEqual({ state: 'ready', signedOut: 'user' });
    expect(h.clock.pending).toBe(idle);
  });
});
