import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyDatabase, openDatabase, type KioskDatabase } from '../../src-main/core/store/database';
import { largeSnapshot } from '../core/sync/large-directory';
import { dumpDirectory } from '../core/sync/feed/feed-fixtures';
import { tempDir } from '../fakes';
import { openFeedFileSync, writeSignedFeed, writeSignedStreamedFeed, type FeedFile } from './signed-feed-file';

/**
 * A sync killed at any moment (power cut, OOM killer, a crash) leaves the store exactly as
 * it was or exactly as the feed says, once the kiosk has opened it again. A child process
 * applies a 20,000-user snapshot over a store holding an older one (the directory in its own
 * file, then the cursor and audit in the kiosk file); the parent SIGKILLs it after a random
 * delay, opens the store as a restarted kiosk does (which finishes a sync killed between its
 * two commits), then checks both files and fingerprints the directory. Every other trial
 * syncs the same directory as a streamed feed (a signed manifest and NDJSON, staged batch by
 * batch), whose result must be the very same directory.
 */

const USERS = 20_000;
const TRIALS = 50;
const SEED = 2026;

const repoRoot = path.resolve(import.meta.dirname, '../..');
let work: ReturnType<typeof tempDir>;
let childScript: string;
let baseStore: string;
let newFeed: FeedFile;
let newStreamedFeed: FeedFile;
let oldFingerprint: string;
let newFingerprint: string;
let newStreamedFingerprint: string;
let referenceSyncMs: number;
let streamedReferenceSyncMs: number;

/** The old directory with a fifth of its users renamed, a tenth gone, 2,000 new, and some numbers now shared. */
function changedSnapshot() {
  const snapshot = largeSnapshot(USERS);
  const newcomers = largeSnapshot(USERS + USERS / 10).users.slice(USERS);
  const users = snapshot.users.filter((_, i) => i % 10 !== 3);
  users.forEach((user, i) => {
    if (i % 5 === 0) user.displayName = `Renamed ${i}`;
    if (i % 97 === 0 && users[i + 1]) user.phoneMethods = [{ ...user.phoneMethods![0]!, phoneNumber: users[i + 1]!.phoneMethods![0]!.phoneNumber }];
  });
  return { ...snapshot, users: [...users, ...newcomers] };
}

/** The directory, the sync cursor and the applied-sync audit events, hashed: equal fingerprints, equal stores. */
function fingerprintOf(db: KioskDatabase): string {
  const cursor = db.prepare('SELECT cursor FROM directory_sync_state').pluck().get();
  const applied = db.prepare("SELECT count(*) FROM audit_events WHERE type = 'sync.apply' AND outcome = 'success'").pluck().get();
  return createHash('sha256').update(JSON.stringify({ directory: dumpDirectory(db), cursor, applied })).digest('hex');
}

interface SyncRun {
  /** Killed before it said it was done. */
  killedMidway: boolean;
  /** From `syncing` to `done`, when it got there. */
  syncMs: number | null;
}

/**
 * Runs the child on `dataDir`; with `killAfterMs`, SIGKILLs it that long after it starts
 * syncing, or with `'afterCommit'` the moment it says the sync is applied (before it closes).
 */
function runSync(dataDir: string, killAfterMs: number | 'afterCommit' | null, feed: FeedFile = newFeed): Promise<SyncRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, dataDir, feed.feedPath], {
      // The bundle lives in a temp folder: it finds better-sqlite3 through NODE_PATH.
      env: { ...process.env, NODE_PATH: path.join(repoRoot, 'node_modules') },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let startedAt = 0;
    let doneAt = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!startedAt && out.includes('syncing\n')) {
        startedAt = performance.now();
        if (typeof killAfterMs === 'number') setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
      if (!doneAt && out.includes('done\n')) {
        doneAt = performance.now();
        if (killAfterMs === 'afterCommit') child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`the sync child failed (${code}): ${err}`));
      else resolve({ killedMidway: signal === 'SIGKILL' && !doneAt, syncMs: doneAt ? doneAt - startedAt : null });
    });
    child.stdin.end(feed.publicKeyPem);
  });
}

function copyOfBase(name: string): string {
  const dir = path.join(work.dir, name);
  mkdirSync(dir, { recursive: true });
  copyDatabase(baseStore, path.join(dir, 'kiosk.db'));
  return dir;
}

/** Opens what the killed child left as the kiosk would (SQLite replays or discards each WAL) and checks it. */
function inspect(dataDir: string): { integrity: unknown; foreignKeyProblems: unknown[]; fingerprint: string } {
  const db = openDatabase(path.join(dataDir, 'kiosk.db'));
  try {
    return {
      integrity: [db.pragma('main.integrity_check', { simple: true }), db.pragma('directory.integrity_check', { simple: true })].join(', '),
      foreignKeyProblems: [...(db.pragma('main.foreign_key_check') as unknown[]), ...(db.pragma('directory.foreign_key_check') as unknown[])],
      fingerprint: fingerprintOf(db),
    };
  } finally {
    db.close();
  }
}

