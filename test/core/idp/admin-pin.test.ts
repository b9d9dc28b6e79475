import { afterEach, describe, expect, it, vi } from 'vitest';
import { adminPinMatches, hashAdminPin } from '../../../src-main/core/idp/admin-pin';
import { seededRandom } from '../../fakes';
import { openDemoKiosk, type DemoKioskHarness } from '../kiosk-harness';

let h: DemoKioskHarness | undefined;
afterEach(() => {
  h?.close();
  h = undefined;
});

describe('the admin PIN', () => {
  it('is kept only as a salted scrypt hash', async () => {
    const stored = await hashAdminPin('135790', seededRandom('pin'));
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(stored).not.toContain('135790');
    expect(await adminPinMatches('135790', stored)).toBe(true);
    expect(await adminPinMatches('135791', stored)).toBe(false);
    expect(await adminPinMatches('135790', 'md5$whatever')).toBe(false);
  });

  it('leaves kiosk mode with the demo PIN, and audits it', async () => {
    const exitKiosk = vi.fn();
    h = await openDemoKiosk({ exitKiosk });
    expect(await h!.kiosk.handlers['admin.exit']({ pin: '2468' })).toEqual({ ok: true, value: {} });
    expect(exitKiosk).toHaveBeenCalledOnce();
    expect(h!.kiosk.audit.query({ types: ['admin.action'], limit: 1 })[0]).toMatchObject({ outcome: 'success', reason: 'exit' });
  });

  it('counts down wrong PINs, then locks for five minutes', async () => {
    const exitKiosk = vi.fn();
    h = await openDemoKiosk({ exitKiosk });
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await h!.kiosk.handlers['admin.exit']({ pin: '0000' }));
    expect(answers.slice(0, 4).map((a) => !a.ok && a.error.attemptsLeft)).toEqual([4, 3, 2, 1]);
    expect(answers[4]).toMatchObject({ ok: false, error: { code: 'admin.locked', retryAt: h!.clock.now() + 5 * 60_000 } });
    expect(await h!.kiosk.handlers['admin.exit']({ pin: '2468' })).toMatchObject({ ok: false, error: { code: 'admin.locked' } });
    h!.clock.advance(5 * 60_000);
    expect((await h!.kiosk.handlers['admin.exit']({ pin: '2468' })).ok).toBe(true);
    expect(exitKiosk).toHaveBeenCalledOnce();
  });

  it('cannot leave kiosk mode where there is none (the browser preview)', async () => {
    h = await openDemoKiosk();
    expect(await h!.kiosk.handlers['admin.exit']({ pin: '2468' })).toMatchObject({ ok: false, error: { code: 'admin.notAvailable' } });
  });
});
