import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import { Browser, codeRequest, openSso, SPA_CALLBACK, type SsoHarness } from './sso-harness';

let h: SsoHarness;
beforeEach(async () => {
  h = await openSso();
  h.signIn();
});
afterEach(async () => {
  await h.close();
});

/** The authorization request as an attacker would shape it, by hand. */
function authorize(params: Record<string, string>): URL {
  const url = new URL(`${h.issuer}/auth`);
  for (const [name, value] of Object.entries({ response_type: 'code', scope: 'openid', state: 'st', nonce: 'nn', ...params })) url.searchParams.set(name, value);
  return url;
}

describe('single sign-on refuses hostile requests', () => {
  it('refuses a client the policy does not list, on the provider’s own page, redirecting nowhere', async () => {
    const result = await new Browser().navigate(authorize({ client_id: 'evil', redirect_uri: 'https://evil.example/cb' }), h.origin);
    expect(result.status).toBe(400);
    expect(result.url.startsWith(h.issuer)).toBe(true);
    expect(result.body).toContain('invalid_client');
  });

  it('refuses a redirect URI the app did not register, without redirecting to it', async () => {
    const result = await new Browser().navigate(
      authorize({ client_id: 'shifts', redirect_uri: 'https://evil.example/cb', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' }),
      h.origin,
    );
    expect(result.status).toBe(400);
    expect(result.url.startsWith(h.issuer)).toBe(true);
    expect(result.body).toContain('redirect_uri did not match');
  });

  it('refuses a code request without PKCE, and one with the plain method', async () => {
    const without = await new Browser().navigate(authorize({ client_id: 'shifts', redirect_uri: SPA_CALLBACK }), h.origin);
    expect(new URL(without.url).searchParams.get('error')).toBe('invalid_request');
    expect(new URL(without.url).searchParams.get('error_description')).toMatch(/PKCE/);
    const plain = await new Browser().navigate(
      authorize({ client_id: 'shifts', redirect_uri: SPA_CALLBACK, code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' }),
      h.origin,
    );
    expect(new URL(plain.url).searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses a replayed code, and revokes what the first exchange issued', async () => {
    const config = await h.relyingParty('shifts');
    const request = await codeRequest(config);
    const landed = await new Browser().navigate(request.url, h.origin);
    const checks = { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce };
    const tokens = await client.authorizationCodeGrant(config, new URL(landed.url), checks);
    await expect(client.authorizationCodeGrant(config, new URL(landed.url), checks)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(client.fetchUserInfo(config, tokens.access_token, 'u-alex')).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a code exchanged with the wrong PKCE verifier', async () => {
    const config = await h.relyingParty('shifts');
    const request = await codeRequest(config);
    const landed = await new Browser().navigate(request.url, h.origin);
    await expect(
      client.authorizationCodeGrant(config, new URL(landed.url), { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: request.state }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a scope the app’s registration does not allow', async () => {
    const config = await h.relyingParty('shifts');
    const request = await codeRequest(config, { scope: 'openid phone' });
    const result = await new Browser().navigate(request.url, h.origin);
    expect(new URL(result.url).searchParams.get('error')).toBe('invalid_scope');
  });

  it('refuses a response type the app is not registered for', async () => {
    const result = await new Browser().navigate(
      authorize({ client_id: 'hr', response_type: 'code', redirect_uri: 'https://hr.contoso.example/oidc/callback', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' }),
      h.origin,
    );
    expect(new URL(result.url).searchParams.get('error')).toBe('invalid_request');
    expect(new URL(result.url).searchParams.get('error_description')).toMatch(/response_type is not allowed/);
  });

  it('gives no refresh token even when an app asks for offline access', async () => {
    const config = await h.relyingParty('shifts');
    const request = await codeRequest(config, { scope: 'openid offline_access', prompt: 'consent' });
    const result = await new Browser().navigate(request.url, h.origin);
    // offline_access is not a scope the kiosk knows: it is dropped, and the app signs in without it.
    expect(new URL(result.url).searchParams.get('code')).toBeTruthy();
    const tokens = await client.authorizationCodeGrant(config, new URL(result.url), { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.scope?.split(' ')).not.toContain('offline_access');
  });
});
