import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CompactSign, FlattenedSign } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-secret-store';
import { keyIdOf } from '../../src-main/core/sync/feed/feed-signature';
import { SignedFeedSource, type SignedFeedOptions } from '../../src-main/core/sync/feed/signed-feed-source';
import { SyncScheduler, type SyncStatus } from '../../src-main/core/sync/sync-scheduler';
import { seededRandom, tempDir } from '../fakes';
import { deltaFeed, dumpDirectory, openTestStore, sign, snapshotFeed, strangerKey, trustedKey, trustedPublicPem, type SignedFeed, type TestStore } from '../core/sync/feed/feed-fixtures';
import { startFeedServer, type FeedServer } from '../core/sync/feed/feed-server';

/**
 * Hostile feeds are refused and change nothing. test/core/sync/signed-feed-source.test.ts
 * already refuses an unsigned feed, one tampered by a byte, one signed by another key (with
 * and without a kid), an endless or over-long body, malformed JSON, a feed off the schema,
 * another format or version, an unusable directory and a missing .jws file. Here: feeds cut
 * short, bombs and deep nesting, signature tricks (alg none, HMAC with the public key, a
 * borrowed kid, unencoded payloads, attached payloads, last version's signature), and old
 * feeds replayed. After each, the last good directory still serves, and the next good feed
 * applies.
 */

const LIMIT = 64 * 1024;
const FIRST = '2026-11-22T06:00:00Z';
const SECOND = '2026-11-22T06:15:00Z';
const THIRD = '2026-11-22T06:30:00Z';

let store: TestStore;
let server: FeedServer;
let applied: number;
beforeEach(async () => {
  store = openTestStore();
  server = await startFeedServer();
  applied = 0;
});
afterEach(async () => {
  await server.close();
  store.close();
});

function syncOf(options: Partial<SignedFeedOptions> = {}): SyncScheduler {
  const source = new SignedFeedSource({ location: server.url, publicKey: trustedPublicPem, maxBytes: LIMIT, ...options }, { secrets: new MemorySecretStore(), clock: store.clock });
  const { db, directory, audit, clock } = store;
  return new SyncScheduler({}, { source, sourceId: source.id, db, directory, audit, clock, scheduler: clock, random: seededRandom(), onApplied: () => void (applied += 1) });
}

/** A dated snapshot of the fixtures' six people, optionally changed. */
const dated = (cursor: string, generatedAt: string | undefined, change?: Parameters<typeof snapshotFeed>[1]) =>
  snapshotFeed(cursor, (feed) => {
    if (generatedAt !== undefined) feed.generatedAt = generatedAt;
    change?.(feed);
  });

/** Everything a refused sync must leave alone: the directory, where the kiosk is in the feed, and what it applied. */
function kioskState() {
  return { directory: dumpDirectory(store.db), cursor: store.db.prepare('SELECT cursor FROM directory_sync_state').pluck().get(), applied };
}

async function expectRefusedAndUnchanged(sync: SyncScheduler, reason: string): Promise<SyncStatus> {
  const before = kioskState();
  store.clock.advance(60_000);
  const status = await sync.syncNow();
  expect(status.lastError?.reason, status.lastError?.message).toBe(reason);
  expect(kioskState()).toEqual(before);
  expect(store.audit.query({ types: ['sync.apply'], limit: 1 })[0]).toMatchObject({ outcome: 'failure', reason });
  return status;
}

/** The kiosk is not wedged: the next good feed applies. */
async function expectNextGoodFeedApplies(sync: SyncScheduler, generatedAt = THIRD): Promise<void> {
  server.interrupt = null;
  server.publish(await sign(dated('c9', generatedAt, (feed) => (feed.users[0]!.displayName = 'Alex After'))));
  store.clock.advance(60_000);
  expect((await sync.syncNow()).lastError).toBeNull();
  expect(store.directory.displayNameOf('u-alex')).toBe('Alex After');
}

const base64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const trustedKid = keyIdOf(trustedKey.publicKey);

