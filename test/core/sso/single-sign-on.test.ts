import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import { ALEX, Browser, codeRequest, openSso, SPA_CALLBACK, type SsoHarness } from './sso-harness';
import { KIOSK_ACR, KIOSK_ACR_OTP } from '../../../src-main/core/sso/authentication-context';
import { issuerDocuments } from '../../../src-main/core/sso/issuer-documents';

let h: SsoHarness;
beforeEach(async () => {
  h = await openSso();
});
afterEach(async () => {
  await h.close();
});

describe('the kiosk as an OpenID Connect provider, to an independent relying party over HTTP', () => {
  it('publishes discovery whose issuer is the URL it was fetched from, and its signing key', async () => {
    const config = await h.relyingParty('shifts');
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(h.issuer);
    expect(metadata.code_challenge_methods_supported).toContain('S256');
    expect(metadata.grant_types_supported).not.toContain('refresh_token');
    const jwks = (await (await fetch(metadata.jwks_uri!)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toEqual([(await h.sso.publicKey())]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('signs the kiosk worker in to an app with code + PKCE and no page in between', async () => {
    const worker = h.signIn();
    const config = await h.relyingParty('shifts');
    const request = await codeRequest(config);
    const landed = await new Browser().navigate(request.url, h.origin);
    expect(landed.url.startsWith(SPA_CALLBACK)).toBe(true);

    const tokens = await client.authorizationCodeGrant(config, new URL(landed.url), {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: h.issuer, aud: 'shifts', sub: 'u-alex', name: 'Alex Rivera', groups: ['grp-store'], amr: ['sms'], acr: KIOSK_ACR });
    expect(claims.auth_time).toBe(Math.floor(worker.startedAt / 1000));
    expect(claims).not.toHaveProperty('phone_number');
    expect(tokens.refresh_token).toBeUndefined();

    const userinfo = await client.fetchUserInfo(config, tokens.access_token, 'u-alex');
    expect(userinfo).toMatchObject({ sub: 'u-alex', name: 'Alex Rivera' });
  });

  it('keeps no code or token it issued in the database, only their hashes', async () => {
    // Found in review: oidc-provider hands the adapter each opaque token's value as its id
    // (and as the payload's jti); the rows held live codes and access tokens in clear.
    h.signIn();
    const config = await h.relyingParty('shifts');
    const browser = new Browser();
    const first = await codeRequest(config);
    const landed = await browser.navigate(first.url, h.origin);
    const tokens = await client.authorizationCodeGrant(config, new URL(landed.url), { pkceCodeVerifier: first.verifier, expectedState: first.state, expectedNonce: first.nonce });
    const second = await codeRequest(config);
    const unused = new URL((await browser.navigate(second.url, h.origin)).url).searchParams.get('code')!;
    const issued = { usedCode: new URL(landed.url).searchParams.get('code')!, unusedCode: unused, accessToken: tokens.access_token };
    const rows = JSON.stringify(h.store.db.prepare('SELECT * FROM oidc_records').all());
    expect(Object.entries(issued).filter(([, value]) => rows.includes(value)).map(([name]) => name)).toEqual([]);
    // …and still works from them.
    expect(await client.fetchUserInfo(config, tokens.access_token, 'u-alex')).toMatchObject({ sub: 'u-alex' });
  });

  it.each([
    [['pin'] as const, KIOSK_ACR],
    [['otp'] as const, KIOSK_ACR_OTP],
    [['sms', 'otp'] as const, KIOSK_ACR_OTP],
  ])('tells the app how the worker proved who they are, from the session: amr %j', async (amr, acr) => {
    h.signIn(3600, amr);
    const config = await h.relyingParty('shifts');
    const request = await codeRequest(config);
    const landed = await new Browser().navigate(request.url, h.origin);
    const tokens = await client.authorizationCodeGrant(config, new URL(landed.url), { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    expect(tokens.claims()).toMatchObject({ amr: [...amr], acr });
  });

  it('issues ID tokens that end no later than the kiosk session', async () => {
    h.signIn(600);
    const config = await h.relyingParty('shifts');
    const request = await codeRequest(config);
    const landed = await new Browser().navigate(request.url, h.origin);
    const tokens = await client.authorizationCodeGrant(config, new URL(landed.url), { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    const claims = tokens.claims()!;
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(600);
    expect(tokens.expires_in).toBeLessThanOrEqual(600);
  });

  it('refuses with login_required, and shows no page, when nobody is signed in at the kiosk', async () => {
    const config = await h.relyingParty('shifts');
    const request = await codeRequest(config);
    const landed = await new Browser().navigate(request.url, h.origin);
    const back = new URL(landed.url);
    expect(back.origin + back.pathname).toBe(SPA_CALLBACK);
    expect(back.searchParams.get('error')).toBe('login_required');
    expect(back.searchParams.get('state')).toBe(request.state);
  });

  it('answers prompt=none from an app already signed in, and refuses it once the kiosk session ends', async () => {
    h.signIn();
    const config = await h.relyingParty('shifts');
    const browser = new Browser();
    await browser.navigate((await codeRequest(config)).url, h.origin);

    const silent = await codeRequest(config, { prompt: 'none' });
    const renewed = await browser.navigate(silent.url, h.origin);
    expect(new URL(renewed.url).searchParams.get('code')).toBeTruthy();

    await h.signOut();
    const after = await codeRequest(config, { prompt: 'none' });
    const refused = await browser.navigate(after.url, h.origin);
    expect(new URL(refused.url).searchParams.get('error')).toBe('login_required');
  });

  it('gives prompt=none login_required when nobody is signed in', async () => {
    const config = await h.relyingParty('shifts');
    const request = await codeRequest(config, { prompt: 'none' });
    const refused = await new Browser().navigate(request.url, h.origin);
    expect(new URL(refused.url).searchParams.get('error')).toBe('login_required');
  });

  it('does not carry one worker’s provider session into the next worker’s kiosk session', async () => {
    h.signIn();
    const config = await h.relyingParty('shifts');
    const browser = new Browser();
    await browser.navigate((await codeRequest(config)).url, h.origin);
    await h.signOut();
    h.clock.advance(5000);
    h.signIn();
    const request = await codeRequest(config, { prompt: 'none' });
    const refused = await browser.navigate(request.url, h.origin);
    expect(new URL(refused.url).searchParams.get('error')).toBe('login_required');
  });

  it('posts an ID token to a server-rendered app (form_post) that verifies it against the JWKS', async () => {
    h.signIn();
    const config = await h.relyingParty('hr');
    client.useIdTokenResponseType(config);
    const nonce = client.randomNonce();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: 'https://hr.contoso.example/oidc/callback',
      scope: 'openid profile phone',
      response_mode: 'form_post',
      nonce,
      state,
    });
    const page = await new Browser().navigate(url, h.origin);
    expect(page.status).toBe(200);
    const action = /<form[^>]+action="([^"]+)"/.exec(page.body)?.[1];
    expect(action).toBe('https://hr.contoso.example/oidc/callback');
    const fields = Object.fromEntries([...page.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    const posted = new Request(action!, { method: 'POST', body: new URLSearchParams(fields) });
    const claims = await client.implicitAuthentication(config, posted, nonce, { expectedState: state });
    expect(claims).toMatchObject({ sub: ALEX.userId, name: 'Alex Rivera', phone_number: '+12065550100', nonce });
  });

  it('revokes every token at sign-out: userinfo refuses the access token and an unused code is dead', async () => {
    h.signIn();
    const config = await h.relyingParty('shifts');
    const first = await codeRequest(config);
    const browser = new Browser();
    const landed = await browser.navigate(first.url, h.origin);
    const tokens = await client.authorizationCodeGrant(config, new URL(landed.url), { pkceCodeVerifier: first.verifier, expectedState: first.state, expectedNonce: first.nonce });
    const second = await codeRequest(config);
    const unused = await browser.navigate(second.url, h.origin);

    await h.signOut();
    expect(h.store.oidc.count()).toBe(0);
    await expect(client.fetchUserInfo(config, tokens.access_token, 'u-alex')).rejects.toMatchObject({
      status: 401,
      cause: [{ parameters: { error: 'invalid_token' } }],
    });
    await expect(
      client.authorizationCodeGrant(config, new URL(unused.url), { pkceCodeVerifier: second.verifier, expectedState: second.state, expectedNonce: second.nonce }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});

describe('what the organisation publishes at the issuer', () => {
  it('matches the discovery the kiosk’s provider serves, with every kiosk’s public key', async () => {
    const served = (await (await fetch(`${h.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    const other = { ...(await h.sso.publicKey()), kid: 'another-kiosk' };
    const published = issuerDocuments(h.issuer.replace('http://', 'https://'), [(await h.sso.publicKey()), other]);
    const asServed = JSON.parse(JSON.stringify(published.openidConfiguration).replaceAll('https://', 'http://')) as Record<string, unknown>;
    const unordered = (value: unknown) => (Array.isArray(value) ? [...(value as string[])].sort() : value);
    for (const [field, value] of Object.entries(asServed)) expect(unordered(served[field]), field).toEqual(unordered(value));
    expect(published.jwks.keys.map((key) => key.kid)).toEqual([(await h.sso.publicKey()).kid, 'another-kiosk']);
  });

  it('refuses a private key, an http issuer, and a key listed twice', async () => {
    const key = (await h.sso.publicKey());
    expect(() => issuerDocuments('https://sso.contoso.example', [{ ...key, d: 'secret' }])).toThrow(/private part/);
    expect(() => issuerDocuments('http://sso.contoso.example', [key])).toThrow(/https URL/);
    expect(() => issuerDocuments('https://sso.contoso.example', [key, key])).toThrow(/twice/);
  });
});
