import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Result } from '../shared/result';
import { silentLogger } from '../src-main/core/base/log';
import { dispatchCall } from '../src-main/core/handlers/contract-dispatch';
import { copyDatabase } from '../src-main/core/store/database';
import { createDemoKiosk } from '../src-main/core/kiosk';
import { MemorySecretStore } from '../src-main/core/secrets/memory-secret-store';
import { PHONE_HMAC_KEY } from '../src-main/core/secrets/secret-store';
import { SyncWorker } from '../src-main/core/sync/sync-worker';
import { largeSnapshot } from '../test/core/sync/large-directory';
import { writeSignedFeed } from '../test/hardening/signed-feed-file';
import { FakeClock } from '../test/fakes';
import { collectGarbage, progress } from './measure';
import { CLOCK_STEP_MS, noWait, signInUsers, typedNumber } from './sign-in';
import { SYNC_USERS } from './sync';

export interface SyncWhileSigningInMetrics {
  signin_during_sync_ms_p99: number;
  /** The event loop's longest delay alone (monitorEventLoopDelay), without the longest sign-in. */
  sync_event_loop_delay_ms_max: number;
  sync_main_stall_ms_max: number;
  /** How many sign-ins ran while the sync ran: context for the p99. */
  signins_during_sync: number;
  /** Of those, refused because the sync held the write lock past busy_timeout (5 s). */
  signins_failed_during_sync: number;
  /** The full sync on the worker thread, with sign-ins beside it. */
  sync_full_100k_worker_ms: number;
}

/**
 * A kiosk signing workers in while its worker thread runs a 100,000-user full sync that
 * rewrites every user (the worst case: each one renamed) over the store they sign in
 * against. The contract's thread signs in back to back, yielding to the event loop between
 * sign-ins as a transport would; `monitorEventLoopDelay` records its longest stall.
 */
export async function measureSyncWhileSigningIn(work: string, baseStore: string, workerFile: string, options: { _durableCounters?: boolean } = {}): Promise<SyncWhileSigningInMetrics> {
  const dataDir = path.join(work, options._durableCounters === false ? 'during-sync-normal' : 'during-sync');
  mkdirSync(dataDir, { recursive: true });
  copyDatabase(baseStore, path.join(dataDir, 'kiosk.db'));
  progress(`writing a signed ${SYNC_USERS.toLocaleString('en')}-user feed with every user renamed`);
  const snapshot = largeSnapshot(SYNC_USERS);
  for (const user of snapshot.users) user.displayName = `Renamed ${user.displayName}`;
  const feed = await writeSignedFeed(path.join(work, 'renamed-feed'), { kind: 'snapshot', cursor: 'r1', generatedAt: '2026-11-23T06:00:00Z', ...snapshot });
  collectGarbage();

  const clock = new FakeClock();
  const kiosk = await createDemoKiosk({ dataDir, version: 'bench', clock, scheduler: clock, log: silentLogger, stopwatch: noWait, _durableCounters: options._durableCounters });
  let code = '';
  kiosk.events.on('demo.sms', (sms) => (code = /\b(\d{6})\b/.exec(sms.body)?.[1] ?? ''));
  const call = async (name: string, input: unknown) => {
    const result = (await dispatchCall(kiosk.handlers, name, input, silentLogger)) as Result<{ state: string; challengeId?: string }>;
    if (!result.ok) throw new Error(`${name} refused: ${result.error.code}: ${result.error.message}`);
    return result.value;
  };
  const secrets = new MemorySecretStore();
  await secrets.set(PHONE_HMAC_KEY, Buffer.alloc(32, 7).toString('base64'));
  const worker = new SyncWorker({
    workerFile,
    databaseFile: path.join(dataDir, 'kiosk.db'),
    source: { source: 'feed', feed: { location: feed.feedPath, publicKey: feed.publicKeyPem } },
    sourceId: `feed:${feed.feedPath}`,
    secrets,
  });

  let next = 0;
  const signIn = async () => {
    const started = await call('signIn.start', { phone: typedNumber(signInUsers[next % signInUsers.length]!) });
    const verified = await call('signIn.verify', { challengeId: started.challengeId, code });
    if (verified.state !== 'active') throw new Error(`expected a signed-in session, got ${verified.state}`);
    await call('session.signOut', {});
    next += 1;
    clock.advance(CLOCK_STEP_MS);
  };
  for (let i = 0; i < 50; i += 1) await signIn();

  progress('sign-ins on the main thread while the worker thread runs the full sync');
  const durations: number[] = [];
  const stalls = monitorEventLoopDelay({ resolution: 5 });
  let syncing = true;
  const started = performance.now();
  stalls.enable();
  const sync = worker.attempt({ users: SYNC_USERS, readyPhones: 0 }, new AbortController().signal).finally(() => (syncing = false));
  let failed = 0;
  while (syncing) {
    const at = performance.now();
    try {
      await signIn();
    } catch {
      // SQLITE_BUSY after busy_timeout: the worker held the write lock for longer.
      failed += 1;
      await call('signIn.cancel', {}).catch(() => undefined);
      next += 1;
    }
    durations.push(performance.now() - at);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const applied = await sync;
  const syncMs = performance.now() - started;
  stalls.disable();
  worker.close();
  kiosk.close();
  if (!applied || applied === 'aborted' || applied.usersWritten !== SYNC_USERS) throw new Error(`the sync under sign-ins did not rewrite every user: ${JSON.stringify(applied)}`);
  durations.sort((a, b) => a - b);
  const p99 = durations[Math.min(durations.length - 1, Math.ceil(durations.length * 0.99) - 1)] ?? Number.NaN;
  return {
    signin_during_sync_ms_p99: p99,
    // The stall includes the sign-in that ran in it: it is what a keypress would wait for.
    sync_main_stall_ms_max: Math.max(stalls.max / 1e6, durations.at(-1) ?? 0),
    sync_event_loop_delay_ms_max: stalls.max / 1e6,
    signins_during_sync: durations.length,
    signins_failed_during_sync: failed,
    sync_full_100k_worker_ms: syncMs,
  };
}
