import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../scripts/electron-binary.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const electron = findElectronBinary();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('npm start without Electron', () => {
  beforeAll(() => {
    // npm test builds before the unit tests; a targeted run may not have.
    if (!existsSync(path.join(root, 'dist', 'main', 'preview.js'))) spawnSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: root });
  }, 120_000);

  it('says so in one line, then serves the kiosk to the browser at the address it prints', async ({ skip }) => {
    if (electron.binary) skip(`an Electron binary is installed (${electron.binary}), so npm start would open the app`);
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-start-'));
    const start = spawn(process.execPath, ['scripts/start.mjs', '--data-dir', dataDir], {
      cwd: root,
      env: { ...process.env, KIOSK_SKIP_BUILD: '1', ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    });
    const exited = new Promise((resolve) => start.on('exit', resolve));
    cleanups.push(async () => {
      start.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    });
    let stdout = '';
    let stderr = '';
    start.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const address = await new Promise<string>((resolve, reject) => {
      start.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk;
        const printed = stdout.match(/^Kiosk preview: (http:\/\/127\.0\.0\.1:\d+\/#\S+)$/m);
        if (printed?.[1]) resolve(printed[1]);
      });
      void exited.then((code) => reject(new Error(`npm start exited with ${String(code)}: ${stdout}${stderr}`)));
    });

    expect(stdout.trim().split('\n')).toEqual([
      'Electron is not available here: its binary is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD is set. This is the browser preview instead; open the address below.',
      `Kiosk preview: ${address}`,
    ]);
    expect(stderr).not.toMatch(/^ {4}at /m);
    const page = await fetch(address);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  });
});
