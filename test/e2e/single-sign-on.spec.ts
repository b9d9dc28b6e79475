import { expect, test } from '@playwright/test';
import { codeFromDemoPhone, tapNumber } from './kiosk-page';
import { startPreviewHost, type RunningPreviewHost } from './preview-host';

let host: RunningPreviewHost;

test.beforeEach(async () => {
  host = await startPreviewHost();
});

test.afterEach(async () => {
  await host.stop();
});

test('an app opened from the home screen is signed in as the worker, and not after sign-out', async ({ page, context }) => {
  await page.goto(host.url);
  await tapNumber(page, '2065550100');
  await page.getByRole('button', { name: 'Send code' }).click();
  await page.getByLabel('Verification code').fill(await codeFromDemoPhone(page));
  await expect(page.getByRole('heading', { name: /Alex Rivera/ })).toBeVisible();

  const opening = context.waitForEvent('page');
  await page.getByRole('button', { name: 'Shift schedule' }).click();
  const app = await opening;
  await expect(app.getByRole('status')).toHaveText('Signed in as Alex Rivera');
  // No page asked anything: the app went to the provider and straight back.
  await expect(app).toHaveURL(`${host.origin}/apps/shift-schedule.html`);
  await expect(app.getByRole('heading', { name: 'Shift schedule' })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByLabel('Mobile number')).toBeVisible();

  // The app's token was revoked with the kiosk session, and it cannot get another one.
  await app.getByRole('button', { name: 'Check sign-in' }).click();
  await expect(app.getByRole('status')).toHaveText('Your kiosk session has ended: you are signed out.');
  await app.getByRole('button', { name: 'Sign in' }).click();
  await expect(app.getByRole('status')).toHaveText('Not signed in: sign in at the kiosk first.');
});

test('an app opened with nobody signed in at the kiosk gets no identity', async ({ page }) => {
  await page.goto(`${host.origin}/apps/shift-schedule.html`);
  await expect(page.getByRole('status')).toHaveText('Not signed in: sign in at the kiosk first.');
  await expect(page).toHaveURL(`${host.origin}/apps/shift-schedule.html`);
});

test('discovery names the preview host’s own /oidc as the issuer', async ({ request }) => {
  const discovery = await (await request.get(`${host.origin}/oidc/.well-known/openid-configuration`)).json();
  expect(discovery.issuer).toBe(`${host.origin}/oidc`);
  expect(discovery.authorization_endpoint).toBe(`${host.origin}/oidc/auth`);
});
