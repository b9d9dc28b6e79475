/**
 * Child process of the sync benchmark: one full sync of a signed feed file into an empty
 * store, alone in a fresh process, so its peak resident memory is the sync's own.
 * Usage: node sync-peak-memory.js <data dir> <feed file> (the pinned PEM on stdin).
 * Prints one JSON line: { ms, peakRssMb, startRssMb, databaseMb } (the store checkpointed and closed).
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { directoryFileOf } from '../src-main/core/store/database';
import { openFeedFileSync } from '../test/hardening/signed-feed-file';

async function main(): Promise<void> {
  const [dataDir, feedPath] = process.argv.slice(2);
  if (!dataDir || !feedPath) throw new Error('usage: sync-peak-memory <data dir> <feed file> < public-key.pem');
  const publicKeyPem = readFileSync(0, 'utf8');
  const startRssMb = process.memoryUsage.rss() / 2 ** 20;
  // The largest limit a kiosk may configure: the 1,000,000-user feed is 285 MB.
  const store = openFeedFileSync(dataDir, { feedPath, publicKeyPem }, 1024 * 1024 * 1024);
  const started = performance.now();
  await store.syncNow();
  const ms = performance.now() - started;
  store.close();
  const kioskFile = path.join(dataDir, 'kiosk.db');
  // Both files: the kiosk's and the directory's own.
  const databaseMb = (statSync(kioskFile).size + statSync(directoryFileOf(kioskFile)).size) / 1e6;
  // maxRSS is in KiB: the high-water mark of the whole process, the sync included.
  process.stdout.write(`${JSON.stringify({ ms, peakRssMb: process.resourceUsage().maxRSS / 1024, startRssMb, databaseMb })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
