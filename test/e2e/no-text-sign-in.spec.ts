import Database from 'better-sqlite3';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { base32Decode, totpAt } from '../core/independent-totp';
import { seriousAccessibilityViolations } from './axe';
import { codeFromDemoPhone, tapNumber } from './kiosk-page';
import { startPreviewHost, type RunningPreviewHost } from './preview-host';
import { expectToFit } from './touch';
import { directoryFileOf } from '../../src-main/core/store/database';

// The ways in without a text, as a worker uses them in Chromium through the preview host.
// Authenticator codes are computed here with the test's own RFC 4226/6238 (node:crypto),
// not the kiosk's library, from the "Setup key" read off the screen.

let host: RunningPreviewHost;
test.beforeEach(async () => {
  host = await startPreviewHost();
});
test.afterEach(async () => {
  await host.stop();
});

const STEP = 30_000;

async function signInByText(page: Page, digits: string, name: RegExp): Promise<void> {
  await tapNumber(page, digits);
  await page.getByRole('button', { name: 'Send code' }).click();
  await page.getByLabel('Verification code').fill(await codeFromDemoPhone(page));
  await expect(page.getByRole('heading', { name })).toBeVisible();
}

async function useOtherWay(page: Page, digits: string, way: 'Use shift PIN' | 'Use authenticator app'): Promise<void> {
  await tapNumber(page, digits);
  await page.getByRole('button', { name: 'Other ways to sign in' }).click();
  await page.getByRole('group', { name: 'Other ways to sign in' }).getByRole('button', { name: way }).click();
  await expect(page.getByRole('button', { name: 'Back' })).toBeVisible();
}

/** Sets up the authenticator from the Setup key; returns the secret and the step its first code used. */
async function setUpAuthenticator(page: Page): Promise<{ secret: Buffer; usedAt: number }> {
  await page.getByRole('button', { name: 'Set up authenticator app' }).click();
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  const secret = base32Decode(await page.getByLabel('Setup key').inputValue());
  const usedAt = Date.now();
  await tapNumber(page, totpAt(secret, usedAt));
  await expect(page.getByText('Your authenticator app is set up on this kiosk.')).toBeVisible();
  return { secret, usedAt };
}

const textsOnDemoPhone = (page: Page) => page.getByRole('region', { name: 'Demo phone' }).getByRole('listitem').count();

test('a worker sets a shift PIN, signs out, and signs in again with number and PIN, without a new text', async ({ page }) => {
  await page.goto(host.url);
  await signInByText(page, '2065550100', /Alex Rivera/);

  await page.getByRole('button', { name: 'Set a shift PIN' }).click();
  await tapNumber(page, '123456');
  await tapNumber(page, '123456');
  await expect(page.getByRole('alert')).toHaveText('That PIN is too easy to guess. Avoid repeated digits and runs like 123456.');
  await tapNumber(page, '358024');
  await expect(page.getByRole('heading', { name: 'Type the same PIN again' })).toBeVisible();
  await tapNumber(page, '358025');
  await expect(page.getByText('The two PINs were not the same. Start again.')).toBeVisible();
  await tapNumber(page, '358024');
  await tapNumber(page, '358024');
  await expect(page.getByText(/Your shift PIN works on this kiosk until/)).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  // Counted once the sign-out's wipe has emptied the demo phone, not while it runs.
  await expect(page.getByRole('region', { name: 'Demo phone' }).getByRole('listitem')).toHaveCount(0);
  const texts = await textsOnDemoPhone(page);

  await useOtherWay(page, '2065550100', 'Use shift PIN');
  await expect(page.getByRole('heading', { name: 'Enter your shift PIN' })).toBeVisible();
  await tapNumber(page, '111222');
  await expect(page.getByRole('alert')).toHaveText('That PIN is not right. 4 tries left.');
  await tapNumber(page, '358024');
  await expect(page.getByRole('heading', { name: /Alex Rivera/ })).toBeVisible();
  // Only a text (or a call) may set a PIN: a PIN sign-in offers no set-up.
  await expect(page.getByRole('button', { name: 'Set a shift PIN' })).toBeHidden();
  expect(await textsOnDemoPhone(page)).toBe(texts);
});

