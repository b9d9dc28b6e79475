import { expect } from '@playwright/test';
import { kioskTest as test, patchKioskSettings, signInAsAlex, type KioskScreen } from './kiosk-app';

test('a worker signs in with a texted code and signs out again', async ({ kiosk }) => {
  const page = await kiosk.app.firstWindow();
  await signInAsAlex(page);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByLabel('Mobile number')).toBeVisible();
});

test('an idle worker is warned, then signed out to the keypad', async ({ kiosk }) => {
  test.setTimeout(90_000);
  const page = await kiosk.app.firstWindow();
  // The shortest timeouts policy allows, set as a directory sync would set them.
  patchKioskSettings(kiosk, { session: { idleTimeoutSeconds: 15, warningSeconds: 5 } });

  await signInAsAlex(page);

  await expect(page.getByRole('alertdialog', { name: 'Are you still there?' })).toBeVisible({ timeout: 20_000 });
  await expect
    .poll(() => page.evaluate(() => (window as unknown as KioskScreen).kiosk.session.current({})), { timeout: 10_000 })
    .toEqual({ ok: true, value: { state: 'ready', signedOut: 'idle' } });
  await expect(page.getByLabel('Mobile number')).toHaveValue('');
});
