import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RandomSource } from '../../../src-main/core/base/random';
import type { AppliedChange } from '../../../src-main/core/sync/apply-change';
import { directorySnapshotSchema } from '../../../src-main/core/directory/directory-snapshot';
import { SyncRefusedError, type DirectoryChange, type DirectorySource } from '../../../src-main/core/sync/directory-source';
import { MAX_RETRY_AFTER_MS } from '../../../src-main/core/sync/periodic-task';
import { SyncScheduler, type SyncSchedulerDeps, type SyncStatus } from '../../../src-main/core/sync/sync-scheduler';
import { dumpDirectory, openTestStore, type TestStore, sixPersonTenant } from './feed/feed-fixtures';

const MINUTE = 60_000;
const INTERVAL = 15 * MINUTE;

type Answer = DirectoryChange | SyncRefusedError | 'wait-for-abort';

/** A source that plays its answers in order (then `unchanged`) and remembers each cursor it was given. */
class ScriptedSource implements DirectorySource {
  readonly kind = 'feed';
  readonly cursors: Array<string | null> = [];
  constructor(private readonly answers: Answer[] = []) {}
  play(...answers: Answer[]): void {
    this.answers.push(...answers);
  }
  fetch(cursor: string | null, signal?: AbortSignal): Promise<DirectoryChange> {
    this.cursors.push(cursor);
    const answer = this.answers.shift() ?? { kind: 'unchanged' };
    if (answer === 'wait-for-abort') {
      return new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new SyncRefusedError('aborted', 'The sync was stopped.'))));
    }
    return answer instanceof SyncRefusedError ? Promise.reject(answer) : Promise.resolve(answer);
  }
}

/** Random units in turn (each in [0, 1)), the last one repeating. */
function randomUnits(...units: number[]): RandomSource {
  let i = 0;
  return {
    bytes(count) {
      const unit = units[Math.min(i++, units.length - 1)]!;
      const bytes = Buffer.alloc(Math.max(4, count));
      bytes.writeUInt32BE(Math.floor(unit * 2 ** 32), 0);
      return bytes.subarray(0, count);
    },
  };
}

const snapshot = (cursor: string): DirectoryChange => ({ kind: 'snapshot', snapshot: directorySnapshotSchema.parse(sixPersonTenant()), cursor });
const refused = (reason: string, retryAt?: number) => new SyncRefusedError(reason, `refused: ${reason}`, retryAt);

let store: TestStore;
let statuses: SyncStatus[];
let applied: AppliedChange[];
let running: SyncScheduler[];
beforeEach(() => {
  store = openTestStore();
  statuses = [];
  applied = [];
  running = [];
});
afterEach(() => {
  for (const sync of running) sync.stop();
  store.close();
});

function scheduler(source: DirectorySource, deps: Partial<SyncSchedulerDeps> = {}): SyncScheduler {
  const { db, directory, audit, clock } = store;
  const sync = new SyncScheduler(
    { intervalMs: INTERVAL },
    {
      source,
      db,
      directory,
      audit,
      clock,
      scheduler: clock,
      random: randomUnits(0.5),
      onStatus: (status) => statuses.push(status),
      onApplied: (change) => void applied.push(change),
      ...deps,
    },
  );
  running.push(sync);
  return sync;
}

/** Moves the clock to the next planned sync and lets it finish; returns how long the wait was. */
async function runNext(sync: SyncScheduler): Promise<number> {
  const from = store.clock.now();
  const due = sync.status().nextAttemptAt;
  if (due === null) throw new Error('no sync planned');
  store.clock.advanceTo(due);
  await sync.idle();
  return due - from;
}

describe('the sync schedule', () => {
  it('syncs at once on a kiosk that has never synced, then every interval moved by up to ±20 %', async () => {
    const sync = scheduler(new ScriptedSource([snapshot('c1')]), { random: randomUnits(0.5, 0, 0.999_999) });
    sync.start();
    expect(await runNext(sync)).toBe(0);
    expect(store.directory.counts().users).toBe(6);
    expect(await runNext(sync)).toBe(INTERVAL);
    expect(await runNext(sync)).toBe(0.8 * INTERVAL);
    expect(await runNext(sync)).toBeCloseTo(1.2 * INTERVAL, -2);
  });

  it('after a restart, waits a random part of the jitter window so kiosks switched on together spread out', async () => {
    await scheduler(new ScriptedSource([snapshot('c1')])).syncNow();
    const later = scheduler(new ScriptedSource(), { random: randomUnits(0.25) });
    later.start();
    expect(later.status().nextAttemptAt).toBe(store.clock.now() + 0.25 * 0.2 * INTERVAL);
  });

  it('backs off exponentially after failures, up to the interval, and back to normal after a success', async () => {
    const source = new ScriptedSource(Array.from({ length: 7 }, () => refused('network')));
    source.play(snapshot('c1'));
    const sync = scheduler(source);
    sync.start();
    const waits = [];
    for (let i = 0; i < 9; i++) waits.push(await runNext(sync));
    expect(waits).toEqual([0, 30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, INTERVAL]);
    expect(sync.status().lastError).toBeNull();
  });

  it('waits until a server’s Retry-After, but never longer than six hours', async () => {
    const now = store.clock.now();
    const sync = scheduler(new ScriptedSource([refused('throttled', now + 10 * MINUTE), refused('http-503', now + 3 * 24 * 60 * MINUTE)]));
    sync.start();
    await sync.syncNow();
    expect(sync.status().nextAttemptAt).toBe(now + 10 * MINUTE);
    await sync.syncNow();
    expect(sync.status().nextAttemptAt).toBe(now + MAX_RETRY_AFTER_MS);
  });

  it('keeps counting failures across a restart, so a failing kiosk does not hammer the server', async () => {
    await scheduler(new ScriptedSource([refused('network')])).syncNow();
    await scheduler(new ScriptedSource([refused('network')])).syncNow();
    const third = scheduler(new ScriptedSource([refused('network')]));
    third.start();
    await third.syncNow();
    expect(third.status().nextAttemptAt).toBe(store.clock.now() + 120_000);
  });

  it('joins a sync in progress rather than starting a second one', async () => {
    const source = new ScriptedSource([snapshot('c1')]);
    const sync = scheduler(source);
    const [first, second] = await Promise.all([sync.syncNow(), sync.syncNow()]);
    expect(source.cursors).toEqual([null]);
    expect(first).toEqual(second);
  });

  it('stops: a sync in progress is aborted and changes nothing, and no timer is left', async () => {
    const sync = scheduler(new ScriptedSource(['wait-for-abort']));
    sync.start();
    store.clock.advance(0);
    const before = dumpDirectory(store.db);
    sync.stop();
    await sync.idle();
    expect(dumpDirectory(store.db)).toEqual(before);
    expect(sync.status()).toMatchObject({ lastAttemptAt: null, nextAttemptAt: null });
    expect(store.clock.pending).toBe(0);
  });
});

