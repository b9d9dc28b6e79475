// Native modules are compiled for one runtime at a time: Node for the tests, Electron for
// `npm start`. This makes sure they load in the Node running the tests, rebuilding them
// from source if the last build was for Electron.
import { spawnSync } from 'node:child_process';

const nativeModules = ['better-sqlite3', 'keytar'];

function loads(name) {
  const probe = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(name)})${name === 'better-sqlite3' ? "; new (require('better-sqlite3'))(':memory:').close()" : ''}`], {
    encoding: 'utf8',
  });
  return { ok: probe.status === 0, error: probe.stderr };
}

export function ensureNativeModulesForNode() {
  const stale = nativeModules.filter((name) => !loads(name).ok);
  if (stale.length === 0) return;
  console.log(`Rebuilding ${stale.join(', ')} for Node ${process.version} (they were built for another runtime)…`);
  const rebuilt = spawnSync('npm', ['rebuild', ...stale], { stdio: 'inherit' });
  const still = stale.filter((name) => !loads(name).ok);
  if (rebuilt.status !== 0 || still.length > 0) {
    const detail = still.map((name) => `${name}: ${loads(name).error.split('\n').find((l) => l.includes('Error')) ?? 'does not load'}`).join('\n');
    throw new Error(`Could not build ${still.join(', ')} for Node. On Debian, install build tools and libsecret: apt-get install python3 make g++ libsecret-1-dev.\n${detail}`);
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
