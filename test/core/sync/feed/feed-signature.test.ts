import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as edSign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JWK } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyncRefusedError } from '../../../../src-main/core/sync/directory-source';
import { readPinnedKey, verifyFeedSignature } from '../../../../src-main/core/sync/feed/feed-signature';
import { tempDir } from '../../../fakes';
import { sign, snapshotFeed, trustedKey } from './feed-fixtures';

async function refusalOf(verifying: Promise<unknown>): Promise<SyncRefusedError> {
  const error: unknown = await verifying.then(
    () => null,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(SyncRefusedError);
  return error as SyncRefusedError;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** A detached JWS (RFC 7515 Appendix F) with `header`, signed by node:crypto directly. */
function detached(bytes: Buffer, header: Record<string, unknown>, privateKey = trustedKey.privateKey): string {
  const protectedHeader = b64url(JSON.stringify(header));
  const signature = edSign(null, Buffer.from(`${protectedHeader}.${b64url(bytes)}`), privateKey);
  return `${protectedHeader}..${b64url(signature)}`;
}

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir('feed-signature-');
});
afterEach(() => temp.remove());

describe('a feed signed with another tool than jose', () => {
  it('verifies a detached JWS made with OpenSSL (genpkey ed25519, pkeyutl -sign -rawin)', async () => {
    const feed = Buffer.from(snapshotFeed('openssl-1'));
    const keyFile = path.join(temp.dir, 'k.pem');
    execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', keyFile]);
    const publicPem = execFileSync('openssl', ['pkey', '-in', keyFile, '-pubout']).toString();
    const protectedHeader = b64url(JSON.stringify({ alg: 'EdDSA', kid: 'store-feed-2026' }));
    const inputFile = path.join(temp.dir, 'signing-input');
    writeFileSync(inputFile, `${protectedHeader}.${b64url(feed)}`);
    const signatureFile = path.join(temp.dir, 'signature.bin');
    execFileSync('openssl', ['pkeyutl', '-sign', '-rawin', '-inkey', keyFile, '-in', inputFile, '-out', signatureFile]);
    const jws = `${protectedHeader}..${b64url(readFileSync(signatureFile))}`;
    const jwk = { ...createPublicKey(publicPem).export({ format: 'jwk' }), kid: 'store-feed-2026' };

    await expect(verifyFeedSignature(feed, jws, [readPinnedKey(jwk)])).resolves.toBeUndefined();
    await expect(verifyFeedSignature(feed, jws, [readPinnedKey(publicPem)])).rejects.toThrow(/store-feed-2026/);
    // The same bytes changed by one character do not verify.
    const tampered = Buffer.from(feed.toString().replace('openssl-1', 'openssl-2'));
    expect((await refusalOf(verifyFeedSignature(tampered, jws, [readPinnedKey(jwk)]))).reason).toBe('bad-signature');
  });
});

describe('pinned keys and their ids', () => {
  it("honours a pinned JWK's own kid (RFC 7517 §4.5) as well as its thumbprint", async () => {
    const feed = Buffer.from(snapshotFeed('kid-1'));
    const jwk = { ...trustedKey.publicKey.export({ format: 'jwk' }), kid: 'store-feed-2026' };
    const pinned = readPinnedKey(jwk);

    await expect(verifyFeedSignature(feed, detached(feed, { alg: 'EdDSA', kid: 'store-feed-2026' }), [pinned])).resolves.toBeUndefined();
    await expect(verifyFeedSignature(feed, (await sign(feed)).jws!, [pinned])).resolves.toBeUndefined();
  });

  it('refuses a kid no pinned key carries, naming both', async () => {
    const feed = Buffer.from(snapshotFeed('kid-2'));
    const pinned = readPinnedKey({ ...trustedKey.publicKey.export({ format: 'jwk' }), kid: 'store-feed-2026' });

    const error = await refusalOf(verifyFeedSignature(feed, detached(feed, { alg: 'EdDSA', kid: 'store-feed-2027' }), [pinned]));

    expect(error.reason).toBe('wrong-key');
    expect(error.message).toContain('store-feed-2027');
    expect(error.message).toContain('store-feed-2026');
  });

  it('never lets a kid pick a key that did not sign: a stranger using the pinned kid is refused', async () => {
    const feed = Buffer.from(snapshotFeed('kid-3'));
    const stranger = generateKeyPairSync('ed25519');
    const pinned = readPinnedKey({ ...trustedKey.publicKey.export({ format: 'jwk' }), kid: 'store-feed-2026' });

    const error = await refusalOf(verifyFeedSignature(feed, detached(feed, { alg: 'EdDSA', kid: 'store-feed-2026' }, stranger.privateKey), [pinned]));

    expect(error.reason).toBe('bad-signature');
  });

  it('refuses a kid that is not text', () => {
    expect(() => readPinnedKey({ ...trustedKey.publicKey.export({ format: 'jwk' }), kid: 42 } as unknown as JWK)).toThrow(/kid/);
  });
});

describe('strict base64url in the JWS parts (RFC 7515 §2, §5.2)', () => {
  const feed = Buffer.from(snapshotFeed('b64'));
  const pinned = [readPinnedKey(createPublicKey(createPrivateKey(trustedKey.privateKey.export({ type: 'pkcs8', format: 'pem' }))).export({ type: 'spki', format: 'pem' }).toString())];

  it('accepts the well-formed signature', async () => {
    await expect(verifyFeedSignature(feed, (await sign(feed)).jws!, pinned)).resolves.toBeUndefined();
  });

  it.each([
    ['= padding on the signature', (h: string, s: string) => `${h}..${s}==`],
    ['= padding on the header', (h: string, s: string) => `${h}=..${s}`],
    ['+ and / (base64, not base64url)', (h: string, s: string) => `${h}..${s.replace(/-/g, '+').replace(/_/g, '/')}+/`],
    ['junk characters', (h: string, s: string) => `${h}..${s.slice(0, 10)}!*${s.slice(10)}`],
    ['white space inside', (h: string, s: string) => `${h}..${s.slice(0, 10)} ${s.slice(10)}`],
    ['a length no base64url text has', (h: string, s: string) => `${h}..${s}A`],
    ['non-zero bits after the last byte', (h: string, s: string) => `${h}..${s.slice(0, -1)}${String.fromCharCode(s.charCodeAt(s.length - 1) + 1)}`],
  ])('refuses %s', async (_what, mangle) => {
    const [header, , signature] = (await sign(feed)).jws!.split('.') as [string, string, string];
    const error = await refusalOf(verifyFeedSignature(feed, mangle(header, signature), pinned));
    expect(error.reason).toBe('bad-signature');
  });
});
