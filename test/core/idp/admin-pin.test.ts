import { afterEach, describe, expect, it, vi } from 'vitest';
import { adminPinMatches, hashAdminPin } from '../../../src-main/core/idp/admin-pin';
import { seededRandom } from '../../fakes';
import { openDemoKiosk, type DemoKioskHarness } from '../kiosk-harness';

let h: DemoKioskHarness | undefined;
afterEach(() => {
  h?.close();
  h = undefined;
});

const codeOf = (result: { ok: boolean; error?: { code: string } }) => (result.ok ? 'ok' : result.error!.code);

describe('the admin PIN', () => {
  it('is kept only as a salted scrypt hash', async () => {
    const stored = await hashAdminPin('135790', seededRandom('pin'));
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(stored).not.toContain('135790');
    expect(await adminPinMatches('135790', stored)).toBe(true);
    expect(await adminPinMatches('135791', stored)).toBe(false);
    expect(await adminPinMatches('135790', 'md5$whatever')).toBe(false);
  });

  it('opens the admin screen with the demo PIN, and audits it', async () => {
    h = await openDemoKiosk();
    expect(await h.kiosk.handlers['admin.open']({ pin: '2468' })).toEqual({ ok: true, value: {} });
    expect(h.kiosk.audit.query({ types: ['admin.action'], limit: 1 })[0]).toMatchObject({ outcome: 'success', reason: 'open' });
  });

  it('counts down wrong PINs, then locks for five minutes', async () => {
    h = await openDemoKiosk();
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await h.kiosk.handlers['admin.open']({ pin: '0000' }));
    expect(answers.slice(0, 4).map((a) => !a.ok && a.error.attemptsLeft)).toEqual([4, 3, 2, 1]);
    expect(answers[4]).toMatchObject({ ok: false, error: { code: 'admin.locked', retryAt: h.clock.now() + 5 * 60_000 } });
    expect(codeOf(await h.kiosk.handlers['admin.open']({ pin: '2468' }))).toBe('admin.locked');
    h.clock.advance(5 * 60_000);
    expect(codeOf(await h.kiosk.handlers['admin.open']({ pin: '2468' }))).toBe('ok');
  });
});

describe('the admin screen', () => {
  it('refuses every admin call until the PIN opens it, and again five idle minutes later', async () => {
    h = await openDemoKiosk();
    expect(codeOf(await h.kiosk.handlers['admin.status']({}))).toBe('admin.closed');
    await h.kiosk.handlers['admin.open']({ pin: '2468' });
    h.clock.advance(4 * 60_000);
    expect(codeOf(await h.kiosk.handlers['admin.status']({}))).toBe('ok');
    h.clock.advance(4 * 60_000);
    expect(codeOf(await h.kiosk.handlers['admin.audit']({ limit: 10 }))).toBe('ok');
    h.clock.advance(5 * 60_000);
    expect(codeOf(await h.kiosk.handlers['admin.status']({}))).toBe('admin.closed');
    await h.kiosk.handlers['admin.open']({ pin: '2468' });
    await h.kiosk.handlers['admin.close']({});
    expect(codeOf(await h.kiosk.handlers['admin.status']({}))).toBe('admin.closed');
  });

  it('shows the device, its mode and how many people can sign in', async () => {
    h = await openDemoKiosk();
    await h.kiosk.handlers['admin.open']({ pin: '2468' });
    expect(await h.kiosk.handlers['admin.status']({})).toEqual({
      ok: true,
      value: { deviceName: 'Demo kiosk', version: '0.0.0-test', mode: 'demo', lastSync: null, users: 9, readyPhones: 7, directorySyncedAt: null, directoryTooOld: false, smsProviders: [] },
    });
    expect(codeOf(await h.kiosk.handlers['admin.syncNow']({}))).toBe('admin.notAvailable');
  });

  it('lists recent audit events, filtered, with numbers masked', async () => {
    h = await openDemoKiosk();
    await h.kiosk.handlers['signIn.start']({ phone: '+1 206 555 0199' });
    await h.kiosk.handlers['admin.open']({ pin: '2468' });
    const failures = await h.kiosk.handlers['admin.audit']({ outcome: 'failure', type: 'signIn.start', limit: 10 });
    expect(failures).toMatchObject({ ok: true, value: { events: [{ type: 'signIn.start', reason: 'unknownNumber', phoneMasked: '+1 ••• ••• 0199' }] } });
  });

  it('unlocks a worker by their number', async () => {
    h = await openDemoKiosk();
    for (let round = 0; round < 2; round += 1) {
      const started = await h.kiosk.handlers['signIn.start']({ phone: '2065550100' });
      const challengeId = started.ok && started.value.state === 'challenge' ? started.value.challengeId : '';
      const wrong = h.lastCode() === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i += 1) await h.kiosk.handlers['signIn.verify']({ challengeId, code: wrong });
    }
    expect(codeOf(await h.kiosk.handlers['signIn.start']({ phone: '2065550100' }))).toBe('signIn.locked');
    await h.kiosk.handlers['admin.open']({ pin: '2468' });
    expect(await h.kiosk.handlers['admin.unlock']({ phone: '(206) 555-0100' })).toEqual({ ok: true, value: { unlocked: 1 } });
    expect(codeOf(await h.kiosk.handlers['signIn.start']({ phone: '2065550100' }))).toBe('ok');
  });

  it('leaves kiosk mode from the admin screen, signing out whoever was in', async () => {
    const exitKiosk = vi.fn();
    h = await openDemoKiosk({ exitKiosk });
    await h.kiosk.handlers['admin.open']({ pin: '2468' });
    expect(await h.kiosk.handlers['admin.exit']({})).toEqual({ ok: true, value: {} });
    expect(exitKiosk).toHaveBeenCalledOnce();
    expect(codeOf(await h.kiosk.handlers['admin.status']({}))).toBe('admin.closed');
  });

  it('cannot leave kiosk mode where there is none (the browser preview)', async () => {
    h = await openDemoKiosk();
    await h.kiosk.handlers['admin.open']({ pin: '2468' });
    expect(codeOf(await h.kiosk.handlers['admin.exit']({}))).toBe('admin.notAvailable');
  });
});
