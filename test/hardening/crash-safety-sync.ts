/**
 * The child process crash-safety.test.ts kills: one sync of a signed feed file into an
 * existing store, through SignedFeedSource and SyncScheduler as a kiosk runs it. Prints
 * `syncing` as the sync starts and `done` once it has applied, for the parent to time its
 * SIGKILL. Usage: node crash-safety-sync.js <data dir> <feed file>, the pinned PEM on stdin.
 */
import { readFileSync } from 'node:fs';
import { openFeedFileSync } from './signed-feed-file';

async function main(): Promise<void> {
  const [dataDir, feedPath] = process.argv.slice(2);
  if (!dataDir || !feedPath) throw new Error('usage: crash-safety-sync <data dir> <feed file> < public-key.pem');
  const store = openFeedFileSync(dataDir, { feedPath, publicKeyPem: readFileSync(0, 'utf8') });
  process.stdout.write('syncing\n');
  await store.syncNow();
  process.stdout.write('done\n');
  store.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
