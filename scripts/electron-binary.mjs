// Finds the Electron executable the way node_modules/electron/index.js does, without
// require('electron'): in electron 45 that require downloads a missing binary and throws.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * @returns {{ binary: string, reason: null } | { binary: null, reason: string }}
 */
export function findElectronBinary() {
  let packageDir;
  try {
    packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { binary: null, reason: 'the electron package is not installed' };
  }

  const pathFile = path.join(packageDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : null;

  const overrideDir = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (overrideDir) {
    const binary = path.resolve(overrideDir, executable || 'electron');
    return existsSync(binary)
      ? { binary, reason: null }
      : { binary: null, reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${binary} does not exist` };
  }

  if (!executable) {
    return {
      binary: null,
      reason: 'the electron package is installed without its binary, which Electron 45 downloads on first start: npm start does, where its download address answers',
    };
  }
  const binary = path.join(packageDir, 'dist', executable);
  return existsSync(binary) ? { binary, reason: null } : { binary: null, reason: `${binary} is missing` };
}
