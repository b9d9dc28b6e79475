import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { SecretStore } from '../secrets/secret-store';

/** The keychain entry holding this kiosk's ID token signing key (a private JWK). */
export const SSO_SIGNING_KEY = 'sso-signing-key';

/**
 * RS256: OpenID Connect Core §15.1 makes it the one algorithm every relying party must
 * accept, so any app library verifies these tokens without configuration.
 */
export const SSO_SIGNING_ALG = 'RS256';

/**
 * This kiosk's own signing key, made on first use and kept in the keychain. Each kiosk has
 * its own, so the organisation removes a stolen kiosk by republishing the JWKS without it.
 */
export async function loadOrCreateSigningKey(secrets: SecretStore): Promise<JWK> {
  const stored = await secrets.get(SSO_SIGNING_KEY);
  if (stored) {
    const jwk = JSON.parse(stored) as JWK;
    if (jwk.kty === 'RSA' && jwk.d && jwk.kid) return jwk;
  }
  const { privateKey } = await generateKeyPair(SSO_SIGNING_ALG, { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  const key: JWK = { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: SSO_SIGNING_ALG, use: 'sig' };
  await secrets.set(SSO_SIGNING_KEY, JSON.stringify(key));
  return key;
}

/** The public half, safe to print and publish: what `frontline-kiosk --sso-key` shows. */
export function publicJwk(key: JWK): JWK {
  const { kty, n, e, kid, alg, use } = key;
  return { kty, n, e, kid, alg, use };
}
