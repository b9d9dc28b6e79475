import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import { Browser, codeRequest, openSso, settingsWith, type SsoHarness } from './sso-harness';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of open.splice(0)) await item.close();
});

async function harness(backchannelLogoutUri?: string): Promise<SsoHarness> {
  const h = await openSso({ settings: settingsWith([], backchannelLogoutUri) });
  open.push(h);
  return h;
}

/** The app's server, answering logout tokens with `status`. */
async function appServer(status: number): Promise<{ uri: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(status).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const app = {
    uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/backchannel-logout`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  open.push(app);
  return app;
}

async function signInToShifts(h: SsoHarness) {
  const config = await h.relyingParty('shifts');
  const request = await codeRequest(config);
  const landed = await new Browser().navigate(request.url, h.origin);
  return { config, request, landed };
}

const events = (h: SsoHarness) => h.audit.query({ limit: 100 }).reverse();

describe('app sign-ins in the audit log', () => {
  it('records the code issued and the tokens issued, with the worker and the app, and no secret at all', async () => {
    const h = await harness();
    h.signIn();
    const { config, request, landed } = await signInToShifts(h);
    const tokens = await client.authorizationCodeGrant(config, new URL(landed.url), { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });

    expect(events(h).map(({ type, outcome, reason, userId, details }) => ({ type, outcome, reason, userId, details }))).toEqual([
      { type: 'sso.signIn', outcome: 'success', reason: 'codeIssued', userId: 'u-alex', details: { clientId: 'shifts', step: 'authorization', responseType: 'code' } },
      { type: 'sso.signIn', outcome: 'success', reason: 'tokensIssued', userId: 'u-alex', details: { clientId: 'shifts', step: 'token' } },
    ]);
    const recorded = JSON.stringify(events(h));
    const code = new URL(landed.url).searchParams.get('code')!;
    for (const secret of [code, tokens.access_token, tokens.id_token!, request.verifier, request.state, request.nonce, String(tokens.claims()!.sid)]) {
      expect(recorded).not.toContain(secret);
    }
  });

  it('records a refusal with its OAuth error when nobody is signed in at the kiosk', async () => {
    const h = await harness();
    await signInToShifts(h);
    expect(events(h)).toEqual([
      expect.objectContaining({ type: 'sso.signIn', outcome: 'failure', reason: 'login_required', userId: null, details: { clientId: 'shifts', step: 'authorization', responseType: 'code' } }),
    ]);
  });

  it('records a replayed code as a refused token request', async () => {
    const h = await harness();
    h.signIn();
    const { config, request, landed } = await signInToShifts(h);
    const checks = { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce };
    await client.authorizationCodeGrant(config, new URL(landed.url), checks);
    await expect(client.authorizationCodeGrant(config, new URL(landed.url), checks)).rejects.toThrow();
    expect(events(h).at(-1)).toMatchObject({ type: 'sso.signIn', outcome: 'failure', reason: 'invalid_grant', details: { clientId: 'shifts', step: 'token' } });
  });

  it('records a back-channel logout delivered to the app', async () => {
    const app = await appServer(200);
    const h = await harness(app.uri);
    h.signIn();
    const { config, request, landed } = await signInToShifts(h);
    await client.authorizationCodeGrant(config, new URL(landed.url), { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    await h.signOut();
    expect(events(h).at(-1)).toMatchObject({ type: 'sso.backchannelLogout', outcome: 'success', userId: 'u-alex', details: { clientId: 'shifts' } });
  });

  it('records a back-channel logout the app did not take, with how many tries so far', async () => {
    const app = await appServer(503);
    const h = await harness(app.uri);
    h.signIn();
    const { config, request, landed } = await signInToShifts(h);
    await client.authorizationCodeGrant(config, new URL(landed.url), { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    await h.signOut();
    expect(events(h).at(-1)).toMatchObject({ type: 'sso.backchannelLogout', outcome: 'failure', reason: 'notDelivered', userId: 'u-alex', details: { clientId: 'shifts', attempts: 1 } });
    expect(h.sso.owedLogouts()).toBe(1);
  });
});
