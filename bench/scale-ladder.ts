import { rmSync } from 'node:fs';
import path from 'node:path';
import { writeLargeStreamedFeed } from './large-feed';
import { collectGarbage, progress } from './measure';
import { measureSignIn } from './sign-in';
import { runChild } from './sync';

/** One rung of the ladder: a full sync of `users` into an empty store, then sign-in and lookup on what it wrote. */
export interface LadderStep {
  users: number;
  sync_ms: number;
  peak_rss_mb: number;
  db_mb: number;
  signin_ms_p99: number;
  lookup_us_p99: number;
}

export interface LadderMetrics {
  sync_full_10k_ms: number;
  sync_peak_rss_10k_mb: number;
  db_size_10k_mb: number;
  signin_ms_p99_10k: number;
  lookup_us_p99_10k: number;
  sync_full_1m_ms: number;
  sync_peak_rss_1m_mb: number;
  db_size_1m_mb: number;
  signin_ms_p99_1m: number;
  lookup_us_p99_1m: number;
}

/**
 * The scale ladder at 10,000 and 1,000,000 users (100,000 is the main sync benchmark):
 * synthetic directories of fictional Swedish numbers, as streamed feeds (a signed manifest
 * and NDJSON, the form for a large directory), each synced once in a child process
 * of its own (its peak memory is the sync's), then signed in against. The 1,000,000 rung
 * takes minutes: it lives here, never in `npm test`.
 */
export async function measureLadder(work: string, childScript: string): Promise<{ metrics: LadderMetrics; steps: LadderStep[] }> {
  const steps: LadderStep[] = [];
  for (const users of [10_000, 1_000_000]) steps.push(await step(work, childScript, users));
  const [small, large] = steps as [LadderStep, LadderStep];
  return {
    steps,
    metrics: {
      sync_full_10k_ms: small.sync_ms,
      sync_peak_rss_10k_mb: small.peak_rss_mb,
      db_size_10k_mb: small.db_mb,
      signin_ms_p99_10k: small.signin_ms_p99,
      lookup_us_p99_10k: small.lookup_us_p99,
      sync_full_1m_ms: large.sync_ms,
      sync_peak_rss_1m_mb: large.peak_rss_mb,
      db_size_1m_mb: large.db_mb,
      signin_ms_p99_1m: large.signin_ms_p99,
      lookup_us_p99_1m: large.lookup_us_p99,
    },
  };
}

async function step(work: string, childScript: string, users: number): Promise<LadderStep> {
  const label = users >= 1_000_000 ? `${users / 1_000_000}m` : `${users / 1000}k`;
  const feedDir = path.join(work, `ladder-feed-${label}`);
  progress(`ladder ${label}: writing a signed ${users.toLocaleString('en')}-user streamed feed`);
  const feed = await writeLargeStreamedFeed(feedDir, users);
  collectGarbage();
  progress(`ladder ${label}: feed of ${(feed.bytes / 1e6).toFixed(1)} MB; one full sync in a child process`);
  const dataDir = path.join(work, `ladder-store-${label}`);
  const child = await runChild(childScript, dataDir, feed);
  rmSync(feedDir, { recursive: true, force: true });
  const signIn = await measureSignIn(work, path.join(dataDir, 'kiosk.db'), users, `ladder-sign-in-${label}`);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(path.join(work, `ladder-sign-in-${label}`), { recursive: true, force: true });
  return { users, sync_ms: child.ms, peak_rss_mb: child.peakRssMb, db_mb: child.databaseMb, signin_ms_p99: signIn.signin_ms_p99, lookup_us_p99: signIn.lookup_us_p99 };
}
