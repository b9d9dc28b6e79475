import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { directoryFileOf } from '../../src-main/core/store/database';
import { _electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import type { KioskBridge } from '../../shared/kiosk-bridge';
import { codeFromDemoPhone, tapNumber } from '../e2e/kiosk-page';

/** The real kiosk, launched by Playwright on a fresh demo tenant. */
export interface RunningKiosk {
  app: ElectronApplication;
  /** Where kiosk.db lives: a test may change the directory there, as a sync would. */
  dataDir: string;
  /** The Electron executable, to run Node scripts with Electron's own Node. */
  electron: string;
  /** Leaves, whatever state the kiosk is in, and removes its data. */
  quit(): Promise<void>;
}

// The project folder, as `npm start` launches it: Electron reads package.json (name, main).
const appFolder = path.resolve(__dirname, '../..');

/**
 * Launches the kiosk; where it cannot run (no Electron binary, no display) the test is
 * skipped, saying why.
 */
export async function launchKiosk(): Promise<RunningKiosk> {
  // Imported here, not at the top: Playwright compiles this file to CommonJS, and only a
  // dynamic import loads an .mjs file as the ES module it is.
  const { findElectronBinary } = await import('../../scripts/electron-binary.mjs');
  const electron = findElectronBinary();
  const headlessLinux = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
  const skipReason =
    electron.binary === null
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
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kiosk-electron-e2e-'));
  const app = await _electron.launch({ executablePath: electron.binary!, args: [appFolder, '--data-dir', dataDir] });
  return {
    app,
    dataDir,
    electron: electron.binary!,
    quit: async () => {
      await exitNow(app);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Each test gets its own freshly launched kiosk as `kiosk`, quit and removed after it. */
export const kioskTest = test.extend<{ kiosk: RunningKiosk }>({
  // Playwright reads the fixture's dependencies from this destructuring: it must stay empty.
  // eslint-disable-next-line no-empty-pattern
  kiosk: async ({}, use) => {
    const kiosk = await launchKiosk();
    await use(kiosk);
    await kiosk.quit();
  },
});

/**
 * `app.close()` asks the app to quit, and the kiosk refuses: only the admin exit closes its
 * window. Tests leave with `app.exit` instead, which skips the asking.
 */
async function exitNow(app: ElectronApplication): Promise<void> {
  const child = app.process();
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await app.evaluate(({ app: electronApp }) => electronApp.exit(0)).catch(() => undefined);
  await exited;
}

/**
 * Changes the kiosk settings in kiosk.db while the kiosk runs, as a directory sync would.
 * better-sqlite3 is built for Electron while these tests run (scripts/electron-e2e.mjs),
 * so the change is made by Electron's own Node.
 */
export function patchKioskSettings(kiosk: RunningKiosk, patch: object): void {
  const script = [
    "const Database = require('better-sqlite3');",
    'const db = new Database(process.env.KIOSK_DB);',
    "db.prepare('UPDATE kiosk_settings SET settings = json_patch(settings, ?)').run(process.env.KIOSK_SETTINGS_PATCH);",
    'db.close();',
  ].join(' ');
  execFileSync(kiosk.electron, ['-e', script], {
    cwd: appFolder,
    stdio: 'pipe',
    env: {
      ...process.env,
      ELECTRON_RUN_AS_NODE: '1',
      KIOSK_DB: directoryFileOf(path.join(kiosk.dataDir, 'kiosk.db')),
      KIOSK_SETTINGS_PATCH: JSON.stringify(patch),
    },
  });
}

/** The kiosk screen's window, with the contract the preload gives it. */
export type KioskScreen = { kiosk: KioskBridge };

/** Alex Rivera (+1 206 555 0100, Store Associates) signs in with the texted code. */
export async function signInAsAlex(page: Page): Promise<void> {
  await tapNumber(page, '12065550100');
  await page.getByRole('button', { name: 'Send code' }).click();
  await page.getByLabel('Verification code').fill(await codeFromDemoPhone(page));
  await expect(page.getByRole('heading', { name: /Alex Rivera/ })).toBeVisible();
}
