/**
 * How many Microsoft Graph requests one publisher run makes for a tenant of `users` users
 * (80 % in Store Associates, 20 % in Warehouse Team), counted at the Graph stand-in: a
 * first (full) run, then a delta run after 10 users changed and 1 was deleted. Not a test;
 * docs/fleet.md quotes its output. Run it with
 *
 *   npx esbuild test/cli/measure-publisher-requests.ts --bundle --platform=node --external:better-sqlite3 \
 *     --outfile=node_modules/.cache/measure-publisher-requests.js && node node_modules/.cache/measure-publisher-requests.js [users] [pageSize]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeClock } from '../fakes';
import { runPublish, startTenant, tenant, uid, writePublisherSetup } from './publisher-fixtures';
import type { GraphStandIn } from '../core/sync/graph/graph-stand-in';

function kindOf(line: string): string {
  const path = line.replace(/^\S+ /, '').split('?')[0]!;
  if (path.includes('/oauth2/')) return 'token';
  if (path === '/v1.0/$batch') return 'POST /$batch';
  return `GET ${path.replace(/^\/v1\.0/, '').replace(/[0-9a-f-]{36}/g, '{id}').replace(/\/directoryRoles\/[^/]+/, '/directoryRoles/{id}')}`;
}

function count(standIn: GraphStandIn, fromRequest: number, fromBatched: number) {
  const requests = standIn.requests.slice(fromRequest).map((request) => `${request.method} ${request.path}`);
  const byKind: Record<string, number> = {};
  for (const line of requests) byKind[kindOf(line)] = (byKind[kindOf(line)] ?? 0) + 1;
  const inBatches: Record<string, number> = {};
  for (const line of standIn.batched.slice(fromBatched)) {
    const kind = line.split('?')[0]!.replace(/[0-9a-f-]{36}/g, '{id}');
    inBatches[kind] = (inBatches[kind] ?? 0) + 1;
  }
  const graph = requests.filter((line) => kindOf(line) !== 'token').length;
  return { httpRequestsToGraph: graph, tokenRequests: byKind.token ?? 0, byKind, requestsInsideBatches: inBatches };
}

async function main(): Promise<void> {
  const users = Number(process.argv[2] ?? 10_000);
  const pageSize = Number(process.argv[3] ?? 100);
  const dir = mkdtempSync(path.join(tmpdir(), 'measure-publisher-'));
  const directory = tenant(Math.round(users * 0.8), users - Math.round(users * 0.8));
  const standIn = await startTenant(directory, pageSize);
  try {
    const setup = writePublisherSetup(dir, standIn);
    const clock = new FakeClock();
    const full = await runPublish(setup, clock);
    if (full.code !== 0) throw new Error(full.err.join('\n'));
    const afterFull = { requests: standIn.requests.length, batched: standIn.batched.length };
    const fullCount = count(standIn, 0, 0);

    for (let n = 1; n <= 10; n++) directory.updateUser(uid(n), { displayName: `Worker ${n} (renamed)` });
    directory.deleteUser(uid(11));
    clock.advance(15 * 60_000);
    const delta = await runPublish(setup, clock);
    if (delta.code !== 0) throw new Error(delta.err.join('\n'));
    const deltaCount = count(standIn, afterFull.requests, afterFull.batched);
    console.log(JSON.stringify({ users, standInPageSize: pageSize, fullRun: fullCount, deltaRun: deltaCount, fullOutput: full.out, deltaOutput: delta.out }, null, 2));
  } finally {
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
