import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../scripts/electron-binary.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const electron = findElectronBinary();

describe('npm start without Electron', () => {
  it('says in one sentence to use the browser preview, with no stack trace', ({ skip }) => {
    if (electron.binary) skip(`an Electron binary is installed (${electron.binary}), so npm start would open the app`);
    const run = spawnSync(process.execPath, ['scripts/start.mjs'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, KIOSK_SKIP_BUILD: '1', KIOSK_SKIP_ELECTRON_DOWNLOAD: '1' },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('npm run preview');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toMatch(/^ {4}at /m);
  });
});
