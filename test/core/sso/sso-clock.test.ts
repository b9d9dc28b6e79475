import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import { Browser, codeRequest, openSso, type SsoHarness } from './sso-harness';

let h: SsoHarness;
beforeEach(async () => {
  h = await openSso();
});
afterEach(async () => {
  await h.close();
});

async function codeFor() {
  const config = await h.relyingParty('shifts');
  const request = await codeRequest(config);
  const landed = await new Browser().navigate(request.url, h.origin);
  const exchange = () => client.authorizationCodeGrant(config, new URL(landed.url), { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
  return { config, exchange };
}

describe('single sign-on keeps the kiosk’s time', () => {
  it('lets a code die after its minute by the kiosk’s clock, with no waiting', async () => {
    h.signIn();
    const { exchange } = await codeFor();
    h.clock.advance(61_000);
    await expect(exchange()).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('ends the ID token’s life with the kiosk session, as the kiosk counts it', async () => {
    const worker = h.signIn(3600);
    h.clock.advance(3000 * 1000);
    const { exchange } = await codeFor();
    const claims = (await exchange()).claims()!;
    // 600 s of the session are left by the kiosk's clock, wherever the wall clock is.
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(600);
    expect(claims.auth_time).toBe(Math.floor(worker.startedAt / 1000));
  });

  it('forgets an access token when its lifetime has passed by the kiosk’s clock', async () => {
    h.signIn(600);
    const { config, exchange } = await codeFor();
    const tokens = await exchange();
    expect(await client.fetchUserInfo(config, tokens.access_token, 'u-alex')).toMatchObject({ sub: 'u-alex' });
    h.clock.advance(601_000);
    await expect(client.fetchUserInfo(config, tokens.access_token, 'u-alex')).rejects.toThrow();
  });
});
