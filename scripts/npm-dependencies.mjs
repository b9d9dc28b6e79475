// Keeps node_modules matching package-lock.json. `npm start`, `npm test` and
// `npm run preview` call this before anything imports a dependency, so it uses plain Node.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';

const displayName = (key) => key.replace(/^node_modules\//, '').replaceAll('/node_modules/', ' > ');

/**
 * Why the installed packages differ from the lockfile, or null when they match.
 *
 * npm records what it installed in node_modules/.package-lock.json at the end of every
 * install that succeeded (a failed one rolls back and leaves no record), so comparing that
 * record with package-lock.json also recognises a plain `npm ci` run by hand or by CI.
 * Optional packages for other platforms are in the lockfile but never installed.
 *
 * @param {{ packages?: Record<string, { version?: string, optional?: boolean, link?: boolean }> }} lock
 * @param {{ packages?: Record<string, { version?: string }> } | null} installed
 * @param {(key: string) => boolean} isPresent whether a package's folder is still on disk
 */
export function installMismatch(lock, installed, isPresent) {
  if (!installed) return 'no npm install has completed here';
  const wanted = lock.packages ?? {};
  const have = installed.packages ?? {};
  for (const [key, entry] of Object.entries(wanted)) {
    if (!key.startsWith('node_modules/') || entry.link) continue;
    const got = have[key];
    if (!got) {
      if (entry.optional) continue;
      return `${displayName(key)} is not installed`;
    }
    if (got.version !== entry.version) return `${displayName(key)} ${got.version} is installed but package-lock.json has ${entry.version}`;
    if (!isPresent(key)) return `${displayName(key)} was removed from node_modules`;
  }
  for (const key of Object.keys(have)) {
    if (!(key in wanted)) return `${displayName(key)} is installed but not in package-lock.json`;
  }
  return null;
}

/**
 * The environment for `npm ci`: node-gyp compiles better-sqlite3 and keytar against the
 * headers of the running Node. Where the system Node ships them (Debian's nodejs), point it
 * there so it does not download them.
 *
 * @param {NodeJS.ProcessEnv} env
 * @param {string | null} systemHeadersVersion the version in /usr/include/node/node_version.h
 * @param {string} nodeVersion process.versions.node
 */
export function npmCiEnvironment(env, systemHeadersVersion, nodeVersion) {
  if (env.npm_config_nodedir || systemHeadersVersion !== nodeVersion) return env;
  return { ...env, npm_config_nodedir: '/usr' };
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function systemNodeHeadersVersion() {
  try {
    const header = readFileSync('/usr/include/node/node_version.h', 'utf8');
    const part = (name) => header.match(new RegExp(`#define NODE_${name}_VERSION (\\d+)`))?.[1];
    return [part('MAJOR'), part('MINOR'), part('PATCH')].join('.');
  } catch {
    return null;
  }
}

/** The one line that explains npm's EBADENGINE warnings before they scroll past. */
function engineNote() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 12)) return null;
  return `(npm warns EBADENGINE below: Electron 45's tooling asks for Node 22.12, and this is Node ${process.versions.node}. The app, the build and the tests run on Node 20.19 or later; see "Node" in the README.)`;
}

/**
 * Runs `npm ci` when node_modules is missing or does not match package-lock.json.
 *
 * @param {{ root: string, beforeInstall?: () => void }} options beforeInstall runs only when
 *   an install is needed (the system packages that compile the native modules)
 */
export function ensureNpmDependencies({ root, beforeInstall = () => {} }) {
  const modules = path.join(root, 'node_modules');
  const mismatch = existsSync(modules)
    ? installMismatch(readJson(path.join(root, 'package-lock.json')) ?? {}, readJson(path.join(modules, '.package-lock.json')), (key) =>
        existsSync(path.join(root, key, 'package.json')),
      )
    : 'node_modules is missing';
  if (!mismatch) return;

  if (lstatSync(modules, { throwIfNoEntry: false })?.isSymbolicLink()) {
    // npm ci deletes node_modules: through a link it would wipe another checkout's install.
    console.warn(`node_modules links to ${realpathSync(modules)}, which does not match this package-lock.json (${mismatch}); run npm ci there, not through the link.`);
    return;
  }

  beforeInstall();
  console.log(`Installing the npm dependencies with npm ci, because ${mismatch}.`);
  const note = engineNote();
  if (note) console.log(note);
  const env = npmCiEnvironment(process.env, systemNodeHeadersVersion(), process.versions.node);
  // --prefer-offline: the lockfile pins every tarball by hash, so a cached copy is the same one.
  const install = spawnSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: root,
    env,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (install.status !== 0) {
    throw new Error('npm ci failed (its own error is above), so the npm dependencies are not installed.');
  }
}
