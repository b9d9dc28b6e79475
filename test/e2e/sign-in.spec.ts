import Database from 'better-sqlite3';
import path from 'node:path';
import { directoryFileOf } from '../../src-main/core/store/database';
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

test('the preview host prints exactly one line, the URL to open', () => {
  expect(host.stdout().trim().split('\n')).toEqual([`Kiosk preview: ${host.url}`]);
});

test('a demo worker signs in with their number and the texted code, and signs out', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.getByText('DEMO', { exact: true })).toBeVisible();

  await tapNumber(page, '12065550100');
  await expect(page.getByLabel('Mobile number')).toHaveValue('1 (206) 555-0100');
  await page.getByRole('button', { name: 'Send code' }).click();

  await expect(page.getByText('we sent a code to +1 ••• ••• 0100')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Resend code' })).toBeDisabled();
  await expect(page.getByText(/You can ask for the code again in \d+ s\./)).toBeVisible();
  const code = await codeFromDemoPhone(page);
  await page.getByLabel('Verification code').fill(code);

  await expect(page.getByRole('heading', { name: /Alex Rivera/ })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();

  await expect(page.getByLabel('Mobile number')).toBeVisible();
  await expect(page.getByLabel('Mobile number')).toHaveValue('');
  await expect(page.getByRole('region', { name: 'Demo phone' })).not.toContainText(code);
});

test('a wrong code says so with the tries left, and the right one still works', async ({ page }) => {
  await page.goto(host.url);
  await page.getByLabel('Mobile number').fill('+1 206 555 0101');
  await page.getByRole('button', { name: 'Send code' }).click();
  const code = await codeFromDemoPhone(page);
  const wrong = code === '000000' ? '111111' : '000000';

  await page.getByLabel('Verification code').fill(wrong);
  await expect(page.getByRole('alert')).toHaveText('That code is not right. 4 tries left.');
  await page.getByLabel('Verification code').fill(code);
  await expect(page.getByRole('heading', { name: /Priya Natarajan/ })).toBeVisible();
});

test('an unregistered number reaches the code screen but no text is sent', async ({ page }) => {
  await page.goto(host.url);
  await tapNumber(page, '2065550199');
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByLabel('Verification code')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Demo phone' })).toContainText('Texts and calls the kiosk sends appear here.');
  await page.getByRole('button', { name: 'Use a different number' }).click();
  await expect(page.getByLabel('Mobile number')).toHaveValue('(206) 555-0199');
});

test('Send code waits for a number that could be valid, and an invalid one gets a specific error', async ({ page }) => {
  await page.goto(host.url);
  await tapNumber(page, '123');
  await expect(page.getByRole('button', { name: 'Send code' })).toBeDisabled();
  await page.getByRole('button', { name: 'Clear' }).click();
  await tapNumber(page, '1115550100');
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByRole('alert')).toHaveText('That is not a valid mobile number. Check it and try again.');
  await expect(page.getByLabel('Mobile number')).toBeVisible();
});

test('without the token in the URL the page explains what to open and calls are refused', async ({ page, request }) => {
  await page.goto(host.origin + '/');
  await expect(page.getByRole('heading', { name: 'This page needs its kiosk link' })).toBeVisible();
  const response = await request.post(`${host.origin}/rpc/session.current`, {
    headers: { Origin: host.origin, 'Content-Type': 'application/json' },
    data: {},
  });
  expect(response.status()).toBe(403);
  expect((await response.json()).error.code).toBe('forbidden');
});

test('ten wrong codes lock the number and say for how long', async ({ page }) => {
  await page.goto(host.url);
  for (let round = 0; round < 2; round += 1) {
    await page.getByLabel('Mobile number').fill('2065550102');
    await page.getByRole('button', { name: 'Send code' }).click();
    const code = await codeFromDemoPhone(page);
    const wrong = code === '000000' ? '111111' : '000000';
    const answers: Array<string | RegExp> = ['4 tries left', '3 tries left', '2 tries left', '1 try left'].map((left) => `That code is not right. ${left}.`);
    answers.push(round === 0 ? 'Too many wrong tries for this code. Ask for a new code.' : /^Too many wrong codes\. Try again in 1 minute \(at .+\)\.$/);
    for (const answer of answers) {
      await page.getByLabel('Verification code').fill(wrong);
      await expect(page.getByRole('alert')).toHaveText(answer);
    }
    if (round === 0) await page.getByRole('button', { name: 'Use a different number' }).click();
  }
  await page.getByRole('button', { name: 'Use a different number' }).click();
  await page.getByRole('button', { name: 'Send code' }).click();
  await expect(page.getByRole('alert')).toHaveText(/^Too many wrong codes\. Try again in 1 minute \(at .+\)\.$/);
});

test('an idle worker is warned, then signed out, and the keypad says why', async ({ page }) => {
  // The shortest timeouts policy allows, set as a directory sync would set them.
  const db = new Database(directoryFileOf(path.join(host.dataDir, 'kiosk.db')));
  db.prepare('UPDATE kiosk_settings SET settings = json_patch(settings, ?)').run(JSON.stringify({ session: { idleTimeoutSeconds: 15, warningSeconds: 5 } }));
  db.close();

  await page.goto(host.url);
  await tapNumber(page, '2065550100');
  await page.getByRole('button', { name: 'Send code' }).click();
  await page.getByLabel('Verification code').fill(await codeFromDemoPhone(page));
  await expect(page.getByRole('heading', { name: /Alex Rivera/ })).toBeVisible();

  const warning = page.getByRole('alertdialog', { name: 'Are you still there?' });
  await expect(warning).toBeVisible({ timeout: 20_000 });
  await expect(warning.getByRole('button', { name: "I'm still here" })).toBeFocused();
  await expect(warning).toContainText(/Signing out in \d+ seconds?/);

  await expect(page.getByRole('status').filter({ hasText: 'You were signed out because the screen was not used for a while.' })).toBeVisible({
    timeout: 10_000,
  });
  await expect(warning).toBeHidden();
  await expect(page.getByLabel('Mobile number')).toHaveValue('');
});

