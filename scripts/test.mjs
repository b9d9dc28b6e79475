// `npm test`: set up what the tests need, then every check the project has, in the order
// a failure is cheapest to find. `npm test -- --setup-only` sets up and stops.
//
// Set-up uses plain Node only, before anything imports a dependency: the system packages
// (apt-get on Debian or Ubuntu as root, else one message naming the command), then the npm
// dependencies (npm ci when node_modules is missing or stale), then native modules built
// for this Node. On Linux the keychain tests need a D-Bus session with an unlocked Secret
// Service; when there is none (CI, a bare container), this re-runs itself inside a private one.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureNativeModulesForNode } from './native-abi.mjs';
import { ensureNpmDependencies } from './npm-dependencies.mjs';
import { ensureSystemPackages } from './system-packages.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const setupOnly = process.argv.includes('--setup-only');

try {
  if (!process.env.KIOSK_TEST_SET_UP) {
    ensureSystemPackages({ who: 'npm test', needs: ['install', 'test'] });
    ensureNpmDependencies({ root });
    ensureNativeModulesForNode();
  }
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
if (setupOnly) {
  console.log('✔ Set up for npm test: system packages, npm dependencies, native modules for Node.');
  process.exit(0);
}

if (process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS) {
  const inner = `echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "${process.execPath}" scripts/test.mjs`;
  const run = spawnSync('dbus-run-session', ['--', 'sh', '-c', inner], { cwd: root, stdio: 'inherit', env: { ...process.env, KIOSK_TEST_SET_UP: '1' } });
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
  ['A fresh clone: npm test and npm start set themselves up', process.execPath, ['scripts/fresh-clone-check.mjs']],
];

for (const [title, command, args] of steps) {
  console.log(`\n▶ ${title}`);
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`\n✖ ${title} failed.`);
    process.exit(run.status ?? 1);
  }
}
console.log('\n✔ All checks passed.');
