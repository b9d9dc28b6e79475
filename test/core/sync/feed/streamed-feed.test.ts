import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeStreamedFeed, type StreamedFeedFiles } from '../../../../src-main/cli/streamed-feed';
import { main as feedTool } from '../../../../src-main/cli/feed-tool';
import { MemorySecretStore } from '../../../../src-main/core/secrets/memory-secret-store';
import type { AppliedChange } from '../../../../src-main/core/sync/apply-change';
import { SignedFeedSource } from '../../../../src-main/core/sync/feed/signed-feed-source';
import { SyncScheduler, type SyncStatus } from '../../../../src-main/core/sync/sync-scheduler';
import { seededRandom, tempDir } from '../../../fakes';
import { startLoopbackServer, type LoopbackServer } from '../../sms/loopback-server';
import { dumpDirectory, openTestStore, sign, sixPersonTenant, snapshotFeed, trustedKey, trustedPublicPem, type TestStore } from './feed-fixtures';

/**
 * The streamed feed (docs/directory-feed.md, "Large feeds"): a signed manifest naming an
 * NDJSON file by length and SHA-256. Real files and a real HTTP server on 127.0.0.1; the
 * kiosk must apply exactly what the detached form applies, and nothing at all of a file
 * that does not match its manifest.
 */

let store: TestStore;
let folder: ReturnType<typeof tempDir>;
let applied: AppliedChange[];
beforeEach(() => {
  store = openTestStore();
  folder = tempDir('kiosk-streamed-');
  applied = [];
});
afterEach(() => {
  store.close();
  folder.remove();
});

type Tenant = ReturnType<typeof sixPersonTenant>;

function writeFeed(cursor: string, change?: (tenant: Tenant) => void, generatedAt = '2026-11-22T06:00:00Z'): Promise<StreamedFeedFiles> {
  const tenant = sixPersonTenant();
  change?.(tenant);
  const { users, ...rest } = tenant;
  return writeStreamedFeed(folder.dir, 'feed', { ...rest, cursor, generatedAt }, users, trustedKey.privateKey);
}

function syncOf(location: string, secrets = new MemorySecretStore(), bearerTokenSecret?: string): SyncScheduler {
  const source = new SignedFeedSource({ location, publicKey: trustedPublicPem, ...(bearerTokenSecret && { bearerTokenSecret }) }, { secrets, clock: store.clock });
  const { db, directory, audit, clock } = store;
  return new SyncScheduler({}, { source, sourceId: source.id, db, directory, audit, clock, scheduler: clock, random: seededRandom(), onApplied: (change) => void applied.push(change) });
}

function stagedRows(): number {
  const tables = store.db.prepare<[], string>("SELECT name FROM temp.sqlite_master WHERE type = 'table' AND name = 'staged_users'").pluck().all();
  return tables.length === 0 ? 0 : (store.db.prepare<[], number>('SELECT count(*) FROM temp.staged_users').pluck().get() ?? 0);
}