describe('hostile feeds over HTTP', () => {
  const goodBody = () => dated('c2', SECOND, (feed) => (feed.users[0]!.displayName = 'Alex Changed'));
  const cases: Array<{ name: string; reason: string; serve: () => Promise<SignedFeed | ((feed: FeedServer) => void)> }> = [
    {
      name: 'a feed cut short, under the signature of the whole',
      reason: 'bad-signature',
      serve: async () => {
        const whole = await sign(goodBody());
        return { body: whole.body.subarray(0, Math.floor(whole.body.length / 2)), jws: whole.jws };
      },
    },
    { name: 'a feed cut short and signed as it is (a publish that stopped part-way)', reason: 'malformed', serve: () => sign(goodBody().slice(0, 700)) },
    {
      name: 'a signature cut short',
      reason: 'bad-signature',
      serve: async () => {
        const whole = await sign(goodBody());
        return { body: whole.body, jws: whole.jws!.slice(0, -10) };
      },
    },
    {
      name: 'a download cut off mid-body',
      reason: 'network',
      serve: async () => {
        const whole = await sign(goodBody());
        return (feed) => {
          feed.interrupt = (request, response) => {
            if (request.path.includes('.jws')) return false;
            response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(whole.body.length) });
            response.write(whole.body.subarray(0, 500), () => response.destroy());
            return true;
          };
        };
      },
    },
    {
      name: 'a signature file far larger than any signature',
      reason: 'too-large',
      serve: async () => ({ body: (await sign(goodBody())).body, jws: `${base64url({ alg: 'EdDSA' })}..${'A'.repeat(20_000)}` }),
    },
    {
      name: 'a gzip bomb that unpacks past the size limit',
      reason: 'too-large',
      serve: async () => {
        const bomb = gzipSync(Buffer.concat([Buffer.from('{"format":"frontline-kiosk-directory-feed","pad":"'), Buffer.alloc(50 * 1024 * 1024, 0x61), Buffer.from('"}')]));
        return (feed) => {
          feed.interrupt = (request, response) => {
            if (request.path.includes('.jws')) return false;
            response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'Content-Length': String(bomb.length) }).end(bomb);
            return true;
          };
        };
      },
    },
    {
      name: 'a signed feed nested 30,000 levels deep',
      reason: 'schema',
      serve: () => sign(`{"format":"frontline-kiosk-directory-feed","version":1,"kind":"snapshot","cursor":"c2","users":${'['.repeat(30_000)}${']'.repeat(30_000)}}`),
    },
    { name: 'alg none with no signature', reason: 'bad-signature', serve: async () => ({ body: Buffer.from(goodBody()), jws: `${base64url({ alg: 'none' })}..` }) },
    {
      name: 'alg none with signature bytes',
      reason: 'bad-signature',
      serve: async () => ({ body: Buffer.from(goodBody()), jws: `${base64url({ alg: 'none', kid: trustedKid })}..${base64url('x'.repeat(64))}` }),
    },
    {
      name: 'an HMAC keyed with the pinned public key (algorithm confusion)',
      reason: 'bad-signature',
      serve: async () => {
        const body = Buffer.from(goodBody());
        const header = base64url({ alg: 'HS256', kid: trustedKid });
        const mac = createHmac('sha256', trustedPublicPem).update(`${header}.${body.toString('base64url')}`).digest('base64url');
        return { body, jws: `${header}..${mac}` };
      },
    },
    {
      name: "a stranger's signature claiming the trusted key's kid",
      reason: 'bad-signature',
      serve: async () => {
        const body = Buffer.from(goodBody());
        const jws = await new CompactSign(body).setProtectedHeader({ alg: 'EdDSA', kid: trustedKid }).sign(strangerKey.privateKey);
        const [header, , signature] = jws.split('.');
        return { body, jws: `${header}..${signature}` };
      },
    },
    {
      name: 'a signature over unencoded bytes (RFC 7797 b64: false), even by the trusted key',
      reason: 'bad-signature',
      serve: async () => {
        const body = Buffer.from(goodBody());
        const jws = await new FlattenedSign(body).setProtectedHeader({ alg: 'EdDSA', kid: trustedKid, b64: false, crit: ['b64'] }).sign(trustedKey.privateKey);
        return { body, jws: `${jws.protected}..${jws.signature}` };
      },
    },
    {
      name: 'an attached JWS carrying another feed than the one served',
      reason: 'bad-signature',
      serve: async () => {
        const other = Buffer.from(dated('c2', SECOND, (feed) => (feed.users[0]!.accountEnabled = false)));
        const jws = await new CompactSign(other).setProtectedHeader({ alg: 'EdDSA', kid: trustedKid }).sign(trustedKey.privateKey);
        return { body: Buffer.from(goodBody()), jws };
      },
    },
    {
      name: "last version's signature beside a new body",
      reason: 'bad-signature',
      serve: async () => ({ body: Buffer.from(goodBody()), jws: (await sign(dated('c1', FIRST))).jws }),
    },
  ];

  it.each(cases)('refuses $name, keeps the last good directory, and takes the next good feed', async ({ serve, reason }) => {
    server.publish(await sign(dated('c1', FIRST)));
    const sync = syncOf();
    expect((await sync.syncNow()).lastError).toBeNull();

    const hostile = await serve();
    if (typeof hostile === 'function') hostile(server);
    else server.publish(hostile);
    await expectRefusedAndUnchanged(sync, reason);
    await expectNextGoodFeedApplies(sync);
  });
});

