import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Result } from '../shared/result';
import { dispatchCall } from '../src-main/core/handlers/contract-dispatch';
import { createDemoKiosk } from '../src-main/core/kiosk';
import { silentLogger } from '../src-main/core/base/log';
import { copyDatabase, openDatabase } from '../src-main/core/store/database';
import { DirectoryRepository } from '../src-main/core/store/directory-repository';
import type { Stopwatch } from '../src-main/core/idp/send-timing';
import { FakeClock } from '../test/fakes';
import { measure, progress } from './measure';
import { SYNC_USERS } from './sync';

export interface SignInMetrics {
  signin_ms_p50: number;
  signin_ms_p99: number;
  signin_normal_sync_ms_p50: number;
  signin_full_vs_normal_sync_ratio: number;
  signin_vs_sqlite_ratio: number;
  /** Over the same bare statements with each write committed durably, as the path commits start and verify. */
  signin_vs_durable_sqlite_ratio: number;
  /** The sign-in with counters NORMAL over the bare statements: the code's own overhead, no fsync on either side. */
  signin_normal_vs_sqlite_ratio: number;
  lookup_us_p99: number;
}

/** Users of test/core/sync/large-directory.ts: `070-1000000` + i, typed nationally at a Swedish kiosk. */
export const typedNumber = (i: number) => `070-${String(1_000_000 + i).padStart(7, '0')}`;
const e164 = (i: number) => `+4670${String(1_000_000 + i).padStart(7, '0')}`;

/**
 * Send caps and lockouts (5 texts per number per 15 minutes, 60 texts per kiosk per hour)
 * would refuse a benchmark that signs the same person in over and over. So each sign-in is
 * a different worker, cycling through 20,000 of the 100,000 (i = 1, 6, 11, …: never one of
 * the disabled accounts at every 50th), and the kiosk's fake clock moves on two minutes
 * after each (30 texts an hour); every code is right, so no lock ever engages.
 */
export const signInUsers = Array.from({ length: 20_000 }, (_, k) => 1 + 5 * k);
export const CLOCK_STEP_MS = 2 * 60_000;

/**
 * `signIn.start` + `signIn.verify` through the contract door (dispatchCall, as both
 * transports call it) into a demo kiosk whose store holds 100,000 users, with the demo
 * SMS sender; and the bare SQLite it must run (one indexed lookup, one insert, one update).
 */
