import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppLauncher } from '../../../src-main/core/session/app-launcher';
import { kioskAppSchema } from '../../../src-main/core/directory/directory-snapshot';
import { openDemoKiosk, type DemoKioskHarness } from '../kiosk-harness';

let h: DemoKioskHarness;
afterEach(() => h.close());

async function signIn(phone: string) {
  const started = await h.kiosk.handlers['signIn.start']({ phone });
  if (!started.ok || started.value.state !== 'challenge') throw new Error('no challenge');
  await h.kiosk.handlers['signIn.verify']({ challengeId: started.value.challengeId, code: h.lastCode() });
}

const appNames = async () => {
  const listed = await h.kiosk.handlers['apps.list']({});
  return listed.ok ? listed.value.apps.map((app) => app.name) : listed.error.code;
};

describe('apps on the home screen', () => {
  it('lists nothing before anyone signs in', async () => {
    h = await openDemoKiosk();
    expect(await appNames()).toEqual([]);
  });

  it("lists the apps the worker's groups may use, and only those", async () => {
    h = await openDemoKiosk();
    await signIn('+1 206 555 0100'); // Store Associates
    expect(await appNames()).toEqual(['Shift schedule']);
    await h.kiosk.handlers['session.signOut']({});
    await signIn('+1 206 555 0102'); // Warehouse Team
    expect(await appNames()).toEqual(['Shift schedule', 'Safety handbook']);
  });

  it('refuses to open an app the worker may not use, or any app after sign-out', async () => {
    h = await openDemoKiosk();
    await signIn('+1 206 555 0100');
    expect(await h.kiosk.handlers['apps.open']({ appId: 'app-safety' })).toMatchObject({ ok: false, error: { code: 'app.notFound' } });
    await h.kiosk.handlers['session.signOut']({});
    expect(await h.kiosk.handlers['apps.open']({ appId: 'app-shifts' })).toMatchObject({ ok: false, error: { code: 'app.notFound' } });
  });

  it('opens an app in a browser tab in the preview host', async () => {
    h = await openDemoKiosk();
    await signIn('+1 206 555 0100');
    expect(await h.kiosk.handlers['apps.open']({ appId: 'app-shifts' })).toEqual({ ok: true, value: { target: 'tab', url: '/apps/shift-schedule.html' } });
  });

  it("hands the shell's launcher the app and this sign-in's session", async () => {
    const launcher: AppLauncher = { open: vi.fn(() => Promise.resolve({ target: 'kiosk' as const })), showHome: vi.fn() };
    h = await openDemoKiosk({ appLauncher: launcher });
    await signIn('+1 206 555 0102');
    expect(await h.kiosk.handlers['apps.open']({ appId: 'app-safety' })).toEqual({ ok: true, value: { target: 'kiosk' } });
    expect(launcher.open).toHaveBeenCalledWith(expect.objectContaining({ id: 'app-safety', page: 'safety-handbook' }), expect.stringMatching(/^[0-9a-f]{32}$/));
    await h.kiosk.handlers['apps.home']({});
    expect(launcher.showHome).toHaveBeenCalled();
  });
});

describe('an app in the policy', () => {
  it.each([
    [{ url: 'http://intranet.example' }, 'https://'],
    [{ url: 'javascript:alert(1)' }, 'https://'],
    [{ url: 'https://a.example', page: 'shift-schedule' }, 'either a url or a built-in page'],
    [{}, 'either a url or a built-in page'],
    [{ url: 'https://a.example', icon: 'https://tracker.example/pixel.png' }, 'data: URL'],
  ])('is refused when %j', (fields, message) => {
    const result = kioskAppSchema.safeParse({ id: 'a', name: 'App', groupIds: ['all_users'], ...fields });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(message);
  });
});
