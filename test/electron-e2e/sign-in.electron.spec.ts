import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron, expect, test, type ElectronApplication } from '@playwright/test';
import { codeFromDemoPhone, tapNumber } from '../e2e/kiosk-page';

// The project folder, as `npm start` launches it: Electron reads package.json (name, main).
const appFolder = path.resolve(__dirname, '../..');
let app: ElectronApplication | undefined;
let dataDir: string | undefined;

test.beforeEach(async () => {
  // Imported here, not at the top: Playwright compiles this spec to CommonJS, and only a
  // dynamic import loads an .mjs file as the ES module it is.
  const { findElectronBinary } = await import('../../scripts/electron-binary.mjs');
  const electron = findElectronBinary();
  const headlessLinux = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
  const skipReason = electron.binary === null
    ? `Electron binary not installed (${electron.reason}); run npm run test:electron where Electron can be downloaded`
    : headlessLinux
      ? 'no display to open an Electron window on; run xvfb-run npm run test:electron'
      : null;
  if (skipReason) {
    // The list reporter shows a skip without its reason; say it where a person reads it.
    console.log(`Electron e2e skipped: ${skipReason}`);
    test.skip(true, skipReason);
  }
  // A fresh data dir is a fresh demo tenant: no lockouts or sessions left by other runs.
  dataDir = mkdtempSync(path.join(tmpdir(), 'kiosk-electron-e2e-'));
  app = await _electron.launch({ executablePath: electron.binary!, args: [appFolder, '--data-dir', dataDir] });
});

test.afterEach(async () => {
  await app?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('a worker signs in with a texted code and signs out again', async () => {
  const page = await app!.firstWindow();

  await tapNumber(page, '12065550100');
  await page.getByRole('button', { name: 'Send code' }).click();
  const code = await codeFromDemoPhone(page);

  await page.getByLabel('Verification code').fill(code);
  await expect(page.getByRole('heading', { name: /Alex Rivera/ })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByLabel('Mobile number')).toBeVisible();
});
