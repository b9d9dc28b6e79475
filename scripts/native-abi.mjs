// Native modules are compiled for one runtime at a time: Node for the tests, Electron for
// `npm start`. This makes sure they load in the Node running the tests, rebuilding them
// from source if the last build was for Electron.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const nativeModules = ['better-sqlite3', 'keytar'];

function loads(name) {
  const probe = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(name)})${name === 'better-sqlite3' ? "; new (require('better-sqlite3'))(':memory:').close()" : ''}`], {
    cwd: root,
    encoding: 'utf8',
  });
  return { ok: probe.status === 0, error: probe.stderr };
}

export function ensureNativeModulesForNode() {
  const stale = nativeModules.filter((name) => !loads(name).ok);
  if (stale.length === 0) return;
  const absent = stale.filter((name) => loads(name).error.includes(`Cannot find module '${name}'`));
  if (absent.length > 0) {
    throw new Error(`${absent.join(' and ')} ${absent.length === 1 ? 'is' : 'are'} not installed: node_modules does not match package-lock.json (run npm ci).`);
  }
  console.log(`Rebuilding ${stale.join(', ')} for Node ${process.version} (they were built for another runtime)…`);
  const rebuilt = spawnSync('npm', ['rebuild', ...stale], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  const still = stale.filter((name) => !loads(name).ok);
  if (rebuilt.status !== 0 || still.length > 0) {
    const detail = still.map((name) => `${name}: ${loads(name).error.split('\n').find((l) => l.includes('Error')) ?? 'does not load'}`).join('\n');
    throw new Error(`Could not rebuild ${still.join(', ')} for Node ${process.version} (npm rebuild's output is above).\n${detail}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    ensureNativeModulesForNode();
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
