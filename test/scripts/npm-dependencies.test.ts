import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { installMismatch, npmCiEnvironment } from '../../scripts/npm-dependencies.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

const lock = {
  packages: {
    '': { version: '0.1.0' },
    'node_modules/zod': { version: '4.6.7' },
    'node_modules/jose': { version: '6.2.17' },
    'node_modules/@esbuild/darwin-arm64': { version: '0.28.2', optional: true },
    'node_modules/app-builder-lib/node_modules/@electron/get': { version: '3.1.0' },
  },
};
const installedAsLocked = {
  packages: {
    'node_modules/zod': { version: '4.6.7' },
    'node_modules/jose': { version: '6.2.17' },
    'node_modules/app-builder-lib/node_modules/@electron/get': { version: '3.1.0' },
  },
};
const allPresent = () => true;

describe('whether node_modules matches package-lock.json', () => {
  it('matches when npm installed every locked version, leaving out optional packages for other platforms', () => {
    expect(installMismatch(lock, installedAsLocked, allPresent)).toBeNull();
  });

  it('does not match when no install has completed (npm writes its record only at the end of one that succeeded)', () => {
    expect(installMismatch(lock, null, allPresent)).toBe('no npm install has completed here');
  });

  it('names a package the lockfile wants that is not installed', () => {
    const { 'node_modules/jose': _jose, ...rest } = installedAsLocked.packages;
    expect(installMismatch(lock, { packages: rest }, allPresent)).toBe('jose is not installed');
  });

  it('names a package installed at another version, nested ones by their path', () => {
    const installed = { packages: { ...installedAsLocked.packages, 'node_modules/app-builder-lib/node_modules/@electron/get': { version: '2.0.0' } } };
    expect(installMismatch(lock, installed, allPresent)).toBe('app-builder-lib > @electron/get 2.0.0 is installed but package-lock.json has 3.1.0');
  });

  it('names a package installed but no longer in the lockfile', () => {
    const installed = { packages: { ...installedAsLocked.packages, 'node_modules/left-pad': { version: '1.3.0' } } };
    expect(installMismatch(lock, installed, allPresent)).toBe('left-pad is installed but not in package-lock.json');
  });

  it('notices a package folder deleted by hand after the install', () => {
    expect(installMismatch(lock, installedAsLocked, (key) => key !== 'node_modules/zod')).toBe('zod was removed from node_modules');
  });

  it("reads npm's own record the way npm writes it: this checkout's install matches its lockfile", ({ skip }) => {
    const record = path.join(root, 'node_modules', '.package-lock.json');
    if (!existsSync(record)) skip('node_modules here was not installed by npm');
    const read = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
    expect(installMismatch(read(path.join(root, 'package-lock.json')), read(record), (key) => existsSync(path.join(root, key, 'package.json')))).toBeNull();
  });
});

describe('the environment npm ci compiles the native modules in', () => {
  it("points node-gyp at the system's Node headers when they are this Node's, so it downloads none", () => {
    expect(npmCiEnvironment({ PATH: '/usr/bin' }, '20.20.2', '20.20.2')).toEqual({ PATH: '/usr/bin', npm_config_nodedir: '/usr' });
  });

  it('leaves node-gyp alone when the system headers are for another Node, or a nodedir is already chosen', () => {
    expect(npmCiEnvironment({}, '18.19.0', '20.20.2')).toEqual({});
    expect(npmCiEnvironment({}, null, '20.20.2')).toEqual({});
    expect(npmCiEnvironment({ npm_config_nodedir: '/opt/node' }, '20.20.2', '20.20.2')).toEqual({ npm_config_nodedir: '/opt/node' });
  });
});
