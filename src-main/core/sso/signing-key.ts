import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { SecretStore } from '../secrets/secret-store';

/** The keychain entry holding this kiosk's ID token signing key (a private JWK). */
export const SSO_SIGNING_KEY = 'sso-signing-key';
/** The keys a rotation retired, each with when: published (verify only) until their last token has expired. */
export const SSO_RETIRED_SIGNING_KEYS = 'sso-signing-key-retired';

/** The longest any token this kiosk signs lives: ID and access tokens (logout tokens live two minutes). */
export const LONGEST_TOKEN_SECONDS = 3600;
/** A relying party's clock may run a little behind the kiosk's: a retired key stays published this much longer. */
const CLOCK_SKEW_MARGIN_MS = 5 * 60_000;
/** How long a retired key stays published after a rotation. */
export const RETIRED_KEY_PUBLISHED_MS = LONGEST_TOKEN_SECONDS * 1000 + CLOCK_SKEW_MARGIN_MS;

interface RetiredKey {
  key: JWK;
  /** When it stopped signing: the provider's first start after the rotation (null until then). */
  retiredAt: number | null;
}

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
  const key = await newSigningKey();
  await secrets.set(SSO_SIGNING_KEY, JSON.stringify(key));
  return key;
}

async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(SSO_SIGNING_ALG, { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: SSO_SIGNING_ALG, use: 'sig' };
}

export interface Rotation {
  /** The new key, which signs from the kiosk's next start. */
  current: JWK;
  /** The key it replaced: published beside it until an hour (and a margin) after that start. */
  retired: JWK;
}

/**
 * Makes a new signing key and retires the current one. A running kiosk keeps signing with
 * the key it started with, so the retired key's time starts when the provider next starts
 * (`loadSigningKeys`); from then it stays in the keychain, and in the JWKS the kiosk
 * serves, for verification only, until every token it signed has expired
 * (`RETIRED_KEY_PUBLISHED_MS`), and then it is dropped. The retired list is written before
 * the new key, so a rotation cut short leaves the old key still signing.
 */
export async function rotateSigningKey(secrets: SecretStore, now: number): Promise<Rotation> {
  const retired = await loadOrCreateSigningKey(secrets);
  const current = await newSigningKey();
  const kept = (await retiredKeys(secrets)).filter((entry) => !expired(entry, now) && entry.key.kid !== retired.kid);
  await secrets.set(SSO_RETIRED_SIGNING_KEYS, JSON.stringify([{ key: retired, retiredAt: null }, ...kept] satisfies RetiredKey[]));
  await secrets.set(SSO_SIGNING_KEY, JSON.stringify(current));
  return { current, retired };
}

const expired = (entry: RetiredKey, now: number) => entry.retiredAt !== null && now >= entry.retiredAt + RETIRED_KEY_PUBLISHED_MS;

/**
 * The provider's keys: the current one first, the only one that signs; then the retired
 * ones still within their time, which only verify (`key_ops`, RFC 7517 §4.3) and are
 * published. Retired keys past their time are dropped from the keychain here.
 *
 * @returns the keys, and when the next retired key runs out (null: none left).
 */
export async function loadSigningKeys(secrets: SecretStore, now: number): Promise<{ keys: JWK[]; nextExpiry: number | null }> {
  const current = await loadOrCreateSigningKey(secrets);
  const stored = await retiredKeys(secrets);
  // A key retired while the kiosk ran stopped signing only now.
  const live = stored
    .filter((entry) => !expired(entry, now) && entry.key.kid !== current.kid)
    .map((entry): RetiredKey & { retiredAt: number } => ({ key: entry.key, retiredAt: entry.retiredAt ?? now }));
  if (live.length !== stored.length || stored.some((entry) => entry.retiredAt === null)) {
    if (live.length) await secrets.set(SSO_RETIRED_SIGNING_KEYS, JSON.stringify(live));
    else await secrets.delete(SSO_RETIRED_SIGNING_KEYS);
  }
  const expiries = live.map((entry) => entry.retiredAt + RETIRED_KEY_PUBLISHED_MS);
  return {
    keys: [current, ...live.map(({ key }): JWK => ({ ...key, key_ops: ['verify'] }))],
    nextExpiry: expiries.length ? Math.min(...expiries) : null,
  };
}

async function retiredKeys(secrets: SecretStore): Promise<RetiredKey[]> {
  const stored = await secrets.get(SSO_RETIRED_SIGNING_KEYS);
  if (!stored) return [];
  try {
    const parsed = JSON.parse(stored) as unknown;
    return Array.isArray(parsed)
      ? parsed.filter((entry: RetiredKey) => entry?.key?.kty === 'RSA' && typeof entry.key.d === 'string' && typeof entry.key.kid === 'string' && (entry.retiredAt === null || Number.isFinite(entry.retiredAt)))
      : [];
  } catch {
    return [];
  }
}

/** The public half, safe to print and publish: what `frontline-kiosk --sso-key` shows. */
export function publicJwk(key: JWK): JWK {
  const { kty, n, e, kid, alg, use } = key;
  return { kty, n, e, kid, alg, use };
}
