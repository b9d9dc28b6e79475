import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_SSO_ISSUER } from '../../src-main/core/sso/issuer-bridge';
import type { OidcEndpoint } from '../../src-main/core/sso/single-sign-on';
import { answerHttpsInPartition, httpsRouteOf, parseSetCookie, partitionIssuer, partitionIssuerOf } from '../../src-main/electron/sso-requests';
import type { DeviceConfig } from '../../src-main/core/config/device-config';
import { FakeSession } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

const rendererDir = mkdtempSync(path.join(tmpdir(), 'kiosk-sso-requests-'));
mkdirSync(path.join(rendererDir, 'apps'));
writeFileSync(path.join(rendererDir, 'apps', 'shift-schedule.html'), '<!doctype html><title>Shift schedule</title>');
afterAll(() => rmSync(rendererDir, { recursive: true, force: true }));

const LIVE_ISSUER = 'https://kiosk-sso.contoso.example';
const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };

let partition: FakeSession;
let answer: ReturnType<typeof vi.fn<(request: Request, cookies: string) => Promise<Response>>>;

function handler(): (request: Request) => Promise<Response> {
  const call = partition.protocol.handle.mock.calls.find(([scheme]) => scheme === 'https');
  return call![1] as (request: Request) => Promise<Response>;
}

beforeEach(() => {
  partition = new FakeSession('kiosk-app-s1');
  answer = vi.fn(async () => new Response('from the provider'));
  answerHttpsInPartition(partition as unknown as Electron.Session, rendererDir, { issuer: DEMO_SSO_ISSUER, answer }, log);
});

describe('https in an app partition', () => {
  it('answers the issuer in memory, never over the network', async () => {
    const response = await handler()(new Request(`${DEMO_SSO_ISSUER}/.well-known/openid-configuration`));
    expect(await response.text()).toBe('from the provider');
    expect(answer).toHaveBeenCalledOnce();
    expect(partition.fetch).not.toHaveBeenCalled();
  });

  it('passes the rest of the web through untouched, in the partition’s own session', async () => {
    const request = new Request('https://shifts.contoso.example/api/week', { method: 'POST', body: 'x' });
    expect(await (await handler()(request)).text()).toBe('from the network');
    expect(partition.fetch).toHaveBeenCalledWith(request, { bypassCustomProtocolHandlers: true });
    expect(answer).not.toHaveBeenCalled();
  });

  it('serves the built-in pages on the demo origin, and nothing else there', async () => {
    expect((await handler()(new Request('https://sso.demo.frontline-kiosk.invalid/apps/shift-schedule.html'))).status).toBe(200);
    const live = new FakeSession('kiosk-app-live');
    answerHttpsInPartition(live as unknown as Electron.Session, rendererDir, { issuer: LIVE_ISSUER, answer }, log);
    const liveHandler = live.protocol.handle.mock.calls[0]![1] as (request: Request) => Promise<Response>;
    expect((await liveHandler(new Request('https://sso.demo.frontline-kiosk.invalid/oidc/auth'))).status).toBe(404);
    expect(live.fetch).not.toHaveBeenCalled();
    expect(answer).not.toHaveBeenCalled();
  });

  it('keeps the provider’s cookies in the partition’s own store: sent from it, and set in it, never left to Chromium', async () => {
    await partition.cookies.set({ url: DEMO_SSO_ISSUER, name: '_session', value: 'abc' });
    answer.mockResolvedValueOnce(
      new Response(null, { status: 303, headers: [['location', '/oidc/interaction/x'], ['set-cookie', '_interaction=xyz; path=/oidc/interaction/x; expires=Thu, 01 Jan 2099 00:00:00 GMT; secure; httponly; samesite=lax'], ['set-cookie', '_old=; path=/; max-age=0']] }),
    );
    await partition.cookies.set({ url: DEMO_SSO_ISSUER, name: '_old', value: 'stale' });
    const response = await handler()(new Request(`${DEMO_SSO_ISSUER}/auth?client_id=demo-shifts`));
    expect(answer.mock.calls[0]![1]).toBe('_session=abc; _old=stale');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/oidc/interaction/x');
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(partition.cookieJar.get('_interaction')).toMatchObject({ value: 'xyz', path: '/oidc/interaction/x', secure: true, httpOnly: true, sameSite: 'lax', expirationDate: Date.parse('2099-01-01T00:00:00Z') / 1000 });
    expect(partition.cookieJar.has('_old')).toBe(false);
  });

  it('answers 503, and logs no detail, when the provider fails', async () => {
    answer.mockRejectedValueOnce(new Error('keychain locked: secret'));
    const response = await handler()(new Request(`${DEMO_SSO_ISSUER}/jwks`));
    expect(response.status).toBe(503);
    expect(JSON.stringify(log.error.mock.calls)).not.toContain('secret');
  });
});

