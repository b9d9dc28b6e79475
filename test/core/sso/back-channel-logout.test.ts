import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { Browser, codeRequest, openSso, settingsWith, type SsoHarness } from './sso-harness';
import { tempDir } from '../../fakes';
import { MemorySecretStore } from '../../../src-main/core/secrets/memory-secret-store';

/** The app's server: receives logout tokens at /backchannel-logout, when it is up. */
class AppServer {
  readonly tokens: string[] = [];
  private server: Server | null = null;
  constructor(readonly port: number) {}

  static async freePort(): Promise<number> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return port;
  }

  get uri(): string {
    return `http://127.0.0.1:${this.port}/backchannel-logout`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        if (request.method === 'POST' && request.url === '/backchannel-logout') {
          this.tokens.push(new URLSearchParams(body).get('logout_token') ?? '');
          response.writeHead(200, { 'Cache-Control': 'no-store' }).end();
        } else response.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }
}

const open: Array<{ close(): Promise<void> } | AppServer> = [];
afterEach(async () => {
  for (const item of open.splice(0)) await ('stop' in item ? item.stop() : item.close());
});

async function signInToShifts(h: SsoHarness): Promise<{ sid: string }> {
  h.signIn();
  const config = await h.relyingParty('shifts');
  const request = await codeRequest(config);
  const landed = await new Browser().navigate(request.url, h.origin);
  const tokens = await client.authorizationCodeGrant(config, new URL(landed.url), { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
  return { sid: String(tokens.claims()!.sid) };
}

/** OpenID Connect Back-Channel Logout 1.0 §2.6, as the app checks it. */
async function validateLogoutToken(h: SsoHarness, token: string) {
  const jwks = createRemoteJWKSet(new URL(`${h.issuer}/jwks.json`));
  const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: h.issuer, audience: 'shifts', typ: 'logout+jwt', maxTokenAge: '2 minutes' });
  expect(protectedHeader.alg).toBe('RS256');
  return payload;
}

describe('back-channel logout at sign-out', () => {
  it('sends each app that registered for it a logout token it can validate per the spec', async () => {
    const app = new AppServer(await AppServer.freePort());
    await app.start();
    const h = await openSso({ settings: settingsWith([], app.uri) });
    open.push(app, h);
    const { sid } = await signInToShifts(h);

    await h.signOut();

    expect(app.tokens).toHaveLength(1);
    const claims = await validateLogoutToken(h, app.tokens[0]!);
    expect(claims.events).toEqual({ 'http://schemas.openid.net/event/backchannel-logout': {} });
    expect(claims).toMatchObject({ sub: 'u-alex', sid });
    expect(claims.jti).toBeTruthy();
    expect(claims).not.toHaveProperty('nonce');
    expect(h.sso.owedLogouts()).toBe(0);
  });

  it('keeps the logout owed while the app cannot be reached, and delivers it when it can', async () => {
    const app = new AppServer(await AppServer.freePort());
    const h = await openSso({ settings: settingsWith([], app.uri) });
    open.push(app, h);
    const { sid } = await signInToShifts(h);

    await h.signOut();
    expect(app.tokens).toHaveLength(0);
    expect(h.sso.owedLogouts()).toBe(1);

    await app.start();
    h.clock.advance(30_000);
    await h.sso.deliverLogouts();
    expect(app.tokens).toHaveLength(1);
    expect(await validateLogoutToken(h, app.tokens[0]!)).toMatchObject({ sub: 'u-alex', sid });
    expect(h.sso.owedLogouts()).toBe(0);
  });

  it('still owes the logout after a restart, and delivers it once the kiosk is back', async () => {
    const app = new AppServer(await AppServer.freePort());
    const dir = tempDir();
    const secrets = new MemorySecretStore();
    const settings = settingsWith([], app.uri);
    const first = await openSso({ dataDir: dir.dir, secrets, settings });
    open.push(app, { close: () => Promise.resolve(dir.remove()) });
    await signInToShifts(first);
    await first.signOut();
    await first.close();

    await app.start();
    first.clock.advance(30_000);
    const second = await openSso({ dataDir: dir.dir, secrets, settings, clock: first.clock });
    open.unshift(second);
    await second.sso.deliverLogouts();
    expect(app.tokens).toHaveLength(1);
    await validateLogoutToken(second, app.tokens[0]!);
  });

  it('sends nothing to apps that never signed in during the session', async () => {
    const app = new AppServer(await AppServer.freePort());
    await app.start();
    const h = await openSso({ settings: settingsWith([], app.uri) });
    open.push(app, h);
    h.signIn();
    await h.signOut();
    expect(app.tokens).toHaveLength(0);
    expect(h.sso.owedLogouts()).toBe(0);
  });
});
