import * as oidc from 'openid-client';

/**
 * The demo apps as real relying parties of the kiosk's OpenID Connect provider, through an
 * independent client library (openid-client): authorization code + PKCE, state and nonce,
 * the ID token's signature checked against the provider's JWKS. The kiosk serves these
 * pages on the issuer's origin, at `<origin>/oidc`. Nothing here is shared with the kiosk's
 * own screen; the page knows the kiosk only as an issuer.
 */

const clientId = document.documentElement.dataset.clientId ?? '';
const issuer = new URL(`${location.origin}/oidc`);
const redirectUri = `${location.origin}${location.pathname}`;
const pendingKey = `oidc-pending:${clientId}`;

const status = document.getElementById('sso-status')!;
const check = document.getElementById('sso-check') as HTMLButtonElement;
const retry = document.getElementById('sso-retry') as HTMLButtonElement;

interface Pending {
  verifier: string;
  state: string;
  nonce: string;
}

let accessToken: string | null = null;
let subject = '';

function show(text: string, signedIn: boolean): void {
  status.textContent = text;
  check.hidden = !signedIn;
  retry.hidden = signedIn;
}

async function configuration(): Promise<oidc.Configuration> {
  const config = await oidc.discovery(issuer, clientId, undefined, oidc.None(), {
    // The preview host serves the kiosk over loopback http; a real issuer is https.
    execute: issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
  });
  // Check the ID token's signature against the JWKS, not only its claims.
  oidc.enableNonRepudiationChecks(config);
  return config;
}

async function signIn(config: oidc.Configuration): Promise<void> {
  const pending: Pending = { verifier: oidc.randomPKCECodeVerifier(), state: oidc.randomState(), nonce: oidc.randomNonce() };
  sessionStorage.setItem(pendingKey, JSON.stringify(pending));
  location.assign(
    oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    }).href,
  );
}

async function finishSignIn(config: oidc.Configuration, returned: URL): Promise<void> {
  const stored = sessionStorage.getItem(pendingKey);
  sessionStorage.removeItem(pendingKey);
  if (!stored) return signIn(config);
  const pending = JSON.parse(stored) as Pending;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, returned, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    accessToken = tokens.access_token;
    subject = claims.sub;
    show(`Signed in as ${typeof claims.name === 'string' ? claims.name : claims.sub}`, true);
  } catch (error) {
    accessToken = null;
    const code = error instanceof oidc.AuthorizationResponseError ? error.error : 'error';
    show(code === 'login_required' ? 'Not signed in: sign in at the kiosk first.' : 'Could not sign you in.', false);
  }
}

/** Asks the provider who the token belongs to: after a kiosk sign-out it no longer answers. */
async function checkSignIn(config: oidc.Configuration): Promise<void> {
  if (!accessToken) return;
  try {
    const info = await oidc.fetchUserInfo(config, accessToken, subject);
    show(`Signed in as ${typeof info.name === 'string' ? info.name : info.sub}`, true);
  } catch {
    accessToken = null;
    show('Your kiosk session has ended: you are signed out.', false);
  }
}

async function main(): Promise<void> {
  const config = await configuration();
  check.addEventListener('click', () => void checkSignIn(config));
  retry.addEventListener('click', () => void signIn(config));
  const here = new URL(location.href);
  if (here.searchParams.has('code') || here.searchParams.has('error')) {
    // The code and state leave the address bar before anything else happens.
    history.replaceState(null, '', redirectUri);
    return finishSignIn(config, here);
  }
  return signIn(config);
}

main().catch(() => show('Single sign-on is not available.', false));
