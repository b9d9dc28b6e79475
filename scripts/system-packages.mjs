// What `npm start` and `npm test` need from the operating system, and how to get it: on
// Debian or Ubuntu as root they install it with apt-get, saying so first; anywhere else
// they stop with one message naming the command to run. Plain Node only: this runs before
// `npm ci`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const compile = 'to compile better-sqlite3 and keytar';

/**
 * By Debian package name. `need`: 'install' for `npm ci` (native modules compile from
 * source), 'test' for the tests. `probe` finds the thing without dpkg (other distributions,
 * or installed by hand); a package without one is assumed present where dpkg cannot tell.
 */
export const systemPackages = [
  { name: 'python3', need: 'install', why: compile, probe: ['python3', '--version'] },
  { name: 'make', need: 'install', why: compile, probe: ['make', '--version'] },
  { name: 'g++', need: 'install', why: compile, probe: ['g++', '--version'] },
  { name: 'libsecret-1-dev', need: 'install', why: 'for keytar, which builds against libsecret', probe: ['pkg-config', '--exists', 'libsecret-1'] },
  { name: 'chromium', need: 'test', why: 'for the browser end-to-end tests', probe: ['sh', '-c', 'command -v chromium || command -v chromium-browser'] },
  { name: 'gnome-keyring', need: 'test', why: 'for a real keychain in the secret-store tests', probe: ['sh', '-c', 'command -v gnome-keyring-daemon'] },
  { name: 'dbus', need: 'test', why: 'for the private D-Bus session the keychain runs in', probe: ['sh', '-c', 'command -v dbus-run-session'] },
  { name: 'fonts-dejavu-core', need: 'test', why: 'so Chromium has a font to render the screens with' },
  { name: 'git', need: 'test', why: 'for the fresh-clone check', probe: ['git', '--version'] },
];

const xcodeTools = { name: 'the Xcode Command Line Tools', need: 'install', why: compile, probe: ['xcode-select', '-p'] };

/**
 * @param {string} platform process.platform
 * @param {string} osRelease the text of /etc/os-release ('' when there is none)
 * @returns {'debian' | 'ubuntu' | 'linux' | 'darwin' | 'other'}
 */
export function osFamily(platform, osRelease) {
  if (platform === 'darwin') return 'darwin';
  if (platform !== 'linux') return 'other';
  const field = (name) => (osRelease.match(new RegExp(`^${name}="?([^"\\n]*)"?$`, 'm'))?.[1] ?? '').split(/\s+/);
  const ids = [...field('ID'), ...field('ID_LIKE')];
  if (ids.includes('ubuntu')) return 'ubuntu';
  if (ids.includes('debian')) return 'debian';
  return 'linux';
}

/**
 * The packages a command needs on this family of system.
 *
 * @param {ReturnType<typeof osFamily>} family
 * @param {Array<'install' | 'test'>} needs
 * @param {NodeJS.ProcessEnv} env CHROMIUM_PATH replaces the chromium package
 */
export function requiredPackages(family, needs, env) {
  if (family === 'darwin') return needs.includes('install') ? [xcodeTools] : [];
  // Windows and others: the keychain is the system's own; node-gyp names its build tools.
  if (family === 'other') return [];
  return systemPackages.filter((pkg) => needs.includes(pkg.need) && !(pkg.name === 'chromium' && env.CHROMIUM_PATH));
}

/** Names dpkg reports as installed, from `dpkg-query -W -f='${Package}\t${Status}\n' …`. */
export function installedDebianPackages(dpkgOutput) {
  return new Set(
    dpkgOutput
      .split('\n')
      .map((line) => line.split('\t'))
      .filter(([, status]) => status?.trim() === 'install ok installed')
      .map(([name]) => name),
  );
}

function describe(packages) {
  const byReason = new Map();
  for (const pkg of packages) byReason.set(pkg.why, [...(byReason.get(pkg.why) ?? []), pkg.name]);
  const names = (items) => (items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);
  const groups = [...byReason].map(([why, items]) => `${names(items)} (${why})`);
  return groups.length === 1 ? groups[0] : `${groups.slice(0, -1).join(', ')}, and ${groups.at(-1)}`;
}

