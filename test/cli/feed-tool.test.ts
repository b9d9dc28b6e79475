import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-secret-store';
import { main } from '../../src-main/cli/feed-tool';
import { SignedFeedSource } from '../../src-main/core/sync/feed/signed-feed-source';
import { FakeClock, tempDir } from '../fakes';
import { loadOrCreateSigningKey, publicJwk } from '../../src-main/core/sso/signing-key';
import { snapshotFeed, trustedKey } from '../core/sync/feed/feed-fixtures';

const example = path.resolve(import.meta.dirname, '../../docs/feed.example.json');

let dir: ReturnType<typeof tempDir>;
let file: (name: string) => string;
beforeEach(() => {
  dir = tempDir('feed-tool-');
  file = (name) => path.join(dir.dir, name);
});
afterEach(() => dir.remove());

/** Runs the tool as IT would, capturing what it prints. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function sourceFor(feed: string, publicKey: string | object): SignedFeedSource {
  return new SignedFeedSource({ location: feed, publicKey: publicKey as string }, { secrets: new MemorySecretStore(), clock: new FakeClock() });
}

describe('the feed tool', () => {
  it('makes a key pair: the private key readable by its owner only, the public key printed for the device config', async () => {
    const made = await run('keygen', file('signing.pem'), '--public-key', file('signing.pub.pem'));
    expect(made.code).toBe(0);
    expect(statSync(file('signing.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(file('signing.pem'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(made.out).toContain(readFileSync(file('signing.pub.pem'), 'utf8').trim());
    expect(made.out).toMatch(/"kty":"OKP".*"kid":"[\w-]{43}"/);
  });

  it('never overwrites a key', async () => {
    writeFileSync(file('signing.pem'), 'the key in use');
    const again = await run('keygen', file('signing.pem'));
    expect(again).toMatchObject({ code: 1, err: expect.stringMatching(/already exists; a key is never overwritten/) });
    expect(readFileSync(file('signing.pem'), 'utf8')).toBe('the key in use');
  });

  it('round-trips: keygen, sign, and a kiosk pinned to the printed key (PEM or JWK) accepts the feed', async () => {
    const made = await run('keygen', file('signing.pem'));
    const pem = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/.exec(made.out)![0];
    const jwk = JSON.parse(/\{"crv".*\}/.exec(made.out)![0]) as object;
    copyFileSync(example, file('feed.json'));

    const signed = await run('sign', file('feed.json'), '--key', file('signing.pem'));
    expect(signed).toMatchObject({ code: 0, out: expect.stringContaining('snapshot, 4 users, cursor 2026-11-22T06:00:00Z') });
    expect(readFileSync(file('feed.json.jws'), 'utf8')).toMatch(/^[\w-]+\.\.[\w-]+\n$/);

    expect((await sourceFor(file('feed.json'), pem).fetch(null)).kind).toBe('snapshot');
    expect((await sourceFor(file('feed.json'), jwk).fetch(null)).kind).toBe('snapshot');
    expect(await run('verify', file('feed.json'), '--public-key', file('signing.pem'))).toMatchObject({ code: 1, err: expect.stringContaining('holds a private key') });
    writeFileSync(file('public.jwk'), JSON.stringify(jwk));
    expect(await run('verify', file('feed.json'), '--public-key', file('public.jwk'))).toMatchObject({ code: 0, out: expect.stringContaining('reads as a kiosk expects') });

    writeFileSync(file('feed.json'), readFileSync(file('feed.json'), 'utf8').replace('Dana', 'Dina'));
    expect(await run('verify', file('feed.json'), '--public-key', file('public.jwk'))).toMatchObject({ code: 1, err: expect.stringContaining('changed after it was signed') });
  });

  it('explains bad input without a stack trace', async () => {
    writeFileSync(file('rsa.pem'), generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(file('ed.pem'), trustedKey.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(file('ed.pub.pem'), trustedKey.publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(file('not-json.json'), 'name,phone\nDana,2065550142\n');
    writeFileSync(file('bad-number.json'), snapshotFeed('c1', (feed) => (feed.users[1]!.phoneMethods![0]!.phoneNumber = '12')));
    writeFileSync(file('good.json'), snapshotFeed('c1'));

    const cases: Array<[string[], RegExp]> = [
      [['sign', file('missing.json'), '--key', file('ed.pem')], /the feed file .*missing\.json does not exist/],
      [['sign', file('not-json.json'), '--key', file('ed.pem')], /not-json\.json is not valid JSON/],
      [['sign', file('bad-number.json'), '--key', file('ed.pem')], /would be refused: user u-priya phone method u-priya-mobile: That number is too short/],
      [['sign', file('good.json'), '--key', file('rsa.pem')], /rsa\.pem is an RSA key; feeds are signed with Ed25519/],
      [['sign', file('good.json'), '--key', file('ed.pub.pem')], /ed\.pub\.pem is a public key; sign with the private key/],
      [['sign', file('good.json'), '--key', file('good.json')], /good\.json is not a PEM private key/],
      [['verify', file('good.json'), '--public-key', file('ed.pub.pem')], /good\.json is not signed: there is no .*good\.json\.jws/],
    ];
    for (const [argv, message] of cases) {
      const result = await run(...argv);
      expect(result.code, argv.join(' ')).toBe(1);
      expect(result.err).toMatch(message);
      expect(result.err).not.toMatch(/\n\s+at /);
    }
  });

  it('answers a usage mistake with the usage', async () => {
    expect(await run('sign', file('good.json'))).toMatchObject({ code: 1, err: expect.stringContaining('--key <private-key.pem> is required') });
    expect(await run('publish')).toMatchObject({ code: 2, err: expect.stringContaining('Usage:') });
    expect(await run('sign', '--colour')).toMatchObject({ code: 2, err: expect.stringContaining('Usage:') });
    expect((await run('schema')).out).toContain('"title": "Frontline Kiosk directory feed"');
  });

  it('publishes the issuer’s discovery and a JWKS of the kiosks’ public keys, and drops a removed kiosk', async () => {
    const kiosks = await Promise.all([1, 2].map(async () => publicJwk(await loadOrCreateSigningKey(new MemorySecretStore()))));
    writeFileSync(file('till-1.jwk'), JSON.stringify(kiosks[0]));
    writeFileSync(file('till-2.jwk'), JSON.stringify(kiosks[1]));
    const issuer = 'https://kiosk-sso.contoso.example';

    const both = await run('sso-publish', issuer, file('till-1.jwk'), file('till-2.jwk'), '--out', file('site'));
    expect(both.code).toBe(0);
    const discovery = JSON.parse(readFileSync(file('site/.well-known/openid-configuration'), 'utf8'));
    expect(discovery).toMatchObject({ issuer, jwks_uri: `${issuer}/jwks.json`, id_token_signing_alg_values_supported: ['RS256'] });
    expect(JSON.parse(readFileSync(file('site/jwks.json'), 'utf8')).keys).toEqual(kiosks);

    // Till 2 was stolen: publish again without it.
    expect((await run('sso-publish', issuer, file('till-1.jwk'), '--out', file('site'))).code).toBe(0);
    expect(JSON.parse(readFileSync(file('site/jwks.json'), 'utf8')).keys).toEqual([kiosks[0]]);
  });

  it('refuses to publish a private key or an http issuer', async () => {
    writeFileSync(file('private.jwk'), JSON.stringify(await loadOrCreateSigningKey(new MemorySecretStore())));
    const leaked = await run('sso-publish', 'https://kiosk-sso.contoso.example', file('private.jwk'), '--out', file('site'));
    expect(leaked).toMatchObject({ code: 1, err: expect.stringContaining('private part') });
    const http = await run('sso-publish', 'http://kiosk-sso.contoso.example', file('private.jwk'), '--out', file('site'));
    expect(http).toMatchObject({ code: 1, err: expect.stringContaining('https URL') });
  });
});
