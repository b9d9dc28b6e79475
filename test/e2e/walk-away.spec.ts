import Database from 'better-sqlite3';
import path from 'node:path';
import { directoryFileOf } from '../../src-main/core/store/database';
import { expect, test, type Page } from '@playwright/test';
import { codeFromDemoPhone } from './kiosk-page';
import { startPreviewHost, type RunningPreviewHost } from './preview-host';
import { pressAndHold, tapKeys } from './touch';

// Nothing of one person reaches the next, and every way a code can end leads somewhere.
// Policy is set as a directory sync would set it: the shortest walk-away reset allowed.

test.use({ hasTouch: true, viewport: { width: 1366, height: 768 } });

let host: RunningPreviewHost;
test.beforeEach(async () => {
  host = await startPreviewHost();
  patchSettings({ walkAway: { typedSeconds: 5, noticeSeconds: 5 } });
});
test.afterEach(async () => {
  await host.stop();
});

function patchSettings(patch: object) {
  const db = new Database(directoryFileOf(path.join(host.dataDir, 'kiosk.db')));
  db.prepare('UPDATE kiosk_settings SET settings = json_patch(settings, ?)').run(JSON.stringify(patch));
  db.close();
}

const walkAway = { timeout: 15_000 };
const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000');

async function sendCodeTo(page: Page, number: string) {
  await tapKeys(page, number);
  await page.getByRole('button', { name: 'Send code' }).tap();
  await expect(page.getByLabel('Verification code')).toBeVisible();
}

test('a number typed but never sent is gone when its owner walks away, and so is a chosen language', async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Español' }).tap();
  await tapKeys(page, '20655501', 'Teclado');
  await expect(page.getByLabel('Número de móvil')).toHaveValue('20655501');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en', walkAway);
  await expect(page.getByLabel('Mobile number')).toHaveValue('');
  await expect(page.getByText('Type your number on the keypad.')).toBeVisible();
});

test('a worker who walks away on the code screen leaves nothing for the next person to see', async ({ page }) => {
  await page.goto(host.url);
  await sendCodeTo(page, '2065550100');
  await expect(page.getByLabel('Mobile number')).toHaveValue('', walkAway);
  await expect(page.getByRole('button', { name: 'Send code' })).toBeDisabled();
  await expect(page.locator('body')).not.toContainText('0100');
  await expect(page.locator('body')).not.toContainText(/\d{6} is your/); // the demo phone is wiped too
});

test('the signed-out notice greets only the worker it was for', async ({ page }) => {
  patchSettings({ session: { idleTimeoutSeconds: 15, warningSeconds: 5 } });
  await page.goto(host.url);
  await sendCodeTo(page, '2065550100');
  await tapKeys(page, await codeFromDemoPhone(page));
  await expect(page.getByRole('heading', { name: 'Hello, Alex Rivera' })).toBeVisible();
  const notice = page.getByRole('status').filter({ hasText: 'You were signed out because the screen was not used for a while.' });
  await expect(notice).toBeVisible({ timeout: 30_000 });
  await expect(notice).toBeHidden(walkAway);
});