/**
 * What to do about the missing packages.
 *
 * @param {{ who: string, family: ReturnType<typeof osFamily>, missing: Array<{ name: string, why: string }>, isRoot: boolean, hasSudo: boolean }} situation
 * @returns {{ kind: 'ready' } | { kind: 'install', packages: string[], announce: string, commands: string[][] } | { kind: 'stop', message: string }}
 */
export function planSystemSetup({ who, family, missing, isRoot, hasSudo }) {
  if (missing.length === 0) return { kind: 'ready' };
  const needs = `${who} needs ${describe(missing)}, which ${missing.length === 1 ? 'is' : 'are'} not installed.`;
  const them = missing.length === 1 ? 'it' : 'them';
  if (family === 'darwin') return { kind: 'stop', message: `${needs} Install ${them} with: xcode-select --install` };

  // Ubuntu's chromium package is only a way to install the snap, which containers lack.
  const viaApt = family === 'ubuntu' ? missing.filter((pkg) => pkg.name !== 'chromium') : missing;
  const chromiumElsewhere =
    viaApt.length < missing.length ? ' For Chromium on Ubuntu, set CHROMIUM_PATH to a Chromium or Chrome, or run: npx playwright install chromium' : '';
  const aptInstall = ['apt-get', 'install', '-y', '--no-install-recommends', ...viaApt.map((pkg) => pkg.name)];

  if (family === 'debian' || family === 'ubuntu') {
    if (isRoot && viaApt.length > 0) {
      const packages = viaApt.map((pkg) => pkg.name);
      return {
        kind: 'install',
        packages,
        announce: `Installing with apt-get what ${who} needs from ${family === 'debian' ? 'Debian' : 'Ubuntu'}: ${packages.join(' ')}`,
        commands: [
          ['apt-get', 'update', '-qq'],
          ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...packages],
        ],
      };
    }
    const run = viaApt.length === 0 ? '' : ` Install ${viaApt.length === missing.length ? them : 'the rest'} with: ${hasSudo && !isRoot ? 'sudo ' : ''}${aptInstall.join(' ')}${!hasSudo && !isRoot ? ' (as root)' : ''}`;
    return { kind: 'stop', message: `${needs}${run}${chromiumElsewhere}` };
  }
  return {
    kind: 'stop',
    message: `${needs} Install ${them} with your distribution's package manager (these are Debian's names; on Debian it is: ${aptInstall.join(' ')})`,
  };
}

const succeeds = (argv) => spawnSync(argv[0], argv.slice(1), { stdio: 'ignore' }).status === 0;

function findMissing(family, required) {
  if (family !== 'debian' && family !== 'ubuntu') return required.filter((pkg) => pkg.probe && !succeeds(pkg.probe));
  const query = spawnSync('dpkg-query', ['-W', '-f=${Package}\t${Status}\n', ...required.map((pkg) => pkg.name)], { encoding: 'utf8' });
  const installed = installedDebianPackages(query.stdout ?? '');
  return required.filter((pkg) => !installed.has(pkg.name) && !(pkg.probe && succeeds(pkg.probe)));
}

/**
 * Makes sure the system has what `who` needs, installing it where that is ours to do.
 * Throws an Error whose message is the one thing to tell the person.
 *
 * @param {{ who: string, needs: Array<'install' | 'test'> }} options
 */
export function ensureSystemPackages({ who, needs }) {
  let osRelease = '';
  try {
    osRelease = readFileSync('/etc/os-release', 'utf8');
  } catch {
    // not Linux, or a system without os-release: osFamily decides from the platform
  }
  const family = osFamily(process.platform, osRelease);
  const required = requiredPackages(family, needs, process.env);
  const situation = () => ({
    who,
    family,
    missing: findMissing(family, required),
    isRoot: process.getuid?.() === 0,
    hasSudo: succeeds(['sh', '-c', 'command -v sudo']),
  });

  const plan = planSystemSetup(situation());
  if (plan.kind === 'ready') return;
  if (plan.kind === 'stop') throw new Error(plan.message);
  console.log(plan.announce);
  for (const command of plan.commands) {
    const run = spawnSync(command[0], command.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (run.status !== 0) throw new Error(`${command.join(' ')} failed (its own error is above), so ${who} cannot set up this machine.`);
  }
  const after = planSystemSetup(situation());
  if (after.kind === 'stop') throw new Error(after.message);
  if (after.kind === 'install') throw new Error(`apt-get finished, but dpkg still does not list ${after.packages.join(' ')} as installed.`);
}
