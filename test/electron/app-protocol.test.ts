import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { protocol } from './electron-mock';
import { rendererContentSecurityPolicy as contentSecurityPolicy } from '../../src-main/core/renderer-files';
import {
  builtInAppUrl,
  handleKioskScheme,
  isBuiltInAppUrl,
  refuseKioskScheme,
  registerKioskScheme,
  serveBuiltInApps,
  serveRenderer,
} from '../../src-main/electron/app-protocol';
import { FakeSession } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

// <tmp>/secret.txt sits beside the renderer folder: a traversal would reach it.
const tmp = mkdtempSync(path.join(tmpdir(), 'kiosk-protocol-'));
const rendererDir = path.join(tmp, 'renderer');
mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
mkdirSync(path.join(rendererDir, 'apps'), { recursive: true });
writeFileSync(path.join(rendererDir, 'apps', 'shift-schedule.html'), '<!doctype html><title>Shift schedule</title>');
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

describe('built-in app pages', () => {
  const serveApps = serveBuiltInApps(rendererDir);
  const getApp = (url: string) => serveApps(new Request(url));

  it('live under the demo issuer’s origin, at /apps/', () => {
    expect(builtInAppUrl('shift-schedule')).toBe('https://sso.demo.frontline-kiosk.invalid/apps/shift-schedule.html');
    expect(isBuiltInAppUrl('https://sso.demo.frontline-kiosk.invalid/apps/shift-schedule.html')).toBe(true);
    expect(isBuiltInAppUrl('https://sso.demo.frontline-kiosk.invalid/oidc/auth')).toBe(false);
    expect(isBuiltInAppUrl('https://sso.demo.frontline-kiosk.invalid/apps')).toBe(false);
    expect(isBuiltInAppUrl('app://kiosk/apps/shift-schedule.html')).toBe(false);
    expect(isBuiltInAppUrl('http://sso.demo.frontline-kiosk.invalid/apps/shift-schedule.html')).toBe(false);
    expect(isBuiltInAppUrl('https://kiosk/apps/shift-schedule.html')).toBe(false);
    expect(isBuiltInAppUrl('not a url')).toBe(false);
  });

  it('are served, with the same security headers, to an app partition', async () => {
    const response = await getApp('https://sso.demo.frontline-kiosk.invalid/apps/shift-schedule.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect(await response.text()).toContain('<title>Shift schedule</title>');
  });

  it.each([
    'https://sso.demo.frontline-kiosk.invalid/index.html',
    'https://sso.demo.frontline-kiosk.invalid/',
    'https://sso.demo.frontline-kiosk.invalid/assets/index.js',
    'https://sso.demo.frontline-kiosk.invalid/apps/../index.html',
    'https://sso.demo.frontline-kiosk.invalid/apps/..%2findex.html',
    'https://sso.demo.frontline-kiosk.invalid/apps/%2e%2e%2fassets%2findex.js',
    'https://sso.demo.frontline-kiosk.invalid/apps/..%2f..%2fsecret.txt',
    'https://sso.demo.frontline-kiosk.invalid/appsx/shift-schedule.html',
    'app://kiosk/apps/shift-schedule.html',
    'https://other.example/apps/shift-schedule.html',
  ])('are all an app partition serves: %s is a 404', async (url) => {
    const response = await getApp(url);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('Not found');
  });

  it("leave an app partition no way to the kiosk's own scheme", async () => {
    const partition = new FakeSession('kiosk-app-1');
    refuseKioskScheme(partition as unknown as Electron.Session);
    expect(partition.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    const handler = partition.protocol.handle.mock.calls[0]![1] as (request: Request) => Promise<Response>;
    expect((await handler(new Request('app://kiosk/index.html'))).status).toBe(404);
    expect((await handler(new Request('app://kiosk/apps/shift-schedule.html'))).status).toBe(404);
  });
});
