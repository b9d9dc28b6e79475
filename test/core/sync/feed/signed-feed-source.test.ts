import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CompactSign } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../../src-main/core/secrets/memory-secret-store';
import type { AppliedChange } from '../../../../src-main/core/sync/apply-change';
import { SyncRefusedError } from '../../../../src-main/core/sync/directory-source';
import { SignedFeedSource, type SignedFeedOptions } from '../../../../src-main/core/sync/feed/signed-feed-source';
import { SyncScheduler } from '../../../../src-main/core/sync/sync-scheduler';
import { seededRandom, tempDir } from '../../../fakes';
import { closedPortOrigin } from '../../sms/loopback-server';
import { deltaFeed, dumpDirectory, openTestStore, sign, snapshotFeed, strangerKey, trustedKey, trustedPublicPem, type TestStore } from './feed-fixtures';
import { startFeedServer, streamForever, type FeedServer } from './feed-server';

const TOKEN_ENTRY = 'feed-bearer-token';
const TOKEN = 'feed-token-5f1e2d3c';
const LIMIT = 64 * 1024;

let store: TestStore;
let server: FeedServer;
let secrets: MemorySecretStore;
let applied: AppliedChange[];
beforeEach(async () => {
  store = openTestStore();
  server = await startFeedServer();
  secrets = new MemorySecretStore();
  applied = [];
});
afterEach(async () => {
  await server.close();
  store.close();
});

function feedSource(options: Partial<SignedFeedOptions> = {}): SignedFeedSource {
  return new SignedFeedSource({ location: server.url, publicKey: trustedPublicPem, maxBytes: LIMIT, ...options }, { secrets, clock: store.clock });
}

function syncOf(source: SignedFeedSource): SyncScheduler {
  const { db, directory, audit, clock } = store;
  return new SyncScheduler({}, { source, sourceId: source.id, db, directory, audit, clock, scheduler: clock, random: seededRandom(), onApplied: (change) => void applied.push(change) });
}