test('an admin screen left open closes by itself, and the keypad works again', async ({ page }) => {
  await page.goto(host.url);
  await pressAndHold(page, 'Contoso Demo Store');
  await tapKeys(page, '2468');
  await page.getByRole('button', { name: 'Open admin' }).tap();
  await expect(page.getByRole('heading', { name: 'Kiosk admin' })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Keypad' })).toBeVisible(walkAway);
  await expect(page.getByRole('heading', { name: 'Kiosk admin' })).toBeHidden();
  await sendCodeTo(page, '2065550102');
});

test('five wrong codes offer "Send a new code", which clears the error and signs in with the new code', async ({ page }) => {
  await page.goto(host.url);
  await sendCodeTo(page, '2065550102');
  const first = await codeFromDemoPhone(page);
  for (let i = 0; i < 5; i += 1) await tapKeys(page, wrongFor(first));
  await expect(page.getByRole('alert')).toHaveText('Too many wrong tries for this code. Ask for a new code.');
  await expect(page.getByText('Code used up')).toBeVisible();
  await expect(page.getByText(/The code expires in/)).toBeHidden();

  // A reload shows the same state and the same way out.
  await page.reload();
  await expect(page.getByRole('alert')).toHaveText('Too many wrong tries for this code. Ask for a new code.');
  await page.getByRole('button', { name: 'Send a new code' }).tap();
  await expect(page.getByText('Code used up')).toBeHidden();
  await expect(page.getByRole('alert')).toBeHidden();
  await expect.poll(() => codeFromDemoPhone(page)).not.toBe(first);
  await tapKeys(page, await codeFromDemoPhone(page));
  await expect(page.getByRole('heading', { name: 'Hello, Sam Okafor' })).toBeVisible();
});

test('an expired code offers "Send a new code", and the new code signs in', async ({ page }) => {
  test.setTimeout(120_000);
  patchSettings({ codeValiditySeconds: 60, walkAway: { typedSeconds: 120 } }); // the shortest validity policy allows; the worker stays
  await page.goto(host.url);
  await sendCodeTo(page, '2065550100');
  const first = await codeFromDemoPhone(page);
  const sendNew = page.getByRole('button', { name: 'Send a new code' });
  await expect(sendNew).toBeVisible({ timeout: 75_000 });
  await expect(page.getByText('Code expired')).toBeVisible();
  await expect(page.getByRole('group', { name: 'Keypad' }).getByRole('button', { name: '1', exact: true })).toBeDisabled(); // nothing to type it into
  await sendNew.tap();
  await expect.poll(() => codeFromDemoPhone(page)).not.toBe(first);
  await tapKeys(page, await codeFromDemoPhone(page));
  await expect(page.getByRole('heading', { name: 'Hello, Alex Rivera' })).toBeVisible();
});

test('ten wrong codes say "locked" even for the right code, and offer no new code', async ({ page }) => {
  await page.goto(host.url);
  await sendCodeTo(page, '2065550101');
  const first = await codeFromDemoPhone(page);
  for (let i = 0; i < 5; i += 1) await tapKeys(page, wrongFor(first));
  await page.getByRole('button', { name: 'Send a new code' }).tap();
  await expect.poll(() => codeFromDemoPhone(page)).not.toBe(first);
  const second = await codeFromDemoPhone(page);
  for (let i = 0; i < 5; i += 1) await tapKeys(page, wrongFor(second));
  await expect(page.getByRole('alert')).toHaveText(/^Too many wrong codes\. Try again in 1 minute \(at .+\)\.$/);
  await expect(page.getByText('Sign-in locked')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send a new code' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Resend code' })).toBeHidden();
  await page.reload();
  await expect(page.getByText('Sign-in locked')).toBeVisible();
});

test("a Spanish worker's text comes in Spanish", async ({ page }) => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Español' }).tap();
  await tapKeys(page, '2065550100', 'Teclado');
  await page.getByRole('button', { name: 'Enviar código' }).tap();
  const text = page.getByRole('region', { name: 'Teléfono de demostración' }).getByRole('listitem').first();
  await expect(text).toContainText(/\d{6} es tu código del quiosco de Contoso Demo Store\. Caduca en 5 min\./);
});

test('at 200% zoom the page may scroll, but every control on every screen can be reached', async ({ page }) => {
  await page.setViewportSize({ width: 683, height: 384 }); // 1366×768 at 200%
  const everyControlReachable = async (what: string) => {
    const unreachable = await page.evaluate(() => {
      const missed: string[] = [];
      for (const element of document.querySelectorAll<HTMLElement>('button, input, select')) {
        // Not what is hidden, or inert beneath a dialog: the dialog's own controls are what count.
        if (element.getBoundingClientRect().width === 0 || getComputedStyle(element).opacity === '0' || element.closest('[inert]')) continue;
        element.scrollIntoView({ block: 'center', inline: 'center' });
        const box = element.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        if (!(hit && (hit === element || element.contains(hit)))) missed.push(element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 40) ?? element.tagName);
      }
      return missed;
    });
    expect({ what, unreachable }).toEqual({ what, unreachable: [] });
  };
  await page.goto(host.url);
  await everyControlReachable('keypad');
  await sendCodeTo(page, '2065550100');
  await everyControlReachable('code');
  await page.getByLabel('Verification code').fill(await codeFromDemoPhone(page));
  await expect(page.getByRole('heading', { name: 'Hello, Alex Rivera' })).toBeVisible();
  await everyControlReachable('home');
  await page.getByRole('button', { name: 'Sign out' }).tap();
  await page.keyboard.press('Control+Alt+Shift+A');
  await everyControlReachable('admin PIN');
});
