import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decideElectronDownload, electronDownloadDecision, electronDownloadUrl } from '../../scripts/electron-download.mjs';

const target = { version: '45.4.1', platform: 'linux', arch: 'x64' };

describe('where npm start downloads Electron from', () => {
  it("is Electron's GitHub release unless a mirror is set", () => {
    expect(electronDownloadUrl({ ...target, env: {} })).toBe('https://github.com/electron/electron/releases/download/v45.4.1/electron-v45.4.1-linux-x64.zip');
  });

  it('honours ELECTRON_MIRROR and npm’s electron_mirror setting', () => {
    expect(electronDownloadUrl({ ...target, env: { ELECTRON_MIRROR: 'https://mirror.example/electron/' } })).toBe(
      'https://mirror.example/electron/v45.4.1/electron-v45.4.1-linux-x64.zip',
    );
    expect(electronDownloadUrl({ ...target, env: { npm_config_electron_mirror: 'https://npm.example/e/' } })).toBe('https://npm.example/e/v45.4.1/electron-v45.4.1-linux-x64.zip');
  });
});

describe('whether npm start tries to download a missing Electron binary', () => {
  it('does not when ELECTRON_SKIP_BINARY_DOWNLOAD is set, and says so', () => {
    expect(electronDownloadDecision({ env: { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, cached: true })).toEqual({
      download: false,
      reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set',
    });
  });

  it('treats ELECTRON_SKIP_BINARY_DOWNLOAD=0 as not set', () => {
    expect(electronDownloadDecision({ env: { ELECTRON_SKIP_BINARY_DOWNLOAD: '0' }, cached: true })).toEqual({ download: true });
  });

  it('uses a binary already in the download cache without asking the network', () => {
    expect(electronDownloadDecision({ env: {}, cached: true })).toEqual({ download: true });
  });

  it('lets a proxied download try, since the reachability probe cannot use the proxy', () => {
    expect(electronDownloadDecision({ env: { ELECTRON_GET_USE_PROXY: '1' }, cached: false })).toEqual({ download: true });
  });

  it('otherwise asks for a probe of the download address first, and follows its answer', () => {
    expect(electronDownloadDecision({ env: {}, cached: false })).toEqual({ probe: true });
    expect(electronDownloadDecision({ env: {}, cached: false, reachable: { ok: true } })).toEqual({ download: true });
    expect(electronDownloadDecision({ env: {}, cached: false, reachable: { ok: false, reason: 'github.com cannot be reached: ENOTFOUND' } })).toEqual({
      download: false,
      reason: 'cannot be downloaded (github.com cannot be reached: ENOTFOUND)',
    });
  });
});

describe('the download decision against a real download address', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /** A mirror on loopback answering every request with `status`; returns its address. */
  async function mirror(status: number): Promise<string> {
    const server = createServer((request, response) => {
      response.writeHead(status, status === 302 ? { location: 'http://127.0.0.1/elsewhere' } : {}).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  /** An address where nothing listens any more. */
  async function closedAddress(): Promise<string> {
    const address = await mirror(200);
    await cleanups.pop()?.();
    return address;
  }

  function emptyCache(): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'electron-cache-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  it('downloads where the address answers, even with a redirect to the file', async () => {
    const env = { ELECTRON_MIRROR: await mirror(302), electron_config_cache: emptyCache() };
    expect(await decideElectronDownload({ version: '45.4.1', env })).toEqual({ download: true });
  });

  it('does not where the address has no such file, and says which answer it gave', async () => {
    const address = await mirror(404);
    const decision = await decideElectronDownload({ version: '45.4.1', env: { ELECTRON_MIRROR: address, electron_config_cache: emptyCache() } });
    expect(decision).toEqual({
      download: false,
      reason: `cannot be downloaded (${new URL(address).host} answered 404 for electron-v45.4.1-${process.platform}-${process.arch}.zip)`,
    });
  });

  it('does not where nothing answers, within the timeout, naming the cause', async () => {
    const address = await closedAddress();
    const decision = await decideElectronDownload({ version: '45.4.1', env: { ELECTRON_MIRROR: address, electron_config_cache: emptyCache() }, timeoutMs: 2000 });
    expect(decision).toEqual({ download: false, reason: `cannot be downloaded (${new URL(address).host} cannot be reached: ECONNREFUSED)` });
  });

  it('needs no network when the file is already in the download cache', async () => {
    const cache = emptyCache();
    mkdirSync(path.join(cache, 'a1b2c3'));
    writeFileSync(path.join(cache, 'a1b2c3', `electron-v45.4.1-${process.platform}-${process.arch}.zip`), '');
    const address = await closedAddress();
    expect(await decideElectronDownload({ version: '45.4.1', env: { ELECTRON_MIRROR: address, electron_config_cache: cache } })).toEqual({ download: true });
  });
});