async function refusalOf(fetching: Promise<unknown>): Promise<SyncRefusedError> {
  const error: unknown = await fetching.then(
    () => null,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(SyncRefusedError);
  return error as SyncRefusedError;
}

function sinceOf(requestPath: string): string | null {
  return new URL(requestPath, 'http://x').searchParams.get('since');
}

describe('a signed feed over HTTP', () => {
  it('applies a signed snapshot and reports the directory it holds', async () => {
    server.publish(await sign(snapshotFeed('c1')));
    const status = await syncOf(feedSource()).syncNow();
    expect(status).toMatchObject({ lastError: null, lastSuccessAt: store.clock.now(), users: 6, readyPhones: 6 });
    expect(store.directory.holdersOf('+12065550100')).toEqual([expect.objectContaining({ displayName: 'Alex Rivera' })]);
    expect(server.requests.map((r) => r.path)).toEqual(['/fleet/store-0142/feed.json', '/fleet/store-0142/feed.json.jws']);
    expect(applied).toHaveLength(1);
    expect(store.audit.query({ types: ['sync.apply'], limit: 1 })[0]).toMatchObject({ outcome: 'success', details: expect.objectContaining({ kind: 'snapshot', users: 6 }) });
  });

  it('asks with If-None-Match and takes a 304 as unchanged: one bodiless request, nothing applied', async () => {
    server.publish(await sign(snapshotFeed('c1')));
    const sync = syncOf(feedSource());
    await sync.syncNow();
    const before = dumpDirectory(store.db);
    store.clock.advance(60_000);

    const status = await sync.syncNow();
    expect(server.requests).toHaveLength(3);
    expect(server.requests[2]!.headers['if-none-match']).toMatch(/^"[0-9a-f]{16}"$/);
    expect(dumpDirectory(store.db)).toEqual(before);
    expect(applied).toHaveLength(1);
    expect(status).toMatchObject({ lastError: null, lastSuccessAt: store.clock.now() });
    expect(store.audit.query({ types: ['sync.apply'], limit: 1 })[0]!.details).toMatchObject({ kind: 'unchanged' });
  });

  it('asks for changes since its cursor and applies a delta’s changes and removals', async () => {
    server.publish(await sign(snapshotFeed('c1')));
    const sync = syncOf(feedSource());
    await sync.syncNow();
    server.publishDelta(
      'c1',
      await sign(
        deltaFeed('c1', 'c2', {
          users: {
            upserted: [{ id: 'u-alex', displayName: 'Alex Rivera-Diaz', userPrincipalName: 'alex@contoso-demo.example', accountEnabled: true, groupIds: ['grp-store'], phoneMethods: [{ id: 'u-alex-mobile', phoneNumber: '(206) 555-0110', phoneType: 'mobile', smsSignInState: 'ready' }] }],
            removed: ['u-priya'],
          },
        }),
      ),
    );

    const status = await sync.syncNow();
    expect(sinceOf(server.requests[2]!.path)).toBe('c1');
    expect(status).toMatchObject({ lastError: null, users: 5 });
    expect(store.directory.holdersOf('+12065550110')).toEqual([expect.objectContaining({ displayName: 'Alex Rivera-Diaz' })]);
    expect(store.directory.holdersOf('+12065550100')).toEqual([]);
    expect(store.directory.holdersOf('+12065550101')).toEqual([]);
    expect(applied.at(-1)).toMatchObject({ kind: 'delta', usersWritten: 1, usersRemoved: 1 });

    await sync.syncNow();
    expect(sinceOf(server.requests.at(-2)!.path)).toBe('c2');
  });

  it('takes the full snapshot a static server answers to ?since', async () => {
    server.publish(await sign(snapshotFeed('c1')));
    const sync = syncOf(feedSource());
    await sync.syncNow();
    server.publish(await sign(snapshotFeed('c2', (feed) => (feed.users[0]!.displayName = 'Alex R.'))));

    await sync.syncNow();
    expect(sinceOf(server.requests[2]!.path)).toBe('c1');
    expect(store.directory.displayNameOf('u-alex')).toBe('Alex R.');
    expect(applied.at(-1)).toMatchObject({ kind: 'snapshot', usersWritten: 1 });
  });

  it('fetches the whole feed when a delta starts from another cursor than its own', async () => {
    server.publish(await sign(snapshotFeed('c1')));
    const sync = syncOf(feedSource());
    await sync.syncNow();
    server.publishDelta('c1', await sign(deltaFeed('c0', 'c2', { users: { removed: ['u-alex'] } })));
    server.publish(await sign(snapshotFeed('c3', (feed) => (feed.users[1]!.displayName = 'Priya N.'))));

    const status = await sync.syncNow();
    expect(server.requests.slice(2).map((r) => sinceOf(r.path))).toEqual(['c1', 'c1', null, null]);
    expect(status.lastError).toBeNull();
    expect(store.directory.displayNameOf('u-alex')).toBe('Alex Rivera');
    expect(store.directory.displayNameOf('u-priya')).toBe('Priya N.');
  });

  it('sends the bearer token from the keychain, and names the entry when it is missing', async () => {
    server.requireToken(TOKEN);
    server.publish(await sign(snapshotFeed('c1')));
    const source = feedSource({ bearerTokenSecret: TOKEN_ENTRY });

    expect(await refusalOf(source.fetch(null))).toMatchObject({ reason: 'missing-secret', message: expect.stringContaining(TOKEN_ENTRY) });
    await secrets.set(TOKEN_ENTRY, TOKEN);
    expect((await source.fetch(null)).kind).toBe('snapshot');
    expect(server.requests.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);

    await secrets.set(TOKEN_ENTRY, 'an-old-token');
    const refused = await refusalOf(source.fetch(null));
    expect(refused).toMatchObject({ reason: 'http-401', message: expect.stringContaining(TOKEN_ENTRY) });
    expect(refused.message).not.toContain('an-old-token');
  });

  it('surfaces Retry-After on 429 and 503 as retryAt', async () => {
    const now = store.clock.now();
    server.interrupt = (_request, response) => (response.writeHead(429, { 'Retry-After': '120' }).end(), true);
    expect(await refusalOf(feedSource().fetch(null))).toMatchObject({ reason: 'throttled', retryAt: now + 120_000 });

    const later = new Date(now + 600_000).toUTCString();
    server.interrupt = (_request, response) => (response.writeHead(503, { 'Retry-After': later }).end(), true);
    expect(await refusalOf(feedSource().fetch(null))).toMatchObject({ reason: 'http-503', retryAt: now + 600_000 });
  });

  it('reads a decimal Retry-After as seconds rounded up, never as a date, and waits at least 1 s', async () => {
    const now = store.clock.now();
    server.interrupt = (_request, response) => (response.writeHead(429, { 'Retry-After': '2.5' }).end(), true);
    expect(await refusalOf(feedSource().fetch(null))).toMatchObject({ reason: 'throttled', retryAt: now + 3000 });
    server.interrupt = (_request, response) => (response.writeHead(503, { 'Retry-After': '0' }).end(), true);
    expect(await refusalOf(feedSource().fetch(null))).toMatchObject({ reason: 'http-503', retryAt: now + 1000 });
  });

  it('gives up on a server that does not answer in time', async () => {
    server.interrupt = () => true;
    const refused = await refusalOf(feedSource({ timeoutMs: 200 }).fetch(null));
    expect(refused).toMatchObject({ reason: 'timeout', message: expect.stringContaining('200 ms') });
  });

  it('reports a server it cannot reach', async () => {
    const source = new SignedFeedSource({ location: `${await closedPortOrigin()}/feed.json`, publicKey: trustedPublicPem }, { secrets, clock: store.clock });
    expect(await refusalOf(source.fetch(null))).toMatchObject({ reason: 'network', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('refuses a redirect rather than carry the bearer token elsewhere', async () => {
    server.interrupt = (_request, response) => (response.writeHead(302, { Location: 'https://elsewhere.example/feed.json' }).end(), true);
    expect(await refusalOf(feedSource().fetch(null))).toMatchObject({ reason: 'http-302', message: expect.stringMatching(/redirect/) });
  });

  it('stops reading an endless feed as soon as it passes the size limit', async () => {
    const written = { bytes: 0, clientLeft: false };
    server.interrupt = (request, response) => {
      if (request.path.endsWith('.jws')) return false;
      streamForever(response, written);
      return true;
    };
    const refused = await refusalOf(feedSource().fetch(null));
    expect(refused).toMatchObject({ reason: 'too-large', message: expect.stringContaining(`${LIMIT} bytes`) });
    await expect.poll(() => written.clientLeft).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a feed whose Content-Length is over the limit without reading it', async () => {
    server.interrupt = (_request, response) => (response.writeHead(200, { 'Content-Length': String(LIMIT + 1) }).end(Buffer.alloc(LIMIT + 1)), true);
    expect(await refusalOf(feedSource().fetch(null))).toMatchObject({ reason: 'too-large' });
  });

  it('never names the query string of the feed URL, which may hold a pre-signed credential', async () => {
    server.interrupt = (_request, response) => (response.writeHead(500).end(), true);
    const source = new SignedFeedSource({ location: `${server.url}?sig=s3cr3t-sas`, publicKey: trustedPublicPem }, { secrets, clock: store.clock });
    const refused = await refusalOf(source.fetch(null));
    expect(refused.reason).toBe('http-500');
    expect(refused.message).not.toContain('s3cr3t');
    expect(source.id).not.toContain('s3cr3t');
    expect(server.requests[0]!.path).toContain('sig=s3cr3t-sas');
  });
});

describe('every refused feed leaves the directory exactly as it was', () => {
  const withoutKid = async (body: string) => {
    const jws = await new CompactSign(Buffer.from(body)).setProtectedHeader({ alg: 'EdDSA' }).sign(strangerKey.privateKey);
    const [header, , signature] = jws.split('.');
    return { body: Buffer.from(body), jws: `${header}..${signature}` };
  };
  const manyUsers = snapshotFeed('c2', (feed) => {
    for (let i = 0; i < 400; i++) feed.users.push({ ...structuredClone(feed.users[0]!), id: `u-extra-${i}`, phoneMethods: [] });
  });

  const cases: Array<{ name: string; feed: () => Promise<{ body: Buffer; jws: string | null }>; reason: string; message: RegExp }> = [
    { name: 'an unsigned feed', feed: async () => ({ body: Buffer.from(snapshotFeed('c2')), jws: null }), reason: 'unsigned', message: /not signed: .*feed\.json\.jws answered HTTP 404/ },
    {
      name: 'a feed tampered with by one byte',
      feed: async () => {
        const signed = await sign(snapshotFeed('c2'));
        const at = signed.body.indexOf('Alex Rivera') + 3;
        signed.body[at] = 'z'.charCodeAt(0);
        return signed;
      },
      reason: 'bad-signature',
      message: /changed after it was signed/,
    },
    { name: 'a feed signed with another key', feed: () => sign(snapshotFeed('c2'), strangerKey.privateKey), reason: 'wrong-key', message: /signed with key \S+, which this kiosk does not trust/ },
    { name: 'a feed signed with another key by a tool that sets no kid', feed: () => withoutKid(snapshotFeed('c2')), reason: 'bad-signature', message: /any trusted key/ },
    { name: 'a feed over the size limit', feed: () => sign(manyUsers), reason: 'too-large', message: /larger than the limit of 65536 bytes/ },
    { name: 'malformed JSON', feed: () => sign('{"format": "frontline-kiosk-directory-feed", "users": [}'), reason: 'malformed', message: /is not valid JSON: unexpected "}"/ },
    {
      name: 'a feed whose policy is off the schema',
      feed: () => sign(snapshotFeed('c2', (feed) => Object.assign(feed.smsMethodPolicy as object, { state: 'sometimes' }))),
      reason: 'schema',
      message: /schema at smsMethodPolicy\.state/,
    },
    { name: 'another format', feed: () => sign(snapshotFeed('c2', (feed) => (feed.format = 'acme-hr-export'))), reason: 'format', message: /"format" is "acme-hr-export"/ },
    { name: 'a newer feed version', feed: () => sign(snapshotFeed('c2', (feed) => (feed.version = 2))), reason: 'format', message: /version 2; this kiosk reads version 1/ },
  ];

  it.each(cases)('refuses $name', async ({ feed, reason, message }) => {
    server.publish(await sign(snapshotFeed('c1')));
    const sync = syncOf(feedSource());
    await sync.syncNow();
    const before = dumpDirectory(store.db);
    const bad = await feed();
    server.publish(bad);
    server.publishDelta('c1', bad);

    const status = await sync.syncNow();
    expect(status.lastError).toEqual({ reason, message: expect.stringMatching(message) });
    expect(dumpDirectory(store.db)).toEqual(before);
    expect(applied).toHaveLength(1);
    expect(store.audit.query({ types: ['sync.apply'], limit: 1 })[0]).toMatchObject({ outcome: 'failure', reason });

    // Still at the last good cursor: the next fetch asks for changes since it.
    server.publish(await sign(snapshotFeed('c1')));
    await sync.syncNow();
    expect(sinceOf(server.requests.at(-2)!.path)).toBe('c1');
  });
});

describe('one record is one record: a feed applies all but what it cannot read', () => {
  async function syncFeed(body: string) {
    server.publish(await sign(body));
    return syncOf(feedSource()).syncNow();
  }

  it('sets aside a user off the schema, listing it in the sync status and the audit log', async () => {
    const status = await syncFeed(snapshotFeed('c1', (feed) => Object.assign(feed.users[1]!.phoneMethods![0]!, { smsSignInState: 'sometimes' })));
    expect(status.lastError).toBeNull();
    expect(status.setAsideCount).toBe(1);
    expect(status.setAside).toEqual([
      { record: 'user', id: 'u-priya', code: 'invalid-user', reason: expect.stringMatching(/^users\[1\] \(user u-priya\): phoneMethods\[0\]\.smsSignInState: .*The user is set aside\.$/) },
    ]);
    expect(store.directory.holdersOf('+12065550100')).toEqual([expect.objectContaining({ userId: 'u-alex', smsSignInState: 'ready' })]);
    // Held withheld with the number it gave, so nobody else gains it.
    expect(store.directory.holdersOf('+12065550101')).toEqual([expect.objectContaining({ userId: 'u-priya', accountEnabled: false, isPrivileged: true })]);
    expect(store.audit.query({ types: ['sync.apply'], outcome: 'info', limit: 5 })).toEqual([
      expect.objectContaining({ reason: 'setAside:invalid-user', userId: 'u-priya' }),
    ]);
  });

  it('sets aside only the user of an unusable mobile number, and applies the rest (a rename beside it)', async () => {
    const status = await syncFeed(snapshotFeed('c1', (feed) => ((feed.users[0]!.displayName = 'Renamed'), (feed.users[1]!.phoneMethods![0]!.phoneNumber = '12'))));
    expect(status.setAside).toEqual([
      { record: 'user', id: 'u-priya', code: 'unreadable-mobile', reason: expect.stringMatching(/^user u-priya: mobile phone method u-priya-mobile: That number is too short/) },
    ]);
    expect(store.directory.displayNameOf('u-alex')).toBe('Renamed');
  });

  it('sets aside a user of a delta naming a group that does not exist, and keeps the earlier set-aside users', async () => {
    server.publish(await sign(snapshotFeed('c1', (feed) => (feed.users[1]!.phoneMethods![0]!.phoneNumber = '12'))));
    const sync = syncOf(feedSource());
    await sync.syncNow();
    server.publishDelta('c1', await sign(deltaFeed('c1', 'c2', { users: { upserted: [{ id: 'u-new', displayName: 'N', userPrincipalName: 'n@x', accountEnabled: true, groupIds: ['grp-nowhere'] }], removed: ['u-alex'] } })));
    const status = await sync.syncNow();
    expect(status.lastError).toBeNull();
    expect(status.setAside.map((record) => [record.id, record.code])).toEqual([
      ['u-priya', 'unreadable-mobile'],
      ['u-new', 'unknown-group'],
    ]);
    expect(store.directory.holdersOf('+12065550100')).toEqual([]);
  });

  it("reads Graph's legacy user targets, includes and excludes, in the feed's policy", async () => {
    await syncFeed(
      snapshotFeed('c1', (feed) => {
        feed.smsMethodPolicy = {
          state: 'enabled',
          includeTargets: [{ id: 'u-alex', targetType: 'user', isUsableForSignIn: true }, { id: 'all_users', targetType: 'group', isUsableForSignIn: true }],
          excludeTargets: [{ id: 'u-sam', targetType: 'user' }],
        };
      }),
    );
    expect(store.directory.smsMethodPolicy()).toMatchObject({ excludeTargets: [{ id: 'u-sam', targetType: 'user' }] });
  });

  it('sets aside an include target of unknown type, and reads an unknown exclude target as excluding everyone', async () => {
    const status = await syncFeed(
      snapshotFeed('c1', (feed) => {
        feed.smsMethodPolicy = {
          state: 'enabled',
          includeTargets: [{ id: 'all_users', targetType: 'group', isUsableForSignIn: true }, { id: 'x-1', targetType: 'unknownFutureValue', isUsableForSignIn: true }],
          excludeTargets: [{ id: 'x-2', targetType: 'unknownFutureValue' }],
        };
      }),
    );
    expect(status.setAside).toEqual([
      { record: 'target', id: 'x-1', code: 'unknown-target-type', reason: 'includeTargets[1] x-1: targetType "unknownFutureValue" is not one this kiosk knows (group, user); left out.' },
      { record: 'target', id: 'x-2', code: 'unknown-target-type', reason: expect.stringMatching(/everyone is excluded from SMS sign-in until it is fixed/) },
    ]);
    expect(store.directory.smsMethodPolicy()).toEqual({
      state: 'enabled',
      includeTargets: [{ id: 'all_users', targetType: 'group', isUsableForSignIn: true }],
      excludeTargets: [{ id: 'all_users', targetType: 'group' }],
    });
  });

  it('reads a policy without excludeTargets as excluding nobody', async () => {
    const status = await syncFeed(snapshotFeed('c1', (feed) => delete (feed.smsMethodPolicy as { excludeTargets?: unknown }).excludeTargets));
    expect(status.lastError).toBeNull();
    expect(store.directory.smsMethodPolicy().excludeTargets).toEqual([]);
  });
});

describe('a signed feed file', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir('kiosk-feed-');
  });
  afterEach(() => dir.remove());

  async function writeFeed(file: string, body: string, signed = true): Promise<void> {
    const feed = await sign(body);
    writeFileSync(file, feed.body);
    if (signed) writeFileSync(`${file}.jws`, feed.jws!);
  }

  it('applies a signed file, skips it while untouched, and reads it again once replaced', async () => {
    const file = path.join(dir.dir, 'feed.json');
    await writeFeed(file, snapshotFeed('c1'));
    const source = feedSource({ location: file });
    const sync = syncOf(source);

    expect((await sync.syncNow()).lastError).toBeNull();
    expect(store.directory.counts().users).toBe(6);
    await sync.syncNow();
    expect(store.audit.query({ types: ['sync.apply'], limit: 1 })[0]!.details).toMatchObject({ kind: 'unchanged' });

    await writeFeed(file, snapshotFeed('c2', (feed) => feed.users.pop()));
    expect((await sync.syncNow()).users).toBe(5);
  });

  it('takes a file: URL as well as a path', async () => {
    const file = path.join(dir.dir, 'feed.json');
    await writeFeed(file, snapshotFeed('c1'));
    expect((await feedSource({ location: `file://${file}` }).fetch(null)).kind).toBe('snapshot');
  });

  it('refuses a file without its .jws, a missing file and an oversized one', async () => {
    const file = path.join(dir.dir, 'feed.json');
    await writeFeed(file, snapshotFeed('c1'), false);
    expect(await refusalOf(feedSource({ location: file }).fetch(null))).toMatchObject({ reason: 'unsigned', message: expect.stringContaining('feed.json.jws') });
    expect(await refusalOf(feedSource({ location: path.join(dir.dir, 'nowhere.json') }).fetch(null))).toMatchObject({ reason: 'not-found' });
    await writeFeed(file, snapshotFeed('c1'));
    expect(await refusalOf(feedSource({ location: file, maxBytes: 1024 }).fetch(null))).toMatchObject({ reason: 'too-large' });
  });
});

describe('the feed source configuration', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const build = (options: Partial<SignedFeedOptions>) => () => new SignedFeedSource({ location: 'https://feeds.example/feed.json', publicKey: trustedPublicPem, ...options }, { secrets, clock: store.clock });

  it('pins several keys with publicKeys while rotating: a feed signed with either applies', async () => {
    const next = generateKeyPairSync('ed25519');
    const nextJwk = { ...next.publicKey.export({ format: 'jwk' }), kid: 'store-feed-2027' };
    const source = feedSource({ publicKey: undefined, publicKeys: [trustedPublicPem, nextJwk] });

    server.publish(await sign(snapshotFeed('rotate-1')));
    expect((await source.fetch(null)).kind).toBe('snapshot');
    server.publish(await sign(snapshotFeed('rotate-2'), next.privateKey));
    expect((await source.fetch(null)).kind).toBe('snapshot');
  });

  it('needs exactly one of publicKey and publicKeys', () => {
    expect(() => feedSource({ publicKey: undefined })).toThrow(/publicKey: set exactly one of publicKey and publicKeys/);
    expect(() => feedSource({ publicKeys: [trustedPublicPem] })).toThrow(/exactly one/);
  });

  it('accepts the public key as PEM, as a JWK object or as JWK text', () => {
    const jwk = trustedKey.publicKey.export({ format: 'jwk' });
    expect(build({ publicKey: jwk })).not.toThrow();
    expect(build({ publicKey: JSON.stringify(jwk) })).not.toThrow();
    expect(build({ publicKey: [trustedPublicPem, strangerKey.publicKey.export({ type: 'spki', format: 'pem' }).toString()] })).not.toThrow();
  });

  it('refuses plain http to another machine, a relative path, and a bearer token for a file', () => {
    expect(build({ location: 'http://feeds.example/feed.json' })).toThrow(/https:.*127\.0\.0\.1/);
    expect(build({ location: 'feeds/feed.json' })).toThrow(/absolute file path/);
    expect(build({ location: '/srv/feed.json', bearerTokenSecret: TOKEN_ENTRY })).toThrow(/bearerTokenSecret/);
  });

  it('refuses a private key, an RSA key and text that is no key, naming the field', () => {
    expect(build({ publicKey: trustedKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() })).toThrow(/publicKey holds a private key/);
    expect(build({ publicKey: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString() })).toThrow(/publicKey is an RSA key; the feed is signed with Ed25519/);
    expect(build({ publicKey: 'hello' })).toThrow(/publicKey is not a public key/);
  });
});
