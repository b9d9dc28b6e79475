import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { protocol } from './electron-mock';
import { rendererContentSecurityPolicy as contentSecurityPolicy } from '../../src-main/core/renderer-files';
import {
  handleKioskScheme,
  registerKioskScheme,
  serveRenderer,
} from '../../src-main/electron/app-protocol';

vi.mock('electron', () => import('./electron-mock'));

// <tmp>/secret.txt sits beside the renderer folder: a traversal would reach it.
const tmp = mkdtempSync(path.join(tmpdir(), 'kiosk-protocol-'));
const rendererDir = path.join(tmp, 'renderer');
mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Kiosk</title>');
writeFileSync(path.join(rendererDir, 'assets', 'index.js'), 'console.log("kiosk")');
writeFileSync(path.join(rendererDir, 'assets', 'index.css'), 'body{}');
writeFileSync(path.join(tmp, 'secret.txt'), 'top secret');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const serve = serveRenderer(rendererDir);
const get = (url: string, method = 'GET') => serve(new Request(url, { method }));

describe('app scheme', () => {
  it('is registered as a standard, secure scheme that supports fetch', () => {
    registerKioskScheme();
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('is handled by the renderer file server', () => {
    handleKioskScheme(rendererDir);
    expect(protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
  });
});

describe('renderer file server', () => {
  it('serves index.html with the strict content security policy', async () => {
    const response = await get('app://kiosk/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(await response.text()).toContain('<title>Kiosk</title>');
  });

  it('serves index.html for the bare origin', async () => {
    expect(await (await get('app://kiosk/')).text()).toContain('<title>Kiosk</title>');
  });

  it('labels scripts and styles so the browser will run them', async () => {
    expect((await get('app://kiosk/assets/index.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('app://kiosk/assets/index.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it.each([
    'app://kiosk/../../etc/passwd',
    'app://kiosk/../secret.txt',
    'app://kiosk/..%2fsecret.txt',
    'app://kiosk/%2e%2e%2fsecret.txt',
    'app://kiosk/assets/..%2f..%2fsecret.txt',
    'app://kiosk/..%5csecret.txt',
    'app://kiosk/%2fetc%2fpasswd',
    'app://kiosk/index.html%00.png',
  ])('refuses %s with a 404', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('top secret');
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
  });

  it('answers 404 for a missing file, a folder, another host and a malformed path', async () => {
    for (const url of ['app://kiosk/missing.js', 'app://kiosk/assets', 'app://other/index.html', 'app://kiosk/%E0%A4%A']) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    }
  });

  it('only reads: other methods get a 405', async () => {
    expect((await get('app://kiosk/index.html', 'POST')).status).toBe(405);
  });
});
