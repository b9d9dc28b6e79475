import { describe, expect, it } from 'vitest';
import { installedDebianPackages, osFamily, planSystemSetup, requiredPackages, systemPackages } from '../../scripts/system-packages.mjs';

const pkg = (name: string) => {
  const found = systemPackages.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no system package ${name}`);
  return found;
};
const compilers = [pkg('python3'), pkg('g++')];

describe('which family of system this is', () => {
  it('reads /etc/os-release: Debian, Ubuntu and their derivatives, other Linux', () => {
    expect(osFamily('linux', 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n')).toBe('debian');
    expect(osFamily('linux', 'ID=ubuntu\nID_LIKE=debian\n')).toBe('ubuntu');
    expect(osFamily('linux', 'ID=linuxmint\nID_LIKE="ubuntu debian"\n')).toBe('ubuntu');
    expect(osFamily('linux', 'ID=raspbian\nID_LIKE=debian\n')).toBe('debian');
    expect(osFamily('linux', 'ID="fedora"\n')).toBe('linux');
    expect(osFamily('linux', '')).toBe('linux');
    expect(osFamily('darwin', '')).toBe('darwin');
    expect(osFamily('win32', '')).toBe('other');
  });
});

describe('what each command needs from the system', () => {
  it('npm start needs only what compiles the native modules; npm test also Chromium, the keychain, D-Bus, a font and git', () => {
    expect(requiredPackages('debian', ['install'], {}).map((p) => p.name)).toEqual(['python3', 'make', 'g++', 'libsecret-1-dev']);
    expect(requiredPackages('debian', ['install', 'test'], {}).map((p) => p.name)).toEqual([
      'python3',
      'make',
      'g++',
      'libsecret-1-dev',
      'chromium',
      'gnome-keyring',
      'dbus',
      'fonts-dejavu-core',
      'git',
    ]);
  });

  it('does not need the chromium package when CHROMIUM_PATH names a browser', () => {
    expect(requiredPackages('debian', ['test'], { CHROMIUM_PATH: '/opt/chrome/chrome' }).map((p) => p.name)).not.toContain('chromium');
  });

  it('needs the Xcode Command Line Tools on macOS, and nothing it can check on Windows', () => {
    expect(requiredPackages('darwin', ['install', 'test'], {}).map((p) => p.name)).toEqual(['the Xcode Command Line Tools']);
    expect(requiredPackages('other', ['install', 'test'], {})).toEqual([]);
  });

  it('reads which packages dpkg reports as installed, ignoring removed ones and unknown names', () => {
    const output = 'g++\tinstall ok installed\nchromium\tdeinstall ok config-files\npython3\tinstall ok installed\n';
    expect([...installedDebianPackages(output)]).toEqual(['g++', 'python3']);
  });
});

describe('what npm test does about missing system packages', () => {
  const situation = { who: 'npm test', family: 'debian' as const, isRoot: true, hasSudo: false };

  it('does nothing when nothing is missing', () => {
    expect(planSystemSetup({ ...situation, missing: [] })).toEqual({ kind: 'ready' });
  });

  it('on Debian as root, installs what is missing with apt-get, saying so first', () => {
    expect(planSystemSetup({ ...situation, missing: [...compilers, pkg('chromium')] })).toEqual({
      kind: 'install',
      packages: ['python3', 'g++', 'chromium'],
      announce: 'Installing with apt-get what npm test needs from Debian: python3 g++ chromium',
      commands: [
        ['apt-get', 'update', '-qq'],
        ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'python3', 'g++', 'chromium'],
      ],
    });
  });

  it('on Debian without root, stops with one message naming each missing package, why, and the sudo command', () => {
    expect(planSystemSetup({ ...situation, isRoot: false, hasSudo: true, missing: [...compilers, pkg('gnome-keyring')] })).toEqual({
      kind: 'stop',
      message:
        'npm test needs python3 and g++ (to compile better-sqlite3 and keytar), and gnome-keyring (for a real keychain in the secret-store tests), which are not installed. Install them with: sudo apt-get install -y --no-install-recommends python3 g++ gnome-keyring',
    });
  });

  it('without root or sudo, says to run the command as root', () => {
    const plan = planSystemSetup({ ...situation, who: 'npm start', isRoot: false, missing: [pkg('libsecret-1-dev')] });
    expect(plan).toEqual({
      kind: 'stop',
      message:
        'npm start needs libsecret-1-dev (for keytar, which builds against libsecret), which is not installed. Install it with: apt-get install -y --no-install-recommends libsecret-1-dev (as root)',
    });
  });

  it("on Ubuntu, installs the rest with apt-get but not chromium, whose package there is only the snap's installer", () => {
    const plan = planSystemSetup({ ...situation, family: 'ubuntu', missing: [pkg('make'), pkg('chromium')] });
    expect(plan).toMatchObject({ kind: 'install', packages: ['make'] });
    const afterwards = planSystemSetup({ ...situation, family: 'ubuntu', missing: [pkg('chromium')] });
    expect(afterwards).toEqual({
      kind: 'stop',
      message:
        'npm test needs chromium (for the browser end-to-end tests), which is not installed. For Chromium on Ubuntu, set CHROMIUM_PATH to a Chromium or Chrome, or run: npx playwright install chromium',
    });
  });

  it('on macOS, names the Xcode Command Line Tools installer', () => {
    const plan = planSystemSetup({ ...situation, family: 'darwin', missing: requiredPackages('darwin', ['install'], {}) });
    expect(plan).toEqual({
      kind: 'stop',
      message: 'npm test needs the Xcode Command Line Tools (to compile better-sqlite3 and keytar), which is not installed. Install it with: xcode-select --install',
    });
  });

  it('on another Linux, names what is missing and the Debian command to translate', () => {
    const plan = planSystemSetup({ ...situation, family: 'linux', missing: [pkg('dbus')] });
    expect(plan).toEqual({
      kind: 'stop',
      message:
        "npm test needs dbus (for the private D-Bus session the keychain runs in), which is not installed. Install it with your distribution's package manager (these are Debian's names; on Debian it is: apt-get install -y --no-install-recommends dbus)",
    });
  });
});