describe('replayed feeds', () => {
  /** A kiosk that applied c1 and then c2, dated FIRST and SECOND. */
  async function kioskAtSecondVersion(): Promise<SyncScheduler> {
    const sync = syncOf();
    server.publish(await sign(dated('c1', FIRST)));
    await sync.syncNow();
    server.publish(await sign(dated('c2', SECOND, (feed) => (feed.users[1]!.accountEnabled = false))));
    store.clock.advance(60_000);
    expect((await sync.syncNow()).lastError).toBeNull();
    expect(applied).toBe(2);
    return sync;
  }

  it('refuses an older snapshot, validly signed, served after a newer one: a disabled account stays disabled', async () => {
    const sync = await kioskAtSecondVersion();
    server.publish(await sign(dated('c1', FIRST)));
    const status = await expectRefusedAndUnchanged(sync, 'replayed');
    expect(status.lastError?.message).toMatch(/written at 2026-11-22T06:00:00.000Z, before the feed this kiosk holds \(2026-11-22T06:15:00.000Z\)/);
    expect(store.directory.holdersOf('+12065550101')).toEqual([expect.objectContaining({ accountEnabled: false })]);
    await expectNextGoodFeedApplies(sync);
  });

  it('refuses an undated feed once it holds a dated one: it cannot show it is newer', async () => {
    const sync = await kioskAtSecondVersion();
    server.publish(await sign(dated('c3', undefined)));
    await expectRefusedAndUnchanged(sync, 'replayed');
    await expectNextGoodFeedApplies(sync);
  });

  it('refuses an old delta from another cursor, and the older full feed it then falls back to', async () => {
    const sync = syncOf();
    server.publish(await sign(dated('c1', FIRST)));
    await sync.syncNow();
    const withDate = (feed: string, generatedAt: string) => feed.replace('"kind":"delta"', `"generatedAt":"${generatedAt}","kind":"delta"`);
    server.publishDelta('c1', await sign(withDate(deltaFeed('c1', 'c2', { users: { removed: ['u-priya'] } }), SECOND)));
    store.clock.advance(60_000);
    expect((await sync.syncNow()).lastError).toBeNull();
    expect(store.directory.holdersOf('+12065550101')).toEqual([]);

    // A stale mirror: it answers with the delta that led to c1, and its full feed is still c1.
    server.publishDelta('c2', await sign(withDate(deltaFeed('c0', 'c1', { users: { removed: ['u-sam'] } }), '2026-11-22T05:45:00Z')));
    await expectRefusedAndUnchanged(sync, 'replayed');
    expect(store.directory.holdersOf('+12065550101')).toEqual([]);
    expect(server.requests.slice(-4).map((request) => new URL(request.path, 'http://x').searchParams.get('since'))).toEqual(['c2', 'c2', null, null]);
  });

  it('takes the same version again, re-signed or re-served, and changes nothing', async () => {
    const sync = await kioskAtSecondVersion();
    const before = dumpDirectory(store.db);
    server.publish(await sign(`${dated('c2', SECOND, (feed) => (feed.users[1]!.accountEnabled = false))}\n`));
    store.clock.advance(60_000);
    expect((await sync.syncNow()).lastError).toBeNull();
    expect(dumpDirectory(store.db)).toEqual(before);
  });

  it('refuses an older signed copy put back in place of a feed file', async () => {
    const dir = tempDir('kiosk-feed-');
    try {
      const file = path.join(dir.dir, 'feed.json');
      const write = (feed: SignedFeed) => {
        writeFileSync(file, feed.body);
        writeFileSync(`${file}.jws`, feed.jws!);
      };
      const old = await sign(dated('c1', FIRST));
      write(old);
      const sync = syncOf({ location: file });
      await sync.syncNow();
      write(await sign(dated('c2', SECOND, (feed) => feed.users.pop())));
      store.clock.advance(60_000);
      expect((await sync.syncNow()).users).toBe(5);

      write(old);
      await expectRefusedAndUnchanged(sync, 'replayed');
      expect(store.directory.counts().users).toBe(5);
    } finally {
      dir.remove();
    }
  });
});
