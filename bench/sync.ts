import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { copyDatabase, openDatabase } from '../src-main/core/store/database';
import { openFeedFileSync, type FeedFile, type FeedFileSync } from '../test/hardening/signed-feed-file';
import { writeLargeDeltaFeed, writeLargeSnapshotFeed, writeLargeStreamedFeed } from './large-feed';
import { measure, progress } from './measure';

export const SYNC_USERS = 100_000;
const DELTA_CHANGES = 1_000;

export interface SyncMetrics {
  /** The streamed feed (signed manifest, NDJSON): the form for a large directory. */
  sync_full_100k_ms: number;
  sync_vs_bulk_insert_ratio: number;
  sync_delta_1k_ms: number;
  /** Over the bare statements of the same delta on a freshly opened copy (SQLite's own cost of it). */
  sync_delta_vs_bare_ratio: number;
  sync_peak_rss_mb: number;
  db_size_100k_mb: number;
  /** The same directory as one detached-signed JSON file, held whole. */
  sync_full_100k_detached_ms: number;
  sync_peak_rss_detached_mb: number;
}

/**
 * The directory sync of a big store, through the real path: SignedFeedSource reads a signed
 * feed file, checks its Ed25519 signature, parses and validates it, and SyncScheduler
 * applies it (numbers normalised, one transaction) with its cursor and audit event. Both
 * forms of the feed: streamed (a signed manifest and NDJSON, staged batch by batch), which
 * the main keys measure, and one detached-signed JSON file, held whole (`_detached`).
 * Leaves `baseStore`: a checkpointed kiosk.db holding the 100,000 users, for the sign-in
 * benchmarks.
 */
export async function measureSync(work: string, childScript: string): Promise<{ metrics: SyncMetrics; baseStore: string }> {
  const feedDir = path.join(work, 'feed');
  progress(`writing a signed ${SYNC_USERS.toLocaleString('en')}-user feed`);
  const snapshot = await writeLargeSnapshotFeed(feedDir, SYNC_USERS);
  const streamed = await writeLargeStreamedFeed(path.join(work, 'streamed-feed'), SYNC_USERS);
  progress(`feed of ${(snapshot.bytes / 1e6).toFixed(1)} MB (streamed: ${(streamed.bytes / 1e6).toFixed(1)} MB); building the base store`);
  const baseDir = path.join(work, 'base');
  const base = openFeedFileSync(baseDir, snapshot);
  await base.syncNow();
  base.db.pragma('wal_checkpoint(TRUNCATE)');
  const rows = storedRows(base);
  base.close();
  const baseStore = path.join(baseDir, 'kiosk.db');

  // Each run gets a fresh folder, removed after it: a 100,000-user store is 40 MB.
  let run = 0;
  let runDir = '';
  let store: FeedFileSync | null = null;
  const fresh = (name: string) => {
    runDir = path.join(work, `${name}-${(run += 1)}`);
    mkdirSync(runDir, { recursive: true });
    return runDir;
  };
  const closeStore = () => {
    store?.close();
    store = null;
    rmSync(runDir, { recursive: true, force: true });
  };

  progress('full sync of the streamed feed into an empty store');
  const full = await measure('sync.full', async () => void (await store!.syncNow()), {
    iterations: 3,
    warmupIterations: 1,
    beforeEach: () => void (store = openFeedFileSync(fresh('full'), streamed)),
    afterEach: closeStore,
  });
  progress('full sync of the detached-signed JSON feed into an empty store');
  const fullDetached = await measure('sync.fullDetached', async () => void (await store!.syncNow()), {
    iterations: 3,
    warmupIterations: 1,
    beforeEach: () => void (store = openFeedFileSync(fresh('full'), snapshot)),
    afterEach: closeStore,
  });

  progress('bare bulk insert of the same rows in one transaction');
  let bulkDb: ReturnType<typeof openDatabase> | null = null;
  const bulk = await measure('sync.bulkInsert', () => insertRows(bulkDb!, rows), {
    iterations: 3,
    warmupIterations: 1,
    beforeEach: () => void (bulkDb = openDatabase(path.join(fresh('bulk'), 'kiosk.db'))),
    afterEach: () => {
      bulkDb?.close();
      rmSync(runDir, { recursive: true, force: true });
    },
  });

  progress('peak memory of one full sync, alone in a child process: streamed, then detached');
  const child = await runChild(childScript, fresh('rss'), streamed);
  rmSync(runDir, { recursive: true, force: true });
  const childDetached = await runChild(childScript, fresh('rss'), snapshot);
  rmSync(runDir, { recursive: true, force: true });

  progress(`a ${DELTA_CHANGES.toLocaleString('en')}-change delta to the 100,000-user store`);
  // The same path as the snapshot: the store's sync state belongs to that source.
  await writeLargeDeltaFeed(feedDir, SYNC_USERS, DELTA_CHANGES);
  const delta = await measure('sync.delta', async () => void (await store!.syncNow()), {
    iterations: 10,
    warmupIterations: 3,
    beforeEach: () => {
      const dir = fresh('delta');
      copyDatabase(baseStore, path.join(dir, 'kiosk.db'));
      store = openFeedFileSync(dir, snapshot);
    },
    afterEach: () => {
      const users = store!.directory.counts().users;
      closeStore();
      if (users !== SYNC_USERS - DELTA_CHANGES / 4) throw new Error(`the delta left ${users} users`);
    },
  });

  progress(`the bare statements of that delta on a fresh copy of the store: ${DELTA_CHANGES.toLocaleString('en')} users rewritten or removed`);
  const bareDelta = await measure('sync.deltaBare', () => bareDeltaWrite(bulkDb!), {
    iterations: 10,
    warmupIterations: 3,
    beforeEach: () => {
      const dir = fresh('delta-bare');
      copyDatabase(baseStore, path.join(dir, 'kiosk.db'));
      bulkDb = openDatabase(path.join(dir, 'kiosk.db'));
    },
    afterEach: () => {
      bulkDb?.close();
      rmSync(runDir, { recursive: true, force: true });
    },
  });

  return {
    baseStore,
    metrics: {
      sync_full_100k_ms: full.p50,
      sync_vs_bulk_insert_ratio: full.p50 / bulk.p50,
      sync_delta_1k_ms: delta.p50,
      sync_delta_vs_bare_ratio: delta.p50 / bareDelta.p50,
      sync_peak_rss_mb: child.peakRssMb,
      db_size_100k_mb: child.databaseMb,
      sync_full_100k_detached_ms: fullDetached.p50,
      sync_peak_rss_detached_mb: childDetached.peakRssMb,
    },
  };
}

