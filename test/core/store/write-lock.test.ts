import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, expect, it } from 'vitest';
import { openDemoKiosk, type DemoKioskHarness } from '../kiosk-harness';

// Found in review: the contract's connection begins its transactions DEFERRED and reads before
// writing, so while another connection (the sync worker's commit to this file) held the write
// lock, SQLite refused the write (SQLITE_BUSY / SQLITE_BUSY_SNAPSHOT, which busy_timeout does
// not cover) and a sign-in answered "internal". A refused transaction now runs again.

let harness: DemoKioskHarness | undefined;
afterEach(() => harness?.close());

/** Another thread holds the database's write lock for `ms`; resolves once it holds it. */
function holdWriteLock(file: string, ms: number): Promise<{ released: Promise<void> }> {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const Database = require(workerData.driver);
     const db = new Database(workerData.file);
     db.exec('BEGIN IMMEDIATE');
     // A real write, as the sync's commit to this file is: a reader's snapshot goes stale.
     db.exec('CREATE TABLE IF NOT EXISTS lock_holder (x); INSERT INTO lock_holder VALUES (1)');
     parentPort.postMessage('held');
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms);
     db.exec('COMMIT');
     db.close();`,
    { eval: true, workerData: { file, ms, driver: require.resolve('better-sqlite3') } },
  );
  const released = new Promise<void>((resolve, reject) => worker.once('exit', () => resolve()).once('error', reject));
  return new Promise((resolve, reject) => worker.once('message', () => resolve({ released })).once('error', reject));
}

it('starts and verifies a sign-in while another connection holds the write lock for a moment', async () => {
  harness = await openDemoKiosk();
  const { kiosk } = harness;
  const file = path.join(harness.dataDir, 'kiosk.db');

  let lock = await holdWriteLock(file, 300);
  const started = await kiosk.handlers['signIn.start']({ phone: '+1 206 555 0100' });
  await lock.released;
  expect(started.ok && started.value.state).toBe('challenge');
  const challengeId = started.ok && started.value.state === 'challenge' ? started.value.challengeId : '';

  lock = await holdWriteLock(file, 300);
  const verified = await kiosk.handlers['signIn.verify']({ challengeId, code: harness.lastCode() });
  await lock.released;
  expect(verified.ok && verified.value.state).toBe('active');
});
