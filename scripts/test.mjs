// `npm test`: every check the project has, in the order a failure is cheapest to find.
// On Linux the keychain tests need a D-Bus session with an unlocked Secret Service; when
// there is none (CI, a bare container), this re-runs itself inside a private one.
import { spawnSync } from 'node:child_process';
import { ensureNativeModulesForNode } from './native-abi.mjs';

const needsKeyring = process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS;
if (needsKeyring) {
  const missing = ['dbus-run-session', 'gnome-keyring-daemon'].filter((cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0);
  if (missing.length > 0) {
    console.error(`npm test needs ${missing.join(' and ')} for the keychain tests. On Debian: apt-get install dbus gnome-keyring`);
    process.exit(1);
  }
  const inner = `echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "${process.execPath}" scripts/test.mjs`;
  const run = spawnSync('dbus-run-session', ['--', 'sh', '-c', inner], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}

const steps = [
  ['Lint (including the architecture boundaries)', 'npx', ['eslint', '--max-warnings', '0', '.']],
  ['Type-check main, shared and tests', 'npx', ['tsc', '-p', 'tsconfig.json']],
  ['Type-check the renderer', 'npx', ['tsc', '-p', 'src-renderer/tsconfig.json']],
  ['Electron security checks (electronegativity)', process.execPath, ['scripts/electronegativity.mjs']],
  ['Build', process.execPath, ['scripts/build.mjs', '--quiet']],
  ['Unit and integration tests', 'npx', ['vitest', 'run']],
  ['Browser end-to-end tests (Chromium through the preview host)', 'npx', ['playwright', 'test', '--project', 'browser']],
  ['Electron end-to-end tests', process.execPath, ['scripts/electron-e2e.mjs']],
];

try {
  ensureNativeModulesForNode();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

for (const [title, command, args] of steps) {
  console.log(`\n▶ ${title}`);
  const run = spawnSync(command, args, { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`\n✖ ${title} failed.`);
    process.exit(run.status ?? 1);
  }
}
console.log('\n✔ All checks passed.');
