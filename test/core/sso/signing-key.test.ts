import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import { KeytarSecretStore } from '../../../src-main/core/secrets/keytar-secret-store';
import { loadSigningKeys, rotateSigningKey, SSO_RETIRED_SIGNING_KEYS, SSO_SIGNING_KEY } from '../../../src-main/core/sso/signing-key';
import { SSO_COOKIE_KEY } from '../../../src-main/core/sso/single-sign-on';
import { tempDir } from '../../fakes';
import { Browser, codeRequest, openSso } from './sso-harness';

// The real OS keychain: gnome-keyring over D-Bus on Linux.
const service = `frontline-kiosk-test-${randomBytes(4).toString('hex')}`;
const keychain = new KeytarSecretStore(service);

afterAll(async () => {
  await keychain.delete(SSO_SIGNING_KEY);
  await keychain.delete(SSO_COOKIE_KEY);
  await keychain.delete(SSO_RETIRED_SIGNING_KEYS);
});

describe('the single sign-on signing key', () => {
  it('is made once per kiosk, kept in the keychain, and signs the tokens apps verify after a restart', async () => {
    const dir = tempDir();
    try {
      const first = await openSso({ dataDir: dir.dir, secrets: keychain });
      const published = (await first.sso.publicKey());
      await first.close();
      expect(JSON.parse((await keychain.get(SSO_SIGNING_KEY))!)).toMatchObject({ kid: published.kid, d: expect.any(String) });

      const again = await openSso({ dataDir: dir.dir, secrets: new KeytarSecretStore(service) });
      try {
        expect((await again.sso.publicKey())).toEqual(published);
        again.signIn();
        const config = await again.relyingParty('shifts');
        const request = await codeRequest(config);
        const landed = await new Browser().navigate(request.url, again.origin);
        const tokens = await client.authorizationCodeGrant(config, new URL(landed.url), { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
        expect(tokens.claims()!.sub).toBe('u-alex');
        expect(JSON.parse(Buffer.from(tokens.id_token!.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: 'RS256', kid: published.kid });
      } finally {
        await again.close();
      }
    } finally {
      dir.remove();
    }
  });

  it('publishes only the public half', async () => {
    const h = await openSso();
    try {
      const key = (await h.sso.publicKey());
      expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    } finally {
      await h.close();
    }
  });

  it('keeps the retired key beside the new one in the keychain after a rotation, for verifying only', async () => {
    const before = await loadSigningKeys(keychain, 0);
    const { current, retired } = await rotateSigningKey(keychain, 0);
    expect(retired.kid).toBe(before.keys[0]!.kid);
    const after = await loadSigningKeys(new KeytarSecretStore(service), 1000);
    expect(after.keys.map((key) => [key.kid, key.key_ops])).toEqual([
      [current.kid, undefined],
      [retired.kid, ['verify']],
    ]);
    expect(after.nextExpiry).toBeGreaterThan(1000);
  });
});