test('an unregistered number on the PIN path sees what a registered one sees', async ({ page }) => {
  await page.goto(host.url);
  await useOtherWay(page, '2065550199', 'Use shift PIN');
  await tapNumber(page, '111222');
  await expect(page.getByRole('alert')).toHaveText('That PIN is not right. 4 tries left.');
});

test('a worker sets up an authenticator app from the Setup key and signs in with its code', async ({ page }) => {
  await page.goto(host.url);
  await signInByText(page, '2065550101', /Priya Natarajan/);
  const { secret, usedAt } = await setUpAuthenticator(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  // Counted once the sign-out's wipe has emptied the demo phone, not while it runs.
  await expect(page.getByRole('region', { name: 'Demo phone' }).getByRole('listitem')).toHaveCount(0);
  const texts = await textsOnDemoPhone(page);

  await useOtherWay(page, '2065550101', 'Use authenticator app');
  await expect(page.getByRole('heading', { name: 'Enter the code from your authenticator app' })).toBeVisible();
  // The code just used is refused for the rest of its window; the app's next one works (±1 step).
  await tapNumber(page, totpAt(secret, usedAt));
  await expect(page.getByRole('alert')).toHaveText(/That code was used already|That code is not right/);
  await tapNumber(page, totpAt(secret, Date.now() + STEP));
  await expect(page.getByRole('heading', { name: /Priya Natarajan/ })).toBeVisible();
  expect(await textsOnDemoPhone(page)).toBe(texts);
});

test('a sensitive app is refused until the worker gives an authenticator code, then opens', async ({ page }) => {
  // IT marks the shift schedule as sensitive, as a directory sync would.
  const db = new Database(directoryFileOf(path.join(host.dataDir, 'kiosk.db')));
  db.prepare("UPDATE kiosk_settings SET settings = json_set(settings, '$.apps[0].requires', 'authenticator')").run();
  db.close();
  await page.goto(host.url);

  // Without an authenticator, the worker is told why and how to set one up.
  await signInByText(page, '2065550103', /Mei Chen/);
  await page.getByRole('button', { name: /Shift schedule/ }).click();
  await expect(page.getByRole('alert')).toContainText('Set up authenticator app');
  const { secret } = await setUpAuthenticator(page);
  await page.getByRole('button', { name: 'Sign out' }).click();

  await signInByText(page, '2065550103', /Mei Chen/);
  await page.getByRole('button', { name: /Shift schedule/ }).click();
  await expect(page.getByText('Shift schedule asks for a code from your authenticator app.')).toBeVisible();
  const opened = page.waitForEvent('popup');
  await tapNumber(page, totpAt(secret, Date.now() + STEP));
  await opened;
  await expect(page.getByText('Shift schedule opened in a new tab.')).toBeVisible();
});

test('the new screens fit 1366×768 in English and Spanish, touch only', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const check = async (what: string) => {
    await expectToFit(page, what);
    expect(await seriousAccessibilityViolations(page), `axe on ${what}`).toEqual([]);
  };
  await page.goto(host.url);
  await signInByText(page, '2065550100', /Alex Rivera/);
  await check('home with set-up buttons');
  await page.getByRole('button', { name: 'Set a shift PIN' }).click();
  await check('set a shift PIN');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Set up authenticator app' }).click();
  await expect(page.getByLabel('Setup key')).toBeVisible();
  await check('authenticator set-up');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();

  await page.getByRole('button', { name: 'Español' }).click();
  await tapNumber(page, '2065550100', 'Teclado');
  await page.getByRole('button', { name: 'Otras formas de iniciar sesión' }).click();
  await check('other ways (es)');
  await page.getByRole('button', { name: 'Usar PIN de turno' }).click();
  await expect(page.getByRole('heading', { name: 'Escribe tu PIN de turno' })).toBeVisible();
  await check('shift PIN (es)');
  await page.getByRole('button', { name: 'Volver' }).click();
  await page.getByRole('button', { name: 'Otras formas de iniciar sesión' }).click();
  await page.getByRole('button', { name: 'Usar app de autenticación' }).click();
  await expect(page.getByRole('heading', { name: 'Escribe el código de tu app de autenticación' })).toBeVisible();
  await check('authenticator code (es)');
});
