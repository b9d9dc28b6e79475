import { describe, expect, it } from 'vitest';
import { electronDownloadDecision, electronDownloadUrl } from '../../scripts/electron-download.mjs';

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
