import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/result';
import type { SessionView } from '../../../shared/contract';
import { silentLogger } from '../../../src-main/core/base/log';
import { deviceConfigSchema } from '../../../src-main/core/config/device-config';
import { hashAdminPin } from '../../../src-main/core/idp/admin-pin';
import { createKiosk, type Kiosk } from '../../../src-main/core/kiosk';
import { MemorySecretStore } from '../../../src-main/core/secrets/memory-secret-store';
import { directoryFileOf, openDatabase, openDirectoryDatabase } from '../../../src-main/core/store/database';
import { FakeClock, seededRandom, tempDir } from '../../fakes';
import { FakeStopwatch } from '../kiosk-harness';
import { startLoopbackServer, type LoopbackServer } from '../sms/loopback-server';
import { writeStreamedFeed } from '../../../src-main/cli/streamed-feed';
import { sign, sixPersonTenant, snapshotFeed, trustedKey, trustedPublicPem, type SignedFeed } from './feed/feed-fixtures';

// The live kiosk's sync on its real worker thread (the bundled entry, as dist/main holds
// it) against a feed server on loopback: the directory lands through the worker's own
// connection, and its consequences (counts, revocation) reach the contract's thread.

let temp: ReturnType<typeof tempDir>;
let workerDir: string;
let workerFile: string;
let feedServer: LoopbackServer;
let feed: SignedFeed;
let kiosk: Kiosk;
let texts: string[];

beforeAll(async () => {
  temp = tempDir('kiosk-sync-worker-');
  // Inside node_modules, as bench/ bundles: the bundle finds better-sqlite3 at run time.
  // A fresh clone has no node_modules/.cache yet.
  const cacheDir = path.resolve(__dirname, '../../../node_modules/.cache');
  mkdirSync(cacheDir, { recursive: true });
  workerDir = mkdtempSync(path.join(cacheDir, 'sync-worker-test-'));
  workerFile = path.join(workerDir, 'sync-worker.js');
  await build({
    entryPoints: [path.resolve(__dirname, '../../../src-main/core/sync/sync-worker-thread.ts')],
    outfile: workerFile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['better-sqlite3', 'keytar', 'electron'],
    logLevel: 'error',
  });
  feed = await sign(snapshotFeed('c1'));
  feedServer = await startLoopbackServer((request, response) => {
    const body = request.path.startsWith('/feed.json.jws') ? feed.jws! : feed.body;
    response.writeHead(200, { 'content-type': 'application/json', etag: `"${feed.jws!.slice(-12)}"` }).end(body);
  });
  texts = [];
  kiosk = await openWorkerKiosk(temp.dir);
});

afterAll(async () => {
  kiosk?.close();
  await feedServer?.close();
  temp?.remove();
  if (workerDir) rmSync(workerDir, { recursive: true, force: true });
});

/** A live kiosk reading the loopback feed, its sync on the bundled worker thread. */
async function openWorkerKiosk(dataDir: string, more: Record<string, unknown> = {}): Promise<Kiosk> {
  const secrets = new MemorySecretStore();
  await secrets.set('admin-pin-hash', await hashAdminPin('482913', seededRandom('pin')));
  const config = deviceConfigSchema.parse({
    deviceName: 'Till 4',
    directory: { source: 'feed', feed: { location: `${feedServer.origin}/feed.json`, publicKey: trustedPublicPem } },
    sms: { provider: 'webhook', url: 'http://127.0.0.1:9/unused', signingSecret: 'unused' },
    ...more,
  });
  const clock = new FakeClock();
  return createKiosk(
    { mode: 'live', config },
    {
      dataDir,
      version: 'test',
      clock,
      scheduler: clock,
      random: seededRandom('worker'),
      secrets,
      stopwatch: new FakeStopwatch(),
      log: silentLogger,
      smsSender: { provider: 'test', send: async (message) => void texts.push(message.body) },
      syncWorkerFile: workerFile,
    },
  );
}

async function syncNow(on: Kiosk = kiosk) {
  await on.handlers['admin.open']({ pin: '482913' });
  return on.handlers['admin.syncNow']({});
}

async function signIn(phone: string): Promise<Result<SessionView>> {
  const started = await kiosk.handlers['signIn.start']({ phone });
  if (!started.ok || started.value.state !== 'challenge') return started;
  return kiosk.handlers['signIn.verify']({ challengeId: started.value.challengeId, code: /\b(\d{6})\b/.exec(texts.at(-1)!)![1]! });
}