/** Rewrites one byte range of the streamed file, keeping its length: only the digest can tell. */
function tamper(file: string, from: string, to: string): void {
  expect(to.length).toBe(from.length);
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

/** Rewrites the streamed file and signs a manifest for exactly its new bytes: the change is then authentic. */
async function republish(files: StreamedFeedFiles, bytes: Buffer): Promise<void> {
  writeFileSync(files.feedPath, bytes);
  const manifest = JSON.parse(readFileSync(files.manifestPath, 'utf8')) as { feed: Record<string, unknown> };
  const signed = await sign(`${JSON.stringify({ ...manifest, feed: { ...manifest.feed, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('base64url') } })}\n`);
  writeFileSync(files.manifestPath, signed.body);
  writeFileSync(`${files.manifestPath}.jws`, signed.jws!);
}

function openFiles(): number {
  return readdirSync('/proc/self/fd').length;
}

describe('a streamed feed from files', () => {
  it('applies exactly what the same snapshot as one signed JSON file applies', async () => {
    const files = await writeFeed('c1');
    const status = await syncOf(files.manifestPath).syncNow();
    expect(status.lastError).toBeNull();
    expect(applied).toHaveLength(1);
    expect(applied[0]).toMatchObject({ kind: 'snapshot', usersWritten: 6, usersRemoved: 0, setAside: [] });
    expect(stagedRows()).toBe(0);

    const detached = openTestStore();
    try {
      const feedPath = path.join(folder.dir, 'detached.json');
      const signed = await sign(snapshotFeed('c1', (feed) => Object.assign(feed, { generatedAt: '2026-11-22T06:00:00Z' })));
      writeFileSync(feedPath, signed.body);
      writeFileSync(`${feedPath}.jws`, signed.jws!);
      const source = new SignedFeedSource({ location: feedPath, publicKey: trustedPublicPem }, { secrets: new MemorySecretStore(), clock: detached.clock });
      const { db, directory, audit, clock } = detached;
      const result = await new SyncScheduler({}, { source, sourceId: source.id, db, directory, audit, clock, scheduler: clock, random: seededRandom() }).syncNow();
      expect(result.lastError).toBeNull();
      expect(dumpDirectory(store.db)).toEqual(dumpDirectory(detached.db));
    } finally {
      detached.close();
    }
  });

  it('reads an untouched manifest as unchanged, and rewrites only the user who changed', async () => {
    const files = await writeFeed('c1');
    const sync = syncOf(files.manifestPath);
    await sync.syncNow();
    expect((await sync.syncNow()).lastError).toBeNull();
    expect(applied).toHaveLength(1);

    await writeFeed('c2', (tenant) => (tenant.users[2]!.displayName = 'Renamed Person'), '2026-11-22T07:00:00Z');
    expect((await sync.syncNow()).lastError).toBeNull();
    expect(applied.at(-1)).toMatchObject({ kind: 'snapshot', usersWritten: 1, usersRemoved: 0 });
    const third = sixPersonTenant().users[2]!.id;
    expect(store.directory.displayNameOf(third)).toBe('Renamed Person');
  });

  it('changes nothing when a byte of the streamed file differs from what was signed', async () => {
    const files = await writeFeed('c1');
    const sync = syncOf(files.manifestPath);
    await sync.syncNow();
    const before = dumpDirectory(store.db);

    const next = await writeFeed('c2', (tenant) => (tenant.users[0]!.displayName = 'Someone Else'), '2026-11-22T07:00:00Z');
    tamper(next.feedPath, '"Someone Else"', '"Someone Elsa"');
    const status: SyncStatus = await sync.syncNow();
    expect(status.lastError).toMatchObject({ reason: 'manifest-mismatch' });
    expect(status.lastError!.message).toMatch(/does not match the SHA-256 in its signed manifest/);
    expect(dumpDirectory(store.db)).toEqual(before);
    expect(stagedRows()).toBe(0);
  });

  it('refuses a streamed file cut short or run long, before applying any of it', async () => {
    const files = await writeFeed('c1');
    const whole = readFileSync(files.feedPath);
    writeFileSync(files.feedPath, whole.subarray(0, whole.length - 40));
    const short = await syncOf(files.manifestPath).syncNow();
    expect(short.lastError).toMatchObject({ reason: 'manifest-mismatch' });
    expect(short.lastError!.message).toMatch(/ends after \d+ bytes, but its signed manifest gives \d+/);

    writeFileSync(files.feedPath, Buffer.concat([whole, Buffer.from('{"id":"smuggled"}\n')]));
    const long = await syncOf(files.manifestPath).syncNow();
    expect(long.lastError).toMatchObject({ reason: 'manifest-mismatch' });
    expect(long.lastError!.message).toMatch(/longer than the \d+ bytes its signed manifest gives/);
    expect(store.directory.counts().users).toBe(0);
    expect(applied).toHaveLength(0);
  });

  it('refuses a header that is not the signed manifest\'s, and a line that is not JSON, naming the line and not its text', async () => {
    const files = await writeFeed('c1');
    const manifest = JSON.parse(readFileSync(files.manifestPath, 'utf8')) as { cursor: string; feed: { bytes: number; sha256: string } };
    // A validly signed manifest with another cursor than the file's header.
    const resign = async (body: object) => {
      const signed = await sign(`${JSON.stringify(body)}\n`);
      writeFileSync(files.manifestPath, signed.body);
      writeFileSync(`${files.manifestPath}.jws`, signed.jws!);
    };
    await resign({ ...manifest, cursor: 'c9' });
    const header = await syncOf(files.manifestPath).syncNow();
    expect(header.lastError).toMatchObject({ reason: 'manifest-mismatch' });
    expect(header.lastError!.message).toMatch(/header's cursor \("c1"\) is not the signed manifest's \("c9"\)/);

    const lines = readFileSync(files.feedPath, 'utf8').split('\n');
    lines[3] = lines[3]!.replace(/^\{/, '{{');
    const broken = Buffer.from(lines.join('\n'));
    writeFileSync(files.feedPath, broken);
    await resign({ ...manifest, feed: { ...manifest.feed, bytes: broken.length, sha256: createHash('sha256').update(broken).digest('base64url') } });
    const line = await syncOf(files.manifestPath).syncNow();
    expect(line.lastError).toMatchObject({ reason: 'malformed', message: expect.stringMatching(/line 4 is not valid JSON\.$/) });
    expect(line.lastError!.message).not.toMatch(/Morgan|Rivera|\+1|555/);
    expect(store.directory.counts().users).toBe(0);
  });

  it('sets aside one user that does not fit the schema, by line, and applies the others', async () => {
    const files = await writeFeed('c1', (tenant) => {
      (tenant.users[1] as Record<string, unknown>).accountEnabled = 'yes';
    });
    const status = await syncOf(files.manifestPath).syncNow();
    expect(status.lastError).toBeNull();
    const setAside = applied[0]!.setAside;
    expect(setAside).toEqual([expect.objectContaining({ record: 'user', id: sixPersonTenant().users[1]!.id, code: 'invalid-user' })]);
    expect(setAside[0]!.reason).toMatch(/^line 3 \(user .+\): accountEnabled:/);
    // Held withheld: present, but never able to sign in.
    expect(store.directory.counts().users).toBe(6);
    expect(store.directory.displayNameOf(sixPersonTenant().users[1]!.id)).toBe('Set aside by directory sync');
  });

  it('refuses a feed holding one user id twice, far apart, and changes nothing', async () => {
    const files = await writeFeed('c1', (tenant) => tenant.users.push({ ...tenant.users[0]!, displayName: 'Twin' }));
    const status = await syncOf(files.manifestPath).syncNow();
    expect(status.lastError).toMatchObject({ reason: 'invalid-directory', message: `user id ${sixPersonTenant().users[0]!.id} appears more than once.` });
    expect(store.directory.counts().users).toBe(0);
    expect(stagedRows()).toBe(0);
  });

  it('blames the digest, quoting nothing, when an altered file would also be refused for its content', async () => {
    const files = await writeFeed('c1');
    // One user's id made another's (no longer, so the file is not longer than signed): a user
    // id twice, which alone would be refused as invalid-directory, naming the id.
    const [first, second] = sixPersonTenant().users.slice(0, 2).sort((a, b) => a.id.length - b.id.length);
    tamper(files.feedPath, `"id":"${second!.id}"`, `"id":"${first!.id}"`.padEnd(`"id":"${second!.id}"`.length, ' '));
    const twice = await syncOf(files.manifestPath).syncNow();
    expect(twice.lastError).toMatchObject({ reason: 'manifest-mismatch', message: expect.stringMatching(/does not match the SHA-256/) });

    // Same length: a header key no schema knows, which would be refused quoting it.
    const again = await writeFeed('c1');
    tamper(again.feedPath, '"organizationName":', '"Maria +46 70 123":');
    const header = await syncOf(again.manifestPath).syncNow();
    expect(header.lastError).toMatchObject({ reason: 'manifest-mismatch' });
    expect(JSON.stringify(header.lastError)).not.toContain('Maria');
    expect(JSON.stringify(store.audit.query({ types: ['sync.apply'], limit: 50 }))).not.toContain('Maria');
    expect(store.directory.counts().users).toBe(0);
  });

  it('closes the file when it refuses a header, whatever it refuses it for', async () => {
    // Larger than one read (1 MiB), so the file is still open when the header is refused.
    const files = await writeFeed('c1', (tenant) => {
      for (let i = 0; i < 8000; i += 1) tenant.users.push({ ...tenant.users[0]!, id: `filler-${i}`, displayName: `Filler ${i}`, phoneMethods: [] });
    });
    expect(files.bytes).toBeGreaterThan(1024 * 1024);
    const lines = readFileSync(files.feedPath, 'utf8').split('\n');
    lines[0] = lines[0]!.replace('"cursor":"c1"', '"cursor":"c0"');
    await republish(files, Buffer.from(lines.join('\n')));
    const sync = syncOf(files.manifestPath);
    const before = openFiles();
    for (let i = 0; i < 5; i += 1) expect((await sync.syncNow()).lastError).toMatchObject({ reason: 'manifest-mismatch', message: expect.stringMatching(/header's cursor/) });
    expect(openFiles()).toBe(before);
  });

  it('reads a last line without a newline, and blank lines, counting lines as an editor does', async () => {
    const files = await writeFeed('c1', (tenant) => {
      (tenant.users[4] as Record<string, unknown>).accountEnabled = 'no';
    });
    const lines = readFileSync(files.feedPath, 'utf8').trimEnd().split('\n');
    // Header, blank, blank, then the users; the file ends without a newline.
    await republish(files, Buffer.from([lines[0], '', '  ', ...lines.slice(1)].join('\n')));
    expect((await syncOf(files.manifestPath).syncNow()).lastError).toBeNull();
    expect(store.directory.counts().users).toBe(6);
    // The fifth user is on line 8 (header, two blank lines, four users before).
    expect(applied[0]!.setAside).toEqual([expect.objectContaining({ id: sixPersonTenant().users[4]!.id, reason: expect.stringMatching(/^line 8 /) })]);
    expect(store.directory.displayNameOf(sixPersonTenant().users[5]!.id)).toBe(sixPersonTenant().users[5]!.displayName);
  });

  it('refuses a manifest naming a file outside its own folder', async () => {
    const files = await writeFeed('c1');
    const manifest = JSON.parse(readFileSync(files.manifestPath, 'utf8')) as { feed: Record<string, unknown> };
    const signed = await sign(JSON.stringify({ ...manifest, feed: { ...manifest.feed, name: '../../etc/passwd' } }));
    writeFileSync(files.manifestPath, signed.body);
    writeFileSync(`${files.manifestPath}.jws`, signed.jws!);
    const status = await syncOf(files.manifestPath).syncNow();
    expect(status.lastError).toMatchObject({ reason: 'schema', message: expect.stringMatching(/at feed\.name: must be a plain file name beside the manifest/) });
  });
});

describe('a streamed feed over HTTP', () => {
  let server: LoopbackServer;
  let stall: ((response: ServerResponse, body: Buffer) => void) | null;
  beforeEach(async () => {
    stall = null;
    // A static file server as a CDN is: files by name, strong ETags, a bearer token required.
    server = await startLoopbackServer((request, response) => {
      if (request.headers.authorization !== 'Bearer cdn-token-77') return void response.writeHead(401).end();
      const name = new URL(request.path, 'http://cdn.test').pathname.replace(/^\/fleet\//, '');
      let body: Buffer;
      try {
        body = readFileSync(path.join(folder.dir, name));
      } catch {
        return void response.writeHead(404).end();
      }
      const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
      if (request.headers['if-none-match'] === etag) return void response.writeHead(304, { ETag: etag }).end();
      if (stall && name.endsWith('.ndjson')) return stall(response, body);
      response.writeHead(200, { ETag: etag, 'Content-Type': name.endsWith('.ndjson') ? 'application/x-ndjson' : 'application/json' }).end(body);
    });
  });
  afterEach(() => server.close());

  async function tokenSync(): Promise<SyncScheduler> {
    const secrets = new MemorySecretStore();
    await secrets.set('cdn-token', 'cdn-token-77');
    return syncOf(`${server.origin}/fleet/feed.manifest.json`, secrets, 'cdn-token');
  }

  it('fetches the file the manifest names beside it, with the bearer token, and answers 304s as unchanged', async () => {
    await writeFeed('c1');
    const sync = await tokenSync();
    expect((await sync.syncNow()).lastError).toBeNull();
    expect(store.directory.counts().users).toBe(6);
    expect(server.requests.map((request) => new URL(request.path, 'http://x').pathname)).toEqual([
      '/fleet/feed.manifest.json',
      '/fleet/feed.manifest.json.jws',
      '/fleet/feed.ndjson',
    ]);
    expect((await sync.syncNow()).lastError).toBeNull();
    // The manifest's ETag answered 304: the large file is not read again.
    expect(server.requests.slice(3).map((request) => new URL(request.path, 'http://x').pathname)).toEqual(['/fleet/feed.manifest.json']);
    expect(applied).toHaveLength(1);
  });

  it('takes as long as a slow link needs, but not a silent one', async () => {
    const files = await writeFeed('c1');
    const body = readFileSync(files.feedPath);
    const secrets = new MemorySecretStore();
    await secrets.set('cdn-token', 'cdn-token-77');
    const slowSync = (silentAfter: number | null) => {
      stall = (response, whole) => {
        response.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
        const pieces = 10;
        const size = Math.ceil(whole.length / pieces);
        let sent = 0;
        const next = () => {
          if (silentAfter !== null && sent === silentAfter) return;
          response.write(whole.subarray(sent * size, (sent + 1) * size));
          sent += 1;
          if (sent < pieces) setTimeout(next, 100);
          else response.end();
        };
        next();
      };
      const source = new SignedFeedSource(
        { location: `${server.origin}/fleet/feed.manifest.json`, publicKey: trustedPublicPem, bearerTokenSecret: 'cdn-token', timeoutMs: 600 },
        { secrets, clock: store.clock },
      );
      const { db, directory, audit, clock } = store;
      return new SyncScheduler({}, { source, sourceId: source.id, db, directory, audit, clock, scheduler: clock, random: seededRandom() });
    };
    // Ten pieces 100 ms apart: half again the 600 ms timeout in all, never 600 ms silent
    // (500 ms to spare for a busy machine).
    const silent = await slowSync(3).syncNow();
    expect(silent.lastError).toMatchObject({ reason: 'timeout', message: `The streamed feed at ${server.origin}/fleet/feed.ndjson sent nothing for 600 ms (timeoutMs).` });
    expect(store.directory.counts().users).toBe(0);
    expect((await slowSync(null).syncNow()).lastError).toBeNull();
    expect(store.directory.counts().users).toBe(6);
    expect(body.length).toBeGreaterThan(10);
  });

  it('refuses when the streamed file is missing, naming it', async () => {
    const files = await writeFeed('c1');
    writeFileSync(files.feedPath, '');
    const { rmSync } = await import('node:fs');
    rmSync(files.feedPath);
    const status = await (await tokenSync()).syncNow();
    expect(status.lastError).toMatchObject({ reason: 'http-404', message: `The streamed feed at ${server.origin}/fleet/feed.ndjson answered HTTP 404.` });
  });

  it('applies nothing of a download stopped halfway, then applies the whole file the next time', async () => {
    const files = await writeFeed('c1');
    stall = (response, body) => {
      response.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      response.write(body.subarray(0, Math.floor(body.length / 2)));
      setTimeout(() => response.destroy(), 20);
    };
    const sync = await tokenSync();
    const cut = await sync.syncNow();
    expect(cut.lastError).toMatchObject({ reason: 'network' });
    expect(store.directory.counts().users).toBe(0);
    expect(stagedRows()).toBe(0);

    stall = null;
    expect((await sync.syncNow()).lastError).toBeNull();
    expect(store.directory.counts().users).toBe(6);
    expect(files.users).toBe(6);
  });
});

describe('feed-tool stream and verify', () => {
  it('turns a signed snapshot into a streamed feed that verifies and that a kiosk applies', async () => {
    const keyFile = path.join(folder.dir, 'signing.pem');
    writeFileSync(keyFile, trustedKey.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const publicFile = path.join(folder.dir, 'public.pem');
    writeFileSync(publicFile, trustedPublicPem);
    const feedFile = path.join(folder.dir, 'store-0142.json');
    writeFileSync(feedFile, snapshotFeed('c1'));
    const out: string[] = [];
    const output = { out: (text: string) => out.push(text), err: (text: string) => out.push(text) };

    expect(await feedTool(['stream', feedFile, '--key', keyFile], output)).toBe(0);
    expect(out.join('\n')).toMatch(/store-0142\.ndjson \(6 users, \d+ bytes\)/);
    const manifestFile = path.join(folder.dir, 'store-0142.manifest.json');
    expect(await feedTool(['verify', manifestFile, '--public-key', publicFile], output)).toBe(0);
    expect(out.at(-1)).toMatch(/matches its length and SHA-256 .*snapshot, 6 users, cursor c1/);

    tamper(path.join(folder.dir, 'store-0142.ndjson'), '"c1"', '"c2"');
    expect(await feedTool(['verify', manifestFile, '--public-key', publicFile], output)).toBe(1);
    expect(out.at(-1)).toMatch(/feed-tool verify: .*does not match the SHA-256 in its signed manifest/);
  });
});