describe('a Set-Cookie header, read as RFC 6265 §5.2 says', () => {
  it('keeps a session cookie without an expiry, and reads SameSite=None as no restriction', () => {
    expect(parseSetCookie('_session=a=b; Path=/oidc; SameSite=None; Secure', DEMO_SSO_ISSUER, 0)).toEqual({
      name: '_session',
      expired: false,
      details: { url: DEMO_SSO_ISSUER, name: '_session', value: 'a=b', path: '/oidc', secure: true, httpOnly: false, sameSite: 'no_restriction' },
    });
  });

  it('prefers Max-Age to Expires, and ignores a header with no name', () => {
    expect(parseSetCookie('x=1; expires=Thu, 01 Jan 2099 00:00:00 GMT; max-age=60', DEMO_SSO_ISSUER, 1000)!.details.expirationDate).toBe(61);
    expect(parseSetCookie('=1', DEMO_SSO_ISSUER)).toBeNull();
  });
});

describe('the routing rule', () => {
  it.each([
    ['https://sso.demo.frontline-kiosk.invalid/apps/shift-schedule.html', LIVE_ISSUER, 'built-in page'],
    [`${LIVE_ISSUER}/auth?client_id=shifts`, LIVE_ISSUER, 'issuer'],
    ['https://sso.demo.frontline-kiosk.invalid/oidc/token', DEMO_SSO_ISSUER, 'issuer'],
    ['https://sso.demo.frontline-kiosk.invalid/oidc/token', LIVE_ISSUER, 'refused'],
    ['https://kiosk-sso.contoso.example.evil.example/auth', LIVE_ISSUER, 'web'],
    ['https://shifts.contoso.example/', LIVE_ISSUER, 'web'],
    [`${LIVE_ISSUER}/auth`, null, 'web'],
  ] as const)('%s (issuer %s) → %s', (url, issuer, route) => expect(httpsRouteOf(url, issuer)).toBe(route));
});

describe('the issuer the shell serves', () => {
  it('is the fixed demo issuer in the demo, the configured one live, and none live without one', () => {
    // Only `sso` matters here; the rest of a live configuration is config's own tests'.
    const config = { deviceName: 'till-3', sso: { issuer: LIVE_ISSUER } } as DeviceConfig;
    expect(partitionIssuerOf({ mode: 'demo' })).toBe(DEMO_SSO_ISSUER);
    expect(partitionIssuerOf({ mode: 'live', config })).toBe(LIVE_ISSUER);
    expect(partitionIssuerOf({ mode: 'live', config: { ...config, sso: undefined } })).toBeNull();
  });

  it('starts the provider on the first request only, once, and again after a failure', async () => {
    const endpoint = { issuer: DEMO_SSO_ISSUER, handle: (_req, res) => res.writeHead(204).end() } satisfies OidcEndpoint;
    const open = vi.fn<() => Promise<OidcEndpoint>>().mockRejectedValueOnce(new Error('no keychain')).mockResolvedValue(endpoint);
    const issuer = partitionIssuer(DEMO_SSO_ISSUER, open);
    expect(open).not.toHaveBeenCalled();
    await expect(issuer.answer(new Request(`${DEMO_SSO_ISSUER}/jwks`), '')).rejects.toThrow('no keychain');
    expect((await issuer.answer(new Request(`${DEMO_SSO_ISSUER}/jwks`), '')).status).toBe(204);
    expect((await issuer.answer(new Request(`${DEMO_SSO_ISSUER}/jwks`), '')).status).toBe(204);
    expect(open).toHaveBeenCalledTimes(2);
  });
});
