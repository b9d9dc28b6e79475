import { expect } from '@playwright/test';
import { APP_BAR_HEIGHT } from '../../shared/layout';
import { kioskTest as test, signInAsAlex, type RunningKiosk } from './kiosk-app';

const shiftScheduleUrl = 'https://sso.demo.frontline-kiosk.invalid/apps/shift-schedule.html';

/** Signs Alex in and opens "Shift schedule" from the home screen, as a worker would. */
async function openShiftSchedule(kiosk: RunningKiosk) {
  const app = kiosk.app;
  const page = await app.firstWindow();
  await signInAsAlex(page);
  await page.getByRole('button', { name: 'Shift schedule' }).click();
  await expect
    .poll(() => app.evaluate(({ webContents }, url) => webContents.getAllWebContents().some((contents) => contents.getURL() === url), shiftScheduleUrl))
    .toBe(true);
  // The app's web contents, held in main: the handle outlives the sign-out that destroys them.
  const view = await app.evaluateHandle(
    ({ webContents }, url) => webContents.getAllWebContents().find((contents) => contents.getURL() === url)!,
    shiftScheduleUrl,
  );
  return { page, view };
}

test('an app opens below the app bar, without Node or the contract, in a partition of its own', async ({ kiosk }) => {
  const { page, view } = await openShiftSchedule(kiosk);

  // No Node, no preload and so no contract: the page sees only the web platform.
  expect(
    await view.evaluate((contents) =>
      contents.executeJavaScript('({ require: typeof require, process: typeof process, kiosk: typeof window.kiosk })'),
    ),
  ).toEqual({ require: 'undefined', process: 'undefined', kiosk: 'undefined' });

  const layout = await kiosk.app.evaluate(({ BrowserWindow }, contents) => {
    const win = BrowserWindow.getAllWindows()[0]!;
    const appView = win.contentView.children.find((child) => 'webContents' in child && child.webContents === contents)!;
    return { app: appView.getBounds(), window: win.getContentBounds(), ownPartition: contents.session !== win.webContents.session };
  }, view);
  expect(layout.app).toEqual({ x: 0, y: APP_BAR_HEIGHT, width: layout.window.width, height: layout.window.height - APP_BAR_HEIGHT });
  expect(layout.ownPartition).toBe(true);
  // The screen keeps its bar within APP_BAR_HEIGHT: anything lower is under the view, out of reach.
  for (const name of ['Home', 'Sign out']) {
    const button = await page.getByRole('button', { name }).boundingBox();
    expect(button!.y + button!.height, `${name} is above the app`).toBeLessThanOrEqual(APP_BAR_HEIGHT);
  }
});

test('a cookie an app set is gone once the worker signs out', async ({ kiosk }) => {
  const { page, view } = await openShiftSchedule(kiosk);

  // The app remembers its user in a cookie, as web apps do.
  const cookieInPage = await view.evaluate((contents) =>
    contents.executeJavaScript("document.cookie = 'worker=alex-rivera; max-age=3600'; document.cookie"),
  );
  expect(cookieInPage).toContain('worker=alex-rivera');
  const partition = await view.evaluateHandle((contents) => contents.session);
  expect(await partition.evaluate(async (appSession) => (await appSession.cookies.get({})).map((cookie) => cookie.name))).toEqual(['worker']);
  expect(await kiosk.app.evaluate(async ({ session }) => (await session.defaultSession.cookies.get({})).length)).toBe(0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByLabel('Mobile number')).toBeVisible();

  expect(await view.evaluate((contents) => contents.isDestroyed())).toBe(true);
  expect(await partition.evaluate((appSession) => appSession.cookies.get({}))).toEqual([]);
});