/** Repeatable delays (mulberry32): a failing trial can be replayed from SEED. */
function seededUnit(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), state | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
}

beforeAll(async () => {
  work = tempDir('kiosk-crash-');
  childScript = path.join(work.dir, 'crash-safety-sync.js');
  await build({
    entryPoints: [path.join(import.meta.dirname, 'crash-safety-sync.ts')],
    outfile: childScript,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['better-sqlite3', 'keytar', 'electron'],
    logLevel: 'error',
  });

  const feedDir = path.join(work.dir, 'feed');
  const oldFeed = await writeSignedFeed(feedDir, { kind: 'snapshot', cursor: 'c1', generatedAt: '2026-11-22T06:00:00Z', ...largeSnapshot(USERS) });
  const base = openFeedFileSync(path.join(work.dir, 'base'), oldFeed);
  await base.syncNow();
  base.db.pragma('wal_checkpoint(TRUNCATE)');
  oldFingerprint = fingerprintOf(base.db);
  base.close();
  baseStore = path.join(work.dir, 'base', 'kiosk.db');

  // The next version of the directory, published where the store's source reads.
  newFeed = await writeSignedFeed(feedDir, { kind: 'snapshot', cursor: 'c2', generatedAt: '2026-11-22T06:15:00Z', ...changedSnapshot() });
  const reference = copyOfBase('reference');
  const finished = await runSync(reference, null);
  referenceSyncMs = finished.syncMs!;
  const inspected = inspect(reference);
  newFingerprint = inspected.fingerprint;
  expect(inspected.integrity).toBe('ok, ok');

  const { users, ...header } = changedSnapshot();
  newStreamedFeed = await writeSignedStreamedFeed(path.join(work.dir, 'streamed-feed'), { cursor: 'c2', generatedAt: '2026-11-22T06:15:00Z', ...header }, users);
  const streamedReference = copyOfBase('streamed-reference');
  streamedReferenceSyncMs = (await runSync(streamedReference, null, newStreamedFeed)).syncMs!;
  newStreamedFingerprint = inspect(streamedReference).fingerprint;
  // The streamed form lands the very same directory as the one-file form (its cursor differs).
  const dumpOf = (dir: string) => {
    const db = openDatabase(path.join(dir, 'kiosk.db'));
    try {
      return dumpDirectory(db);
    } finally {
      db.close();
    }
  };
  expect(dumpOf(streamedReference)).toEqual(dumpOf(reference));
}, 180_000);

afterAll(() => work?.remove());

describe('a sync killed part-way', () => {
  it(`leaves a sound store holding exactly the old or exactly the new directory, in ${TRIALS} random kills`, async () => {
    expect(newFingerprint).not.toBe(oldFingerprint);
    const random = seededUnit(SEED);
    const outcomes = { old: 0, new: 0, killedMidway: 0, streamedOld: 0, streamedNew: 0 };
    for (let trial = 0; trial < TRIALS; trial += 1) {
      // Anywhere from the first byte read to a little after the commit; every fifth trial
      // right after the commit, so both sides are reached however loaded the machine is.
      const streamed = trial % 2 === 1;
      const syncMs = streamed ? streamedReferenceSyncMs : referenceSyncMs;
      const killAfterMs = trial % 5 === 4 ? 'afterCommit' : Math.round(random() * syncMs * 1.25);
      const dir = copyOfBase(`trial-${trial}`);
      const run = await runSync(dir, killAfterMs, streamed ? newStreamedFeed : newFeed);
      const after = inspect(dir);
      const where = `trial ${trial} (seed ${SEED}, ${streamed ? 'streamed' : 'one-file'} feed, killed ${killAfterMs === 'afterCommit' ? 'after the commit' : `${killAfterMs} ms`} into a ${Math.round(syncMs)} ms sync)`;
      expect(after.integrity, where).toBe('ok, ok');
      expect(after.foreignKeyProblems, where).toEqual([]);
      expect([oldFingerprint, streamed ? newStreamedFingerprint : newFingerprint], where).toContain(after.fingerprint);
      outcomes[after.fingerprint === oldFingerprint ? 'old' : 'new'] += 1;
      if (streamed) outcomes[after.fingerprint === oldFingerprint ? 'streamedOld' : 'streamedNew'] += 1;
      if (run.killedMidway) outcomes.killedMidway += 1;
    }
    // The kills landed on both sides of the commit, most of them while it was writing.
    expect(outcomes.old).toBeGreaterThan(0);
    expect(outcomes.new).toBeGreaterThan(0);
    expect(outcomes.killedMidway).toBeGreaterThanOrEqual(TRIALS / 3);
    expect(outcomes.streamedOld).toBeGreaterThan(0);
    expect(outcomes.streamedNew).toBeGreaterThan(0);
    // 50 child processes: generous on a loaded 2-core machine; the limit only catches a hang.
  }, 600_000);
});
