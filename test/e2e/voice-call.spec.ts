import Database from 'better-sqlite3';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { codeFromDemoPhone, tapNumber } from './kiosk-page';
import { startPreviewHost, type RunningPreviewHost } from './preview-host';
import { directoryFileOf } from '../../src-main/core/store/database';

let host: RunningPreviewHost;
test.beforeEach(async () => {
  host = await startPreviewHost();
});
test.afterEach(async () => {
  await host.stop();
});

/** Policy, changed as a directory sync would. */
function changeSettings(patch: object): void {
  const db = new Database(directoryFileOf(path.join(host.dataDir, 'kiosk.db')));
  db.prepare('UPDATE kiosk_settings SET settings = json_patch(settings, ?)').run(JSON.stringify(patch));
  db.close();
}

/** The code a call on the demo phone reads out (digit by digit, "4, 8, 2, …"), once. */
async function codeFromCall(page: Page, phoneName = 'Demo phone'): Promise<string> {
  const call = page.getByRole('region', { name: phoneName }).getByRole('listitem').first();
  const spoken = async () => /: ((?:\d, ){5}\d)\./.exec((await call.count()) > 0 ? await call.innerText() : '')?.[1]?.replaceAll(', ', '');
  await expect.poll(spoken).toMatch(/^\d{6}$/);
  return (await spoken())!;
}

/** Records what the page asks the Web Speech API to say (headless Chromium may have no voices). */
async function listenToSpeech(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const said: Array<{ text: string; lang: string }> = [];
    (window as unknown as { said: typeof said }).said = said;
    if (!('speechSynthesis' in window)) return;
    window.speechSynthesis.speak = (utterance: SpeechSynthesisUtterance) => void said.push({ text: utterance.text, lang: utterance.lang });
  });
}
const said = (page: Page) => page.evaluate(() => (window as unknown as { said: Array<{ text: string; lang: string }> }).said);

test('"Call me instead" appears once the first text has had its chance, and the demo phone gets a call reading the same code', async ({ page }) => {
  await page.goto(host.url);
  await tapNumber(page, '2065550100');
  await page.getByRole('button', { name: 'Send code' }).click();
  const texted = await codeFromDemoPhone(page);
  await expect(page.getByRole('button', { name: 'Resend code' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Call me instead' })).toHaveCount(0);

  // It appears with "Resend code", when the resend wait (30 s) is over.
  await expect(page.getByRole('button', { name: 'Call me instead' })).toBeVisible({ timeout: 40_000 });
  await expect(page.getByRole('button', { name: 'Resend code' })).toBeEnabled();
  await page.getByRole('button', { name: 'Call me instead' }).click();
  await expect(page.getByRole('region', { name: 'Demo phone' }).getByRole('listitem').first()).toContainText('Incoming call to +1 ••• ••• 0100');
  expect(await codeFromCall(page)).toBe(texted);
  // The wait starts again, shared by both.
  await expect(page.getByRole('button', { name: 'Call me instead' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Resend code' })).toBeDisabled();
});

test('where policy offers the call at once, a Spanish-speaking worker hears her code, spoken aloud only with sound on, and signs in', async ({ page }) => {
  changeSettings({ offerCallAtOnce: true });
  await listenToSpeech(page);
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Español' }).click();
  await tapNumber(page, '2065550100', 'Teclado');
  await page.getByRole('button', { name: 'Enviar código' }).click();
  const texted = await codeFromDemoPhone(page, 'Teléfono de demostración');

  const phone = page.getByRole('region', { name: 'Teléfono de demostración' });
  const sound = phone.getByRole('button', { name: 'Leer las llamadas en voz alta' });
  await expect(sound).toHaveAttribute('aria-pressed', 'false');
  await sound.click();
  await expect(sound).toHaveAttribute('aria-pressed', 'true');

  await page.getByRole('button', { name: 'Mejor llámame' }).click();
  await expect(phone.getByRole('listitem').first()).toContainText('Llamada entrante para +1 ••• ••• 0100');
  await expect(phone.getByRole('listitem').first()).toContainText(`Su código del quiosco es: ${[...texted].join(', ')}. Otra vez: ${[...texted].join(', ')}.`);
  expect(await codeFromCall(page, 'Teléfono de demostración')).toBe(texted);
  await expect.poll(() => said(page)).toEqual([{ text: expect.stringContaining(`Otra vez: ${[...texted].join(', ')}.`), lang: 'es' }]);

  // The call's answer has come back (the button waits again) before the code is typed.
  await expect(page.getByRole('button', { name: 'Mejor llámame' })).toHaveCount(0);
  await page.getByLabel('Código de verificación').fill(texted);
  await expect(page.getByRole('heading', { name: /Alex Rivera/ })).toBeVisible();
});

test('an office phone gets no text, only the call (silent: sound is off by default), and signs in with the code it reads out', async ({ page }) => {
  changeSettings({ offerCallAtOnce: true });
  await listenToSpeech(page);
  await page.goto(host.url);
  await tapNumber(page, '2065550108');
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByLabel('Verification code')).toBeVisible();
  const phone = page.getByRole('region', { name: 'Demo phone' });
  await expect(phone).toContainText('Texts and calls the kiosk sends appear here.');

  await page.getByRole('button', { name: 'Call me instead' }).click();
  await expect(phone.getByRole('listitem')).toHaveCount(1);
  await expect(phone.getByRole('listitem').first()).toContainText('Incoming call to +1 ••• ••• 0108');
  const spoken = await codeFromCall(page);
  expect(await said(page)).toEqual([]);
  await expect(page.getByRole('button', { name: 'Call me instead' })).toHaveCount(0);
  await page.getByLabel('Verification code').fill(spoken);
  await expect(page.getByRole('heading', { name: /Rosa Díaz/ })).toBeVisible();
});

test('for an unregistered number "Call me instead" looks and answers the same, and no call comes', async ({ page }) => {
  changeSettings({ offerCallAtOnce: true });
  await page.goto(host.url);
  await tapNumber(page, '2065550199');
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByText('we sent a code to +1 ••• ••• 0199')).toBeVisible();
  await page.getByRole('button', { name: 'Call me instead' }).click();
  await expect(page.getByRole('button', { name: 'Call me instead' })).toHaveCount(0);
  await expect(page.getByText(/You can ask for the code again in \d+ s\./)).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Demo phone' })).toContainText('Texts and calls the kiosk sends appear here.');
});
