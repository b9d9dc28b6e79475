import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, expect, it } from 'vitest';
import { openDemoKiosk, type DemoKioskHarness } from '../kiosk-harness';

// Found in review: the contract's connection began its transactions DEFERRED and read before
// writing, so while another connection (the sync worker) held the write lock, SQLite refused
// the upgrade at once (SQLITE_BUSY, busy_timeout does not apply) and a sign-in answered
// "internal". Transactions now begin IMMEDIATE: they wait for the lock like any other write.

let harness: DemoKioskHarness | undefined;
afterEach(() => harness?.close());

/** Another thread holds the database's write lock for `ms`; resolves once it holds it. */
function holdWriteLock(file: string, ms: number): Promise<{ released: Promise<void> }> {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const Database = require(workerData.driver);
     const db = new Database(workerData.file);
     db.exec('BEGIN IMMEDIATE');
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
