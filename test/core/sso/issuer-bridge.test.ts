import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import { silentLogger } from '../../../src-main/core/base/log';
import { cryptoRandom } from '../../../src-main/core/base/random';
import { MemorySecretStore } from '../../../src-main/core/secrets/memory-secret-store';
import { DEMO_SSO_ISSUER, DEMO_SSO_ORIGIN, isIssuerRequest, providerBridge } from '../../../src-main/core/sso/issuer-bridge';
import { SingleSignOn, type SignedInWorker } from '../../../src-main/core/sso/single-sign-on';
import { openKioskStore, type KioskStore } from '../../../src-main/core/store/kiosk-store';
import { FakeClock, tempDir } from '../../fakes';
import { ALEX, Browser, settingsWith } from './sso-harness';

/** The demo's built-in page, as the Electron shell serves it on the demo issuer's origin. */
const PAGE = `${DEMO_SSO_ORIGIN}/apps/shift-schedule.html`;
const demoSettings = settingsWith([
  { id: 'app-shifts', name: 'Shift schedule', page: 'shift-schedule', groupIds: ['all_users'], oidc: { clientId: 'demo-shifts', scopes: ['openid', 'profile'] } },
]);

let temp: ReturnType<typeof tempDir>;
let store: KioskStore;
let sso: SingleSignOn;
let worker: SignedInWorker | null;
/** Every request the app's partition would send to the issuer, answered in memory. */
let issuerFetch: typeof fetch;
let clock: FakeClock;

beforeEach(async () => {
  temp = tempDir();
  store = openKioskStore(temp.dir);
  // Near real time: oidc-provider stamps iat and exp from Date.now() itself (docs/single-sign-on.md, Time).
  clock = new FakeClock(Date.now());
  worker = null;
  sso = new SingleSignOn({
    records: store.oidc,
    outbox: store.logoutOutbox,
    transaction: store.transaction,
    audit: { record: () => undefined },
    secrets: new MemorySecretStore(),
    clock,
    scheduler: clock,
    random: cryptoRandom,
    log: silentLogger,
    settings: () => demoSettings,
    signedIn: () => worker,
  });
  const bridge = providerBridge(await sso.endpoint(DEMO_SSO_ISSUER, DEMO_SSO_ORIGIN));
  issuerFetch = (input, init) => {
    const request = new Request(input, init);
    if (!isIssuerRequest(request.url, DEMO_SSO_ISSUER)) throw new Error(`left the issuer: ${request.url}`);
    return bridge(request);
  };
});
afterEach(() => {
  sso.dispose();
  store.close();
  temp.remove();
});

const relyingParty = () => client.discovery(new URL(DEMO_SSO_ISSUER), 'demo-shifts', undefined, client.None(), { [client.customFetch]: (url, options) => issuerFetch(url, options as RequestInit) });

async function signInToApp(config: client.Configuration) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: PAGE,
    scope: 'openid profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const landed = await new Browser(issuerFetch).navigate(url, DEMO_SSO_ORIGIN);
  return { landed, verifier, state, nonce };
}

describe('which requests from an app partition the kiosk answers itself', () => {
  it('answers the issuer’s origin, and nothing else', () => {
    expect(isIssuerRequest(`${DEMO_SSO_ISSUER}/auth?client_id=x`, DEMO_SSO_ISSUER)).toBe(true);
    expect(isIssuerRequest('https://kiosk-sso.contoso.example/token', 'https://kiosk-sso.contoso.example')).toBe(true);
    for (const elsewhere of [
      'https://shifts.contoso.example/callback',
      'http://sso.demo.frontline-kiosk.invalid/oidc/auth',
      'https://sso.demo.frontline-kiosk.invalid:8443/oidc/auth',
      'https://sso.demo.frontline-kiosk.invalid.attacker.example/oidc/auth',
      'https://evil.example/?https://sso.demo.frontline-kiosk.invalid/oidc',
      'not a url',
    ]) {
      expect(isIssuerRequest(elsewhere, DEMO_SSO_ISSUER), elsewhere).toBe(false);
    }
  });
});

describe('the provider answered in memory, as Electron hands the requests over', () => {
  it('publishes discovery at the demo issuer, over https, with its endpoints on the same origin', async () => {
    const metadata = (await relyingParty()).serverMetadata();
    expect(metadata.issuer).toBe(DEMO_SSO_ISSUER);
    for (const endpoint of [metadata.authorization_endpoint, metadata.token_endpoint, metadata.jwks_uri, metadata.userinfo_endpoint]) {
      expect(new URL(endpoint!).origin).toBe(DEMO_SSO_ORIGIN);
    }
  });

  it('signs the worker in to the demo page with code + PKCE, through Secure cookies, and verifies the ID token', async () => {
    worker = { ...ALEX, startedAt: clock.now(), endsAt: clock.now() + 3_600_000 };
    const config = await relyingParty();
    client.enableNonRepudiationChecks(config);
    const { landed, verifier, state, nonce } = await signInToApp(config);
    expect(landed.url.startsWith(`${PAGE}?`)).toBe(true);
    const tokens = await client.authorizationCodeGrant(config, new URL(landed.url), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    expect(tokens.claims()).toMatchObject({ iss: DEMO_SSO_ISSUER, aud: 'demo-shifts', sub: 'u-alex', name: 'Alex Rivera' });
    expect(await client.fetchUserInfo(config, tokens.access_token, 'u-alex')).toMatchObject({ name: 'Alex Rivera' });
  });

  it('marks the provider’s cookies Secure, as an https issuer must', async () => {
    worker = { ...ALEX, startedAt: clock.now(), endsAt: clock.now() + 3_600_000 };
    const config = await relyingParty();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: PAGE, scope: 'openid', code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()), code_challenge_method: 'S256' });
    const response = await issuerFetch(url, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const cookies = response.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) expect(cookie).toMatch(/;\s*secure/i);
  });

  it('refuses with login_required at the page once nobody is signed in, and the old token no longer works', async () => {
    worker = { ...ALEX, startedAt: clock.now(), endsAt: clock.now() + 3_600_000 };
    const config = await relyingParty();
    const first = await signInToApp(config);
    const tokens = await client.authorizationCodeGrant(config, new URL(first.landed.url), { pkceCodeVerifier: first.verifier, expectedState: first.state, expectedNonce: first.nonce });
    worker = null;
    sso.sessionEnded();
    await expect(client.fetchUserInfo(config, tokens.access_token, 'u-alex')).rejects.toThrow();
    const again = await signInToApp(config);
    expect(new URL(again.landed.url).searchParams.get('error')).toBe('login_required');
  });

  it('passes a form post’s body through, and refuses a huge one unread', async () => {
    const metadata = (await relyingParty()).serverMetadata();
    const refused = await issuerFetch(metadata.token_endpoint!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=authorization_code&code=nope&client_id=demo-shifts&code_verifier=x&redirect_uri=' + encodeURIComponent(PAGE) });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe('invalid_grant');
    const huge = await issuerFetch(metadata.token_endpoint!, { method: 'POST', body: 'x'.repeat(200_000) });
    expect(huge.status).toBe(413);
  });
});