export async function measureSignIn(work: string, baseStore: string, users = SYNC_USERS, name = 'sign-in'): Promise<SignInMetrics> {
  const dataDir = path.join(work, name);
  mkdirSync(dataDir, { recursive: true });
  const storeFile = path.join(dataDir, 'kiosk.db');
  copyDatabase(baseStore, storeFile);
  const signIn = await measureSignIns(dataDir, true, users);
  // The same without forcing the guessing and sending counters to disk (NORMAL, not FULL):
  // what durable counters cost, measured in this run.
  const normalDir = path.join(work, 'sign-in-normal');
  mkdirSync(normalDir, { recursive: true });
  copyDatabase(baseStore, path.join(normalDir, 'kiosk.db'));
  const normal = await measureSignIns(normalDir, false, users);
  const clock = new FakeClock();

  const db = openDatabase(storeFile);
  progress('the bare statements of that path: one indexed lookup, one insert, one update');
  const lookup = db.prepare<[string], { user_id: string }>('SELECT user_id, sms_sign_in_state FROM phone_methods WHERE phone_number = ?');
  const insert = db.prepare(
    'INSERT INTO challenges (id, phone_number, phone_key, phone_masked, user_id, code_hmac, created_at, expires_at, last_sent_at, lockout_subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const update = db.prepare('UPDATE challenges SET consumed_at = ? WHERE id = ?');
  const hmac = randomBytes(32);
  let bare = 0;
  /** One pass of the bare statements; `commit` runs each write (as it is, or in a transaction of its own). */
  const bareSignIn = (commit: (write: () => void) => void) => {
    const i = signInUsers[bare % signInUsers.length]!;
    const id = randomBytes(16).toString('hex');
    const now = clock.now();
    const holder = lookup.get(e164(i));
    commit(() => insert.run(id, e164(i), id, '+46 ••• ••• 0000', holder?.user_id ?? null, hmac, now, now + 300_000, now, `user:user-${i}`));
    commit(() => update.run(now, id));
    bare += 1;
  };
  const sqlite = await measure('sqlite', () => bareSignIn((write) => write()), { iterations: 1000, warmupIterations: 50 });

  // The same statements committed as the path commits its counters: the insert and the
  // update each in a transaction of its own, on disk before it returns (FULL), as start and
  // verify are. What the two durable commits alone cost on this disk.
  progress('the same bare statements, each write committed durably (synchronous = FULL)');
  db.pragma('synchronous = FULL');
  // The same workers again: every rung of the ladder holds them.
  bare = 0;
  const durableSqlite = await measure('sqliteDurable', () => bareSignIn((write) => db.transaction(write)()), { iterations: 1000, warmupIterations: 50 });
  db.pragma('synchronous = NORMAL');

  progress(`phone-number lookup among ${users.toLocaleString('en')} users`);
  const directory = new DirectoryRepository(db);
  const numbers = shuffled(Array.from({ length: users }, (_, i) => e164(i)));
  let looked = 0;
  const holders = await measure(
    'lookup',
    () => {
      if (directory.holdersOf(numbers[looked++ % numbers.length]!).length !== 1) throw new Error('a number without its holder');
    },
    { iterations: 20_000, warmupIterations: 1_000 },
  );
  db.close();

  return {
    signin_ms_p50: signIn.p50,
    signin_ms_p99: signIn.p99,
    signin_normal_sync_ms_p50: normal.p50,
    signin_full_vs_normal_sync_ratio: signIn.p50 / normal.p50,
    signin_vs_sqlite_ratio: signIn.p50 / sqlite.p50,
    signin_vs_durable_sqlite_ratio: signIn.p50 / durableSqlite.p50,
    signin_normal_vs_sqlite_ratio: normal.p50 / sqlite.p50,
    lookup_us_p99: holders.p99 * 1000,
  };
}

/** Never waits: the bench measures the core's work, not the start deadline it waits out. */
export const noWait: Stopwatch = { now: () => performance.now(), sleep: () => Promise.resolve() };

/** 1,000 sign-ins (start + verify + sign-out) through the contract door; `durable`: counters written with synchronous = FULL. */
async function measureSignIns(dataDir: string, durable: boolean, users: number) {
  const clock = new FakeClock();
  const kiosk = await createDemoKiosk({ dataDir, version: 'bench', clock, scheduler: clock, log: silentLogger, stopwatch: noWait, _durableCounters: durable });
  let code = '';
  kiosk.events.on('demo.sms', (sms) => (code = /\b(\d{6})\b/.exec(sms.body)?.[1] ?? ''));
  const call = async (name: string, input: unknown) => {
    const result = (await dispatchCall(kiosk.handlers, name, input, silentLogger)) as Result<{ state: string; challengeId?: string }>;
    if (!result.ok) throw new Error(`${name} refused: ${result.error.code}: ${result.error.message}`);
    return result.value;
  };

  progress(`sign-in through the core (signIn.start + signIn.verify), ${users.toLocaleString('en')} users, counters ${durable ? 'durable (FULL)' : 'NORMAL'}`);
  let next = 0;
  const measured = await measure(
    durable ? 'signIn' : 'signIn-normal',
    async () => {
      const started = await call('signIn.start', { phone: typedNumber(signInUsers[next % signInUsers.length]!) });
      const verified = await call('signIn.verify', { challengeId: started.challengeId, code });
      if (verified.state !== 'active') throw new Error(`expected a signed-in session, got ${verified.state}`);
    },
    {
      iterations: 1000,
      warmupIterations: 50,
      afterEach: async () => {
        await call('session.signOut', {});
        next += 1;
        clock.advance(CLOCK_STEP_MS);
      },
    },
  );
  kiosk.close();
  return measured;
}

/** A fixed shuffle (no Math.random: runs compare), so lookups do not walk the index in order. */
function shuffled<T>(items: T[]): T[] {
  let seed = 42;
  for (let i = items.length - 1; i > 0; i -= 1) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = seed % (i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
