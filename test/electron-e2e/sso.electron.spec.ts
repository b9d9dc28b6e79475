import { expect } from '@playwright/test';
import { kioskTest as test, signInAsAlex } from './kiosk-app';

/** The demo's built-in page, on the demo issuer's origin that only the app partitions answer. */
const shiftScheduleUrl = 'https://sso.demo.frontline-kiosk.invalid/apps/shift-schedule.html';

test('an app opened from the home screen is signed in as the worker through the in-process provider, offline', async ({ kiosk }) => {
  const app = kiosk.app;
  const page = await app.firstWindow();
  await signInAsAlex(page);
  await page.getByRole('button', { name: 'Shift schedule' }).click();

  // The page went to the provider at the demo issuer and came straight back: no page asked anything.
  const status = () =>
    app.evaluate(async ({ webContents }, url) => {
      const contents = webContents.getAllWebContents().find((candidate) => candidate.getURL() === url);
      return contents ? ((await contents.executeJavaScript("document.getElementById('sso-status')?.textContent ?? ''")) as string) : '';
    }, shiftScheduleUrl);
  await expect.poll(status).toBe('Signed in as Alex Rivera');

  // The provider's cookies lived in the app's partition only, and the sign-out wipe takes them.
  const view = await app.evaluateHandle(({ webContents }, url) => webContents.getAllWebContents().find((contents) => contents.getURL() === url)!, shiftScheduleUrl);
  const partition = await view.evaluateHandle((contents) => contents.session);
  expect(await partition.evaluate(async (appSession) => (await appSession.cookies.get({ domain: 'sso.demo.frontline-kiosk.invalid' })).length)).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByLabel('Mobile number')).toBeVisible();
  expect(await partition.evaluate((appSession) => appSession.cookies.get({}))).toEqual([]);
});