describe('what a sync keeps and tells', () => {
  it('hands the source the cursor of the last applied change, across restarts, and not one from a failure', async () => {
    const source = new ScriptedSource([snapshot('c1'), { kind: 'unchanged' }, refused('bad-signature')]);
    const sync = scheduler(source);
    for (let i = 0; i < 3; i++) await sync.syncNow();
    const after = new ScriptedSource();
    await scheduler(after).syncNow();
    expect([...source.cursors, ...after.cursors]).toEqual([null, 'c1', 'c1', 'c1']);
  });

  it('starts from a full snapshot when the configuration names another source', async () => {
    await scheduler(new ScriptedSource([snapshot('c1')]), { sourceId: 'feed:https://a.example/feed.json' }).syncNow();
    const other = new ScriptedSource();
    await scheduler(other, { sourceId: 'feed:https://b.example/feed.json' }).syncNow();
    expect(other.cursors).toEqual([null]);
  });

  it('reports status after every sync: last attempt, last success, the error and the counts', async () => {
    const sync = scheduler(new ScriptedSource([snapshot('c1'), refused('bad-signature')]));
    sync.start();
    await sync.syncNow();
    const syncedAt = store.clock.now();
    store.clock.advance(MINUTE);
    await sync.syncNow();
    expect(statuses).toEqual([
      { lastAttemptAt: null, lastSuccessAt: null, lastError: null, users: 0, readyPhones: 0, nextAttemptAt: syncedAt, setAside: [], setAsideCount: 0 },
      { lastAttemptAt: syncedAt, lastSuccessAt: syncedAt, lastError: null, users: 6, readyPhones: 6, nextAttemptAt: syncedAt + INTERVAL, setAside: [], setAsideCount: 0 },
      { lastAttemptAt: syncedAt + MINUTE, lastSuccessAt: syncedAt, lastError: { reason: 'bad-signature', message: 'refused: bad-signature' }, users: 6, readyPhones: 6, nextAttemptAt: syncedAt + MINUTE + 30_000, setAside: [], setAsideCount: 0 },
    ]);
  });

  it('audits every sync as sync.apply, with the reason when it failed', async () => {
    const sync = scheduler(new ScriptedSource([snapshot('c1'), { kind: 'unchanged' }, refused('too-large')]));
    for (let i = 0; i < 3; i++) await sync.syncNow();
    const events = store.audit.query({ types: ['sync.apply'], limit: 10 }).reverse();
    expect(events.map((event) => [event.outcome, event.reason, event.details?.kind ?? null])).toEqual([
      ['success', null, 'snapshot'],
      ['success', null, 'unchanged'],
      ['failure', 'too-large', null],
    ]);
    expect(events[2]!.details).toEqual({ source: 'feed', message: 'refused: too-large' });
  });

  it('calls onApplied after each applied change only, and a failing callback does not fail the sync', async () => {
    const sync = scheduler(new ScriptedSource([snapshot('c1'), { kind: 'unchanged' }, refused('network'), snapshot('c2')]), {
      onApplied: (change) => {
        applied.push(change);
        throw new Error('session code failed');
      },
    });
    for (let i = 0; i < 4; i++) await sync.syncNow();
    expect(applied.map((change) => change.kind)).toEqual(['snapshot', 'snapshot']);
    expect(sync.status().lastError).toBeNull();
  });

  it('records an unexpected error as an internal failure and keeps the last good directory', async () => {
    const sync = scheduler(new ScriptedSource([snapshot('c1')]));
    await sync.syncNow();
    const before = dumpDirectory(store.db);
    const broken: DirectorySource = { kind: 'graph', fetch: () => Promise.reject(new TypeError('boom')) };
    const status = await scheduler(broken, { sourceId: 'feed' }).syncNow();
    expect(status.lastError).toEqual({ reason: 'internal', message: 'The sync failed unexpectedly: boom' });
    expect(dumpDirectory(store.db)).toEqual(before);
  });
});
