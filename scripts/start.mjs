// `npm start`: build, then open the kiosk in Electron. Where Electron cannot be installed,
// say so in one sentence and point at the browser preview — never a stack trace.
//   KIOSK_SKIP_BUILD=1               use the existing dist/ (the start script's own test)
//   KIOSK_SKIP_ELECTRON_DOWNLOAD=1   do not try to fetch a missing Electron binary
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const node = (script, args = [], options = {}) =>
  spawnSync(process.execPath, [path.join(root, script), ...args], { cwd: root, stdio: 'inherit', ...options });

function stop(sentence) {
  console.error(sentence);
  process.exit(1);
}

if (!process.env.KIOSK_SKIP_BUILD && node('scripts/build.mjs', ['--quiet']).status !== 0) {
  stop('The build failed (see the errors above), so there is nothing to start.');
}

let electron = findElectronBinary();
if (!electron.binary && !process.env.KIOSK_SKIP_ELECTRON_DOWNLOAD) {
  // One quiet attempt: the installer prints a stack trace when it is offline.
  node('node_modules/electron/install.js', [], { stdio: 'ignore', timeout: 120_000 });
  electron = findElectronBinary();
}
if (!electron.binary) {
  stop(
    'Electron is not installed on this machine (its binary could not be downloaded), so the kiosk cannot open as a desktop app here; run `npm run preview` to use it in your browser instead.',
  );
}

// Tests build the native modules for Node; Electron needs them built for its own ABI.
console.log('Rebuilding native modules for Electron (electron-builder install-app-deps)…');
if (node('node_modules/electron-builder/cli.js', ['install-app-deps']).status !== 0) {
  stop('The native modules could not be rebuilt for Electron (see the output above), so the kiosk cannot start.');
}

// Launched on the project folder, not main.js, so Electron reads package.json and the app
// has its own name, data folder and single-instance lock ("Frontline Kiosk").
const app = spawn(electron.binary, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => app.kill(signal));
app.on('error', (error) => stop(`Electron could not be started (${error.message}).`));
app.on('exit', (code) => process.exit(code ?? 1));
