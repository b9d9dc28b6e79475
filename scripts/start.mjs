// `npm start`: install the npm dependencies if they are missing or stale, build, then open
// the kiosk in Electron. Where Electron's binary is not installed and cannot be downloaded,
// say so in one line and serve the same kiosk to the browser (the preview host), which
// prints the address to open: a trainer still gets a working demo.
//   KIOSK_SKIP_BUILD=1                use the existing dist/ (the start script's own test)
//   ELECTRON_SKIP_BINARY_DOWNLOAD=1   do not try to download a missing Electron binary
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';
import { decideElectronDownload } from './electron-download.mjs';
import { ensureNpmDependencies } from './npm-dependencies.mjs';
import { runPreviewHost } from './preview-host.mjs';
import { ensureSystemPackages } from './system-packages.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const node = (script, args = [], options = {}) =>
  spawnSync(process.execPath, [path.join(root, script), ...args], { cwd: root, stdio: 'inherit', ...options });

function installedElectronVersion() {
  try {
    return JSON.parse(readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/** The Electron binary, downloading it once where that can work; else why there is none. */
async function electronBinary() {
  const found = findElectronBinary();
  const version = installedElectronVersion();
  if (found.binary || !version) return found;
  const decision = await decideElectronDownload({ version });
  if (!decision.download) return { binary: null, reason: `its binary is not installed and ${decision.reason}` };

  console.log(`Downloading Electron ${version} (once: it is cached for next time)…`);
  // Quietly: on failure the installer prints a stack trace; its first line is the cause.
  const download = node('node_modules/electron/install.js', [], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 600_000 });
  const after = findElectronBinary();
  if (after.binary) return after;
  const cause = download.error?.message ?? download.stderr?.split('\n').find((line) => line.trim()) ?? `the installer exited with ${download.status}`;
  return { binary: null, reason: `its binary could not be downloaded (${cause.trim()})` };
}

function startElectron(binary) {
  // Tests build the native modules for Node; Electron needs them built for its own ABI.
  console.log('Rebuilding native modules for Electron (electron-builder install-app-deps)…');
  if (node('node_modules/electron-builder/cli.js', ['install-app-deps']).status !== 0) {
    throw new Error('The native modules could not be rebuilt for Electron (see the output above), so the kiosk cannot start.');
  }
  // Launched on the project folder, not main.js, so Electron reads package.json and the app
  // has its own name, data folder and single-instance lock ("Frontline Kiosk").
  const app = spawn(binary, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => app.kill(signal));
  app.on('error', (error) => {
    console.error(`Electron could not be started (${error.message}).`);
    process.exit(1);
  });
  app.on('exit', (code) => process.exit(code ?? 1));
}

try {
  ensureNpmDependencies({ root, beforeInstall: () => ensureSystemPackages({ who: 'npm start', needs: ['install'] }) });
  if (!process.env.KIOSK_SKIP_BUILD && node('scripts/build.mjs', ['--quiet']).status !== 0) {
    throw new Error('The build failed (see the errors above), so there is nothing to start.');
  }
  const electron = await electronBinary();
  if (electron.binary) {
    startElectron(electron.binary);
  } else {
    console.log(`Electron is not available here: ${electron.reason}. This is the browser preview instead; open the address below.`);
    runPreviewHost(root, process.argv.slice(2));
  }
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