/**
 * The delta's writes with nothing around them, as `largeDelta` makes them: every 100th user,
 * three in four rewritten (phones and memberships replaced), one in four removed; one
 * transaction, numbers already E.164.
 */
function bareDeltaWrite(db: ReturnType<typeof openDatabase>): void {
  const step = SYNC_USERS / DELTA_CHANGES;
  const phones = db.prepare('DELETE FROM phone_methods WHERE user_id = ?');
  const members = db.prepare('DELETE FROM group_members WHERE user_id = ?');
  const user = db.prepare('DELETE FROM users WHERE id = ?');
  const rename = db.prepare('UPDATE users SET display_name = ?, sync_fingerprint = ? WHERE id = ?');
  const member = db.prepare('INSERT OR IGNORE INTO group_members (group_id, user_id) VALUES (?, ?)');
  const phone = db.prepare("INSERT INTO phone_methods (id, user_id, phone_number, phone_type, sms_sign_in_state, directory_sms_sign_in_state) VALUES (?, ?, ?, 'mobile', 'ready', 'ready')");
  db.transaction(() => {
    for (let k = 0; k < DELTA_CHANGES; k += 1) {
      const i = k * step;
      const id = `user-${i}`;
      phones.run(id);
      members.run(id);
      if (k % 4 === 3) {
        user.run(id);
        continue;
      }
      rename.run(`Renamed ${i}`, `bare-${i}`, id);
      member.run(`grp-${i % 50}`, id);
      member.run(`grp-${(i * 7) % 50}`, id);
      phone.run(`${id}-mobile`, id, `+46${70_1000_000 + i}`);
    }
  })();
}

interface StoredRows {
  groups: unknown[][];
  users: unknown[][];
  members: unknown[][];
  phones: unknown[][];
}

/** Exactly the rows the sync wrote, to insert them again with nothing else around. */
function storedRows(store: FeedFileSync): StoredRows {
  const all = (sql: string) => store.db.prepare(sql).raw().all() as unknown[][];
  return {
    groups: all('SELECT id, display_name FROM groups'),
    users: all('SELECT id, display_name, user_principal_name, account_enabled, is_privileged, sync_fingerprint FROM users'),
    members: all('SELECT group_id, user_id FROM group_members'),
    phones: all('SELECT id, user_id, phone_number, phone_type, sms_sign_in_state, directory_sms_sign_in_state FROM phone_methods'),
  };
}

function insertRows(db: ReturnType<typeof openDatabase>, rows: StoredRows): void {
  const group = db.prepare('INSERT INTO groups (id, display_name) VALUES (?, ?)');
  const user = db.prepare('INSERT INTO users (id, display_name, user_principal_name, account_enabled, is_privileged, sync_fingerprint) VALUES (?, ?, ?, ?, ?, ?)');
  const member = db.prepare('INSERT INTO group_members (group_id, user_id) VALUES (?, ?)');
  const phone = db.prepare(
    'INSERT INTO phone_methods (id, user_id, phone_number, phone_type, sms_sign_in_state, directory_sms_sign_in_state) VALUES (?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (const row of rows.groups) group.run(row);
    for (const row of rows.users) user.run(row);
    for (const row of rows.members) member.run(row);
    for (const row of rows.phones) phone.run(row);
  })();
}

export interface ChildSync {
  ms: number;
  peakRssMb: number;
  databaseMb: number;
}

/** One full sync of `feed` into an empty store in `dataDir`, alone in a child process (bench/sync-peak-memory.ts). */
export function runChild(script: string, dataDir: string, feed: FeedFile): Promise<ChildSync> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, dataDir, feed.feedPath], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`the sync child exited with ${code}: ${err}`));
      else resolve(JSON.parse(out) as ChildSync);
    });
    child.stdin.end(feed.publicKeyPem);
  });
}
