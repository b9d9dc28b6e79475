import { expect, test } from '@playwright/test';
import { codeFromDemoPhone } from './kiosk-page';
import { startPreviewHost, type RunningPreviewHost } from './preview-host';
import { pressAndHold, tapKeys } from './touch';

// The admin screen as IT uses it, touch only: locked workers, activity in sentences,
// search by number, refreshed after each action.

test.use({ hasTouch: true, viewport: { width: 1366, height: 768 } });

let host: RunningPreviewHost;
test.beforeEach(async () => {
  host = await startPreviewHost();
});
test.afterEach(async () => {
  await host.stop();
});

test('lists locked workers by name, unlocks one with a tap, and the activity says so', async ({ page }) => {
  await page.goto(host.url);
  await pressAndHold(page, 'Contoso Demo Store');
  await tapKeys(page, '2468');
  await page.getByRole('button', { name: 'Open admin' }).tap();
  await page.getByRole('tab', { name: 'Unlock a worker' }).tap();
  const locked = page.getByRole('list', { name: 'Locked workers' });
  await expect(locked).toContainText('Dana Kim locked until an admin unlocks');
  await page.getByRole('button', { name: 'Unlock Dana Kim' }).tap();
  await expect(page.getByRole('status')).toHaveText('Unlocked.');
  await expect(page.getByText('Nobody is locked out.')).toBeVisible();
  await page.getByRole('tab', { name: 'Activity' }).tap();
  await expect(page.getByRole('cell', { name: 'Dana Kim unlocked' })).toBeVisible();
});

test("finds one number's activity through its keyed hash, typed on the keypad", async ({ page }) => {
  await page.goto(host.url);
  for (const number of ['2065550100', '2065550102']) {
    await tapKeys(page, number);
    await page.getByRole('button', { name: 'Send code' }).tap();
    await codeFromDemoPhone(page);
    await page.getByRole('button', { name: 'Use a different number' }).tap();
    await page.getByRole('button', { name: 'Clear' }).tap();
  }
  await pressAndHold(page, 'Contoso Demo Store');
  await tapKeys(page, '2468');
  await page.getByRole('button', { name: 'Open admin' }).tap();
  await expect(page.getByRole('cell', { name: 'Sam Okafor asked for a code' })).toBeVisible();
  await page.getByRole('tab', { name: 'Unlock a worker' }).tap();
  await tapKeys(page, '2065550100');
  await page.getByRole('button', { name: 'Show their activity' }).tap();
  await expect(page.getByRole('cell', { name: 'Alex Rivera asked for a code' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Sam Okafor asked for a code' })).toBeHidden();
  await page.getByRole('button', { name: /^Only 2065550100/ }).tap();
  await expect(page.getByRole('cell', { name: 'Sam Okafor asked for a code' })).toBeVisible();
});
