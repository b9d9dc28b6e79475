import { afterEach, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { runKioskCli } from '../../../src-main/cli/kiosk-cli';
import { cryptoRandom } from '../../../src-main/core/base/random';
import { MemorySecretStore } from '../../../src-main/core/secrets/memory-secret-store';
import { RETIRED_KEY_PUBLISHED_MS, SSO_RETIRED_SIGNING_KEYS } from '../../../src-main/core/sso/signing-key';
import { FakeClock, tempDir } from '../../fakes';
import { Browser, codeRequest, openSso, type SsoHarness } from './sso-harness';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** One kiosk: its keychain, data folder and clock outlive a restart of its provider. */
function kiosk() {
  const secrets = new MemorySecretStore();
  const dir = tempDir();
  const clock = new FakeClock(Date.now());
  cleanup.push(() => dir.remove());
  return {
    secrets,
    clock,
    async start(): Promise<SsoHarness> {
      const h = await openSso({ dataDir: dir.dir, secrets, clock });
      // A test may stop it itself (a restart); the clean-up closes whatever is still open.
      let closed: Promise<void> | null = null;
      const close = h.close.bind(h);
      h.close = () => (closed ??= close());
      cleanup.push(() => h.close());
      return h;
    },
    /** `frontline-kiosk --rotate-sso-key`, as IT runs it. */
    async rotate(): Promise<{ code: number; jwk: { kid: string; d?: string }; message: string }> {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runKioskCli(['--rotate-sso-key'], { readStdin: async () => '', out: (line) => out.push(line), err: (line) => err.push(line) }, { secrets, random: cryptoRandom, clock, env: {} });
      return { code, jwk: JSON.parse(out.join('\n')) as { kid: string }, message: err.join('\n') };
    },
  };
}

/** An app signs the kiosk's worker in with an independent relying party that checks the ID token's signature. */
async function idTokenFrom(h: SsoHarness): Promise<string> {
  h.signIn();
  const config = await h.relyingParty('shifts');
  client.enableNonRepudiationChecks(config);
  const request = await codeRequest(config);
  const landed = await new Browser().navigate(request.url, h.origin);
  const tokens = await client.authorizationCodeGrant(config, new URL(landed.url), { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
  return tokens.id_token!;
}

/** What the kiosk publishes now, as an app's server would fetch it. */
async function jwksOf(h: SsoHarness): Promise<JSONWebKeySet> {
  const metadata = (await h.relyingParty('shifts')).serverMetadata();
  return (await (await fetch(metadata.jwks_uri!)).json()) as JSONWebKeySet;
}

const verifies = async (token: string, jwks: JSONWebKeySet, issuer: string) =>
  jwtVerify(token, createLocalJWKSet(jwks), { issuer, audience: 'shifts' }).then(() => true, () => false);

describe('rotating the single sign-on key (frontline-kiosk --rotate-sso-key)', () => {
  it('prints the new public key only, and keeps the previous key in the keychain', async () => {
    const k = kiosk();
    const before = await (await k.start()).sso.publicKey();
    const rotated = await k.rotate();
    expect(rotated.code).toBe(0);
    expect(rotated.jwk.kid).not.toBe(before.kid);
    expect(rotated.jwk).not.toHaveProperty('d');
    expect(rotated.message).toContain(before.kid);
    expect(rotated.message).toContain('restart the kiosk');
    expect(await k.secrets.get(SSO_RETIRED_SIGNING_KEYS)).toContain(before.kid!);
  });

  it('still verifies a token signed before the rotation, and signs new tokens with the new kid', async () => {
    const k = kiosk();
    const first = await k.start();
    const oldToken = await idTokenFrom(first);
    const oldKid = decodeProtectedHeader(oldToken).kid;
    await first.close();

    const { jwk } = await k.rotate();
    const restarted = await k.start();
    const jwks = await jwksOf(restarted);
    expect(jwks.keys.map((key) => key.kid)).toEqual([jwk.kid, oldKid]);
    for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
    // Each start here listens on a new port, so the old token names the first start's issuer.
    expect(await verifies(oldToken, jwks, first.issuer)).toBe(true);

    const newToken = await idTokenFrom(restarted);
    expect(decodeProtectedHeader(newToken).kid).toBe(jwk.kid);
    expect(await verifies(newToken, jwks, restarted.issuer)).toBe(true);
  });

  it('drops the previous key once the longest token has expired, while the kiosk runs on', async () => {
    const k = kiosk();
    const first = await k.start();
    const oldToken = await idTokenFrom(first);
    await first.close();
    const { jwk } = await k.rotate();
    const restarted = await k.start();
    expect(await verifies(oldToken, await jwksOf(restarted), first.issuer)).toBe(true);

    k.clock.advance(RETIRED_KEY_PUBLISHED_MS - 1);
    expect((await jwksOf(restarted)).keys).toHaveLength(2);
    k.clock.advance(1);
    await expect.poll(async () => (await jwksOf(restarted)).keys.map((key) => key.kid)).toEqual([jwk.kid]);
    expect(await verifies(oldToken, await jwksOf(restarted), first.issuer)).toBe(false);
    expect(await k.secrets.get(SSO_RETIRED_SIGNING_KEYS)).toBeNull();
    // Sign-in goes on, with the new key.
    expect(decodeProtectedHeader(await idTokenFrom(restarted)).kid).toBe(jwk.kid);
  });

  it('counts the previous key’s time from the restart that stops it signing, not from the command', async () => {
    const k = kiosk();
    await (await k.start()).close();
    const { jwk } = await k.rotate();
    k.clock.advance(RETIRED_KEY_PUBLISHED_MS * 3);
    const restarted = await k.start();
    expect((await jwksOf(restarted)).keys.map((key) => key.kid)).toHaveLength(2);
    expect((await jwksOf(restarted)).keys[0]!.kid).toBe(jwk.kid);
  });

  it('keeps every key retired within the hour when rotated twice', async () => {
    const k = kiosk();
    const first = await (await k.start()).sso.publicKey();
    const second = (await k.rotate()).jwk;
    await (await k.start()).close();
    const third = (await k.rotate()).jwk;
    const restarted = await k.start();
    expect((await jwksOf(restarted)).keys.map((key) => key.kid)).toEqual([third.kid, second.kid, first.kid]);
  });
});