describe('the sync worker thread', () => {
  it('applies a feed from the server through its own connection, and the kiosk signs its workers in', async () => {
    expect(await syncNow()).toMatchObject({ ok: true, value: { users: 6, lastSync: { ok: true } } });
    expect(await signIn('2065550100')).toMatchObject({ ok: true, value: { state: 'active', user: { displayName: 'Alex Rivera' } } });
  });

  it("signs a worker in while a sync holds the directory file's write lock: sign-in writes only the kiosk file", async () => {
    expect(await kiosk.handlers['session.signOut']({})).toMatchObject({ ok: true, value: { state: 'ready' } });
    // What the worker's transaction holds while it applies a large directory.
    const sync = openDirectoryDatabase(directoryFileOf(path.join(temp.dir, 'kiosk.db')));
    try {
      sync.exec('BEGIN IMMEDIATE');
      sync.prepare('UPDATE users SET display_name = display_name').run();
      expect(await signIn('2065550100')).toMatchObject({ ok: true, value: { state: 'active', user: { displayName: 'Alex Rivera' } } });
    } finally {
      sync.exec('ROLLBACK');
      sync.close();
    }
  });

  it('signs a worker out on the main thread when the worker applies a feed that disables them', async () => {
    feed = await sign(snapshotFeed('c2', (next) => (next.users[0]!.accountEnabled = false)));
    expect(await syncNow()).toMatchObject({ ok: true, value: { lastSync: { ok: true } } });
    expect(await kiosk.handlers['session.current']({})).toEqual({ ok: true, value: { state: 'ready', signedOut: 'revoked' } });
    const db = openDatabase(path.join(temp.dir, 'kiosk.db'));
    try {
      expect(db.prepare('SELECT account_enabled FROM users WHERE display_name = ?').pluck().get('Alex Rivera')).toBe(0);
    } finally {
      db.close();
    }
  });

  it('reports a refused feed from the worker as the sync error, changing nothing', async () => {
    feed = { ...(await sign(snapshotFeed('c3', (next) => (next.users[1]!.displayName = 'Mallory')))), jws: feed.jws };
    expect(await syncNow()).toMatchObject({ ok: true, value: { lastSync: { ok: false } } });
    expect(await kiosk.handlers['admin.status']({})).toMatchObject({ ok: true, value: { users: 6 } });
  });
});

describe('the audit log during a worker sync', () => {
  // Found in review: the worker's audit log had no prune floor, so a sync recording 500
  // events pruned by retention alone, deleting events the audit upload had not delivered.
  it('keeps every event the upload has not delivered, however many the sync records', async () => {
    const folder = tempDir('kiosk-sync-worker-audit-');
    const uploading = await openWorkerKiosk(folder.dir, { auditUpload: { url: 'http://127.0.0.1:9/unreachable' } });
    const before = feed;
    const keepFew = (next: Record<string, unknown>) => (next.kioskSettings = { ...(next.kioskSettings as object), auditMaxRows: 1000 });
    try {
      feed = await sign(snapshotFeed('c-few', keepFew));
      expect(await syncNow(uploading)).toMatchObject({ ok: true, value: { lastSync: { ok: true } } });
      // 1,200 events the upload (unreachable) has not delivered: more than retention's 1,000 rows.
      for (let i = 0; i < 1200; i += 1) uploading.audit.record({ type: 'admin.action', outcome: 'success', reason: `held-${i}` });
      const held = () => uploading.audit.query({ types: ['admin.action'], limit: 100_000 }).filter((e) => e.reason?.startsWith('held-')).length;
      expect(held()).toBe(1200);

      // 1,000 more people in pairs sharing a number: 500 duplicate-number events in one sync.
      feed = await sign(
        snapshotFeed('c-pairs', (next) => {
          keepFew(next);
          const template = next.users[0]!;
          for (let i = 0; i < 1000; i += 1) {
            const number = `+1 206 555 ${String(2000 + Math.floor(i / 2))}`;
            next.users.push({ ...template, id: `u-pair-${i}`, userPrincipalName: `pair-${i}@contoso-demo.example`, phoneMethods: template.phoneMethods!.map((phone) => ({ ...phone, id: `pm-pair-${i}`, phoneNumber: number })) });
          }
        }),
      );
      expect(await syncNow(uploading)).toMatchObject({ ok: true, value: { lastSync: { ok: true } } });
      expect(held()).toBe(1200);
    } finally {
      feed = before;
      uploading.close();
      folder.remove();
    }
  }, 120_000);
});

describe('a streamed feed through the worker thread', () => {
  it('stages and applies a manifest-signed NDJSON feed on its own connection; a worker ended mid-download leaves nothing, and the next kiosk applies it all', async () => {
    const folder = tempDir('kiosk-worker-streamed-');
    const { users, ...header } = sixPersonTenant();
    await writeStreamedFeed(folder.dir, 'feed', { ...header, cursor: 's1', generatedAt: '2026-11-22T06:00:00Z' }, users, trustedKey.privateKey);
    let stallHalfway = true;
    let halfSent: () => void = () => undefined;
    const sentHalf = new Promise<void>((resolve) => (halfSent = resolve));
    const server = await startLoopbackServer((request, response) => {
      const name = new URL(request.path, 'http://x').pathname.slice(1);
      const body = readFileSync(path.join(folder.dir, name));
      if (name.endsWith('.ndjson') && stallHalfway) {
        // Half the file, then nothing: the download hangs until the kiosk goes away.
        response.writeHead(200, { 'content-type': 'application/x-ndjson' });
        response.write(body.subarray(0, body.length >> 1), () => halfSent());
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    const dataDir = path.join(temp.dir, 'streamed');
    const location = { directory: { source: 'feed', feed: { location: `${server.origin}/feed.manifest.json`, publicKey: trustedPublicPem } } };
    try {
      const first = await openWorkerKiosk(dataDir, location);
      const syncing = syncNow(first);
      await sentHalf;
      first.close();
      await syncing.catch(() => undefined);
      const db = openDatabase(path.join(dataDir, 'kiosk.db'));
      try {
        expect(db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(0);
      } finally {
        db.close();
      }

      stallHalfway = false;
      const second = await openWorkerKiosk(dataDir, location);
      try {
        expect(await syncNow(second)).toMatchObject({ ok: true, value: { users: 6, lastSync: { ok: true } } });
      } finally {
        second.close();
      }
    } finally {
      await server.close();
      folder.remove();
    }
  });
});
