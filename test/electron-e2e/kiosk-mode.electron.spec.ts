import { expect } from '@playwright/test';
import { kioskTest as test, type KioskScreen } from './kiosk-app';

test('the kiosk window will not close until an admin leaves kiosk mode with the PIN', async ({ kiosk }) => {
  const app = kiosk.app;
  const page = await app.firstWindow();
  await expect(page.getByLabel('Mobile number')).toBeVisible();

  // What Alt+F4 or the window manager's close button asks for.
  const closed = await app.evaluate(
    ({ BrowserWindow }) =>
      new Promise<boolean>((resolve) => {
        const win = BrowserWindow.getAllWindows()[0]!;
        win.once('closed', () => resolve(true));
        win.close();
        setTimeout(() => resolve(false), 1000);
      }),
  );
  expect(closed).toBe(false);

  // The hidden gesture and PIN dialog are the screen's; the calls they make are these.
  expect(await page.evaluate(() => (window as unknown as KioskScreen).kiosk.admin.open({ pin: '2468' }))).toEqual({ ok: true, value: {} });
  const exited = new Promise<number | null>((resolve) => app.process().once('exit', resolve));
  // Its answer may never come back: the window closes as the app quits.
  void page.evaluate(() => (window as unknown as KioskScreen).kiosk.admin.exit({})).catch(() => undefined);
  expect(await exited).toBe(0);
});
