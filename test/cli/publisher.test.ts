import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPublisher } from '../../src-main/cli/publisher';
import { deviceConfigSchema } from '../../src-main/core/config/device-config';
import { silentLogger } from '../../src-main/core/base/log';
import { hashAdminPin } from '../../src-main/core/idp/admin-pin';
import { createKiosk, type Kiosk } from '../../src-main/core/kiosk';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-secret-store';
import type { GraphStandIn } from '../core/sync/graph/graph-stand-in';
import type { StandInDirectory } from '../core/sync/graph/graph-stand-in';
import { FakeStopwatch } from '../core/kiosk-harness';
import { FakeClock, seededRandom, tempDir } from '../fakes';
import { person, runPublish, serveFolder, startTenant, STORE, tenant, uid, writePublisherSetup, type PublisherSetup } from './publisher-fixtures';

// The fleet's publisher against the Graph stand-in on loopback, its output served by a
// static server and applied by real kiosk cores; only time is fake.

let temp: ReturnType<typeof tempDir>;
let directory: StandInDirectory;
let standIn: GraphStandIn;
let clock: FakeClock;
let setup: PublisherSetup;
const kiosks: Kiosk[] = [];

beforeEach(async () => {
  temp = tempDir('publisher-');
  directory = tenant(6, 3);
  standIn = await startTenant(directory);
  clock = new FakeClock();
  setup = writePublisherSetup(temp.dir, standIn);
});

afterEach(async () => {
  for (const kiosk of kiosks.splice(0)) kiosk.close();
  await standIn.close();
  temp.remove();
});

const feedOf = (folder: string) => JSON.parse(readFileSync(path.join(folder, 'feed.json'), 'utf8')) as { kind: string; cursor: string; generatedAt: string; users: Array<{ id: string; displayName: string }>; kioskSettings: { organizationName: string } };
const graphCalls = (from: number) => standIn.requests.slice(from).filter((request) => request.path.startsWith('/v1.0/'));
const listing = (folder: string) => (existsSync(folder) ? readdirSync(folder, { recursive: true }).map(String).sort() : []);

async function kioskReading(feedUrl: string, publicPem: string): Promise<Kiosk> {
  const secrets = new MemorySecretStore();
  await secrets.set('sms-gateway-secret', 'unused');
  await secrets.set('admin-pin-hash', await hashAdminPin('482913', seededRandom('pin')));
  const dataDir = path.join(temp.dir, `kiosk-${kiosks.length}`);
  const config = deviceConfigSchema.parse({
    deviceName: `Till ${kiosks.length + 1}`,
    directory: { source: 'feed', feed: { location: feedUrl, publicKey: publicPem } },
    sms: { provider: 'webhook', url: 'http://127.0.0.1:9/sms', signingSecret: 'sms-gateway-secret' },
  });
  const kiosk = await createKiosk(
    { mode: 'live', config },
    { dataDir, version: 'test', clock, scheduler: clock, random: seededRandom(`kiosk-${kiosks.length}`), secrets, stopwatch: new FakeStopwatch(), log: silentLogger },
  );
  kiosks.push(kiosk);
  return kiosk;
}

async function syncNow(kiosk: Kiosk) {
  expect(await kiosk.handlers['admin.open']({ pin: '482913' })).toMatchObject({ ok: true });
  return kiosk.handlers['admin.syncNow']({});
}

describe('the directory publisher', () => {
  it('publishes a snapshot, then a delta from the changes Graph reports, then a fresh snapshot with --full; a kiosk applies each', async () => {
    const first = await runPublish(setup, clock);
    expect(first).toMatchObject({ code: 0, err: [] });
    expect(first.out[0]).toContain('the whole tenant');
    const snapshot = feedOf(setup.outputDir);
    expect(snapshot).toMatchObject({ kind: 'snapshot', kioskSettings: { organizationName: 'Contoso' } });
    expect(snapshot.users).toHaveLength(9);

    const server = await serveFolder(setup.outputDir);
    try {
      const kiosk = await kioskReading(server.url(), setup.publicPem);
      expect(await syncNow(kiosk)).toMatchObject({ ok: true, value: { users: 9, lastSync: { ok: true } } });

      directory.updateUser(uid(2), { displayName: 'Worker Two Renamed' });
      directory.deleteUser(uid(3));
      clock.advance(15 * 60_000);
      const before = standIn.requests.length;
      const second = await runPublish(setup, clock);
      expect(second.code).toBe(0);
      expect(second.out[0]).toContain('the changes since the last run');
      // A delta read asks Graph for the changed users' details only, not all nine.
      expect(graphCalls(before).some((request) => request.path.startsWith('/v1.0/users/delta?$deltatoken='))).toBe(true);
      expect(standIn.batched.filter((line) => line.includes('phoneMethods'))).toHaveLength(9 + 1);
      expect(standIn.batched.at(-1)).toBe(`GET /users/${uid(2)}/authentication/phoneMethods`);

      const deltaFile = path.join(setup.outputDir, 'deltas', `${snapshot.cursor}.json`);
      const delta = JSON.parse(readFileSync(deltaFile, 'utf8')) as { kind: string; since: string; users: { upserted: Array<{ displayName: string }>; removed: string[] } };
      expect(delta).toMatchObject({ kind: 'delta', since: snapshot.cursor, users: { upserted: [{ displayName: 'Worker Two Renamed' }], removed: [uid(3)] } });
      expect(feedOf(setup.outputDir).users).toHaveLength(8);

      const feedRequests = server.requests.length;
      expect(await syncNow(kiosk)).toMatchObject({ ok: true, value: { users: 8, lastSync: { ok: true } } });
      expect(server.requests.slice(feedRequests).map((request) => request.path)).toEqual([`/feed.json?since=${snapshot.cursor}`, `/feed.json.jws?since=${snapshot.cursor}`]);

      clock.advance(15 * 60_000);
      const third = await runPublish(setup, clock, ['--full']);
      expect(third.code).toBe(0);
      expect(third.out[0]).toContain('the whole tenant');
      expect(listing(path.join(setup.outputDir, 'deltas'))).toEqual([]);
      expect(feedOf(setup.outputDir)).toMatchObject({ kind: 'snapshot' });
      expect(await syncNow(kiosk)).toMatchObject({ ok: true, value: { users: 8, lastSync: { ok: true } } });
    } finally {
      await server.close();
    }
  });

  it('also publishes each snapshot as a streamed feed when asked: a kiosk pinned to the manifest applies it, and the file it may be reading stays one run', async () => {
    setup = writePublisherSetup(temp.dir, standIn, { streamed: true });
    expect(await runPublish(setup, clock)).toMatchObject({ code: 0, err: [] });
    const firstCursor = feedOf(setup.outputDir).cursor;
    expect(listing(setup.outputDir).filter((file) => file.startsWith('feed'))).toEqual(['feed.json', 'feed.json.jws', `feed-${firstCursor}.ndjson`, 'feed.manifest.json', 'feed.manifest.json.jws'].sort());
    const manifest = JSON.parse(readFileSync(path.join(setup.outputDir, 'feed.manifest.json'), 'utf8')) as { cursor: string; feed: { name: string } };
    expect(manifest).toMatchObject({ cursor: firstCursor, feed: { name: `feed-${firstCursor}.ndjson` } });

    const server = await serveFolder(setup.outputDir);
    try {
      const kiosk = await kioskReading(`${server.origin}/feed.manifest.json`, setup.publicPem);
      expect(await syncNow(kiosk)).toMatchObject({ ok: true, value: { users: 9, lastSync: { ok: true } } });

      directory.deleteUser(uid(3));
      clock.advance(15 * 60_000);
      expect((await runPublish(setup, clock)).code).toBe(0);
      const secondCursor = feedOf(setup.outputDir).cursor;
      expect(listing(setup.outputDir).filter((file) => file.endsWith('.ndjson'))).toEqual([`feed-${firstCursor}.ndjson`, `feed-${secondCursor}.ndjson`].sort());
      expect(await syncNow(kiosk)).toMatchObject({ ok: true, value: { users: 8, lastSync: { ok: true } } });

      directory.updateUser(uid(2), { displayName: 'Worker Two Renamed' });
      clock.advance(15 * 60_000);
      expect((await runPublish(setup, clock)).code).toBe(0);
      const thirdCursor = feedOf(setup.outputDir).cursor;
      expect(listing(setup.outputDir).filter((file) => file.endsWith('.ndjson'))).toEqual([`feed-${secondCursor}.ndjson`, `feed-${thirdCursor}.ndjson`].sort());
      expect(await syncNow(kiosk)).toMatchObject({ ok: true, value: { users: 8, lastSync: { ok: true } } });
    } finally {
      await server.close();
    }
  });

  it('writes the streamed feed as soon as it is turned on, even when the directory has not changed', async () => {
    expect((await runPublish(setup, clock)).code).toBe(0);
    expect(existsSync(path.join(setup.outputDir, 'feed.manifest.json'))).toBe(false);
    setup = writePublisherSetup(temp.dir, standIn, { streamed: true });
    clock.advance(15 * 60_000);
    expect((await runPublish(setup, clock)).code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(setup.outputDir, 'feed.manifest.json'), 'utf8')) as { cursor: string; feed: { name: string } };
    expect(manifest.cursor).toBe(feedOf(setup.outputDir).cursor);
    expect(existsSync(path.join(setup.outputDir, manifest.feed.name))).toBe(true);
  });

  it('reads the whole tenant again when Graph has forgotten the delta link (410 syncStateNotFound), and still hands kiosks a delta', async () => {
    const first = await runPublish(setup, clock);
    const cursor = feedOf(setup.outputDir).cursor;
    expect(first.code).toBe(0);
    directory.updateUser(uid(5), { displayName: 'Worker Five' });
    standIn.failNext(/^GET \/users\/delta\?\$deltatoken=/, { status: 410, body: { error: { code: 'syncStateNotFound', message: 'The sync state is gone.' } } });
    clock.advance(15 * 60_000);
    const run = await runPublish(setup, clock);
    expect(run.code).toBe(0);
    expect(run.out[0]).toContain('the whole tenant');
    // The delta is the difference between what was published and what is true now, however Graph was read.
    expect(run.out[1]).toMatch(new RegExp(`snapshot and delta since ${cursor} → .*: 9 users, 1 changed, 0 removed\\.$`));
    expect(feedOf(setup.outputDir).users.find((user) => user.id === uid(5))?.displayName).toBe('Worker Five');
  });

  it('checks its configuration, signing key and secrets without publishing', async () => {
    const out: string[] = [];
    const code = await runPublisher(['check-config', '--config', setup.configFile], { out: (line) => out.push(line), err: (line) => out.push(line) });
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^Configuration OK: one feed into .*out; the signing key and 1 secret are readable\.$/);
    expect(listing(setup.outputDir)).toEqual([]);
    rmSync(path.join(temp.dir, 'secrets', 'graph-client-secret'));
    const missing: string[] = [];
    expect(await runPublisher(['check-config', '--config', setup.configFile], { out: () => undefined, err: (line) => missing.push(line) })).toBe(2);
    expect(missing[0]).toMatch(/the secret "graph-client-secret" that graph names is missing/);
  });

  it('prints a fleet report from collected heartbeats and fails when a kiosk is flagged', async () => {
    const logs = path.join(temp.dir, 'heartbeats');
    mkdirSync(logs);
    const beat = (name: string, at: number, details: Record<string, unknown>) =>
      JSON.stringify({ format: 'frontline-kiosk-audit', version: 1, device: { id: `id-${name}`, name }, events: [{ id: 1, at, type: 'kiosk.heartbeat', outcome: 'info', details: { version: '0.1.0', mode: 'live', uptimeSeconds: 60, smsRecentSends: 0, smsRecentFailures: 0, ...details } }] });
    const now = clock.now();
    writeFileSync(path.join(logs, 'day.jsonl'), [beat('Till 1', now - 60_000, { directorySyncedAt: now - 600_000, lastSyncOk: true }), beat('Till 2', now - 60_000, { directorySyncedAt: now - 30 * 3_600_000, lastSyncOk: false, lastSyncReason: 'network' })].join('\n'));
    const out: string[] = [];
    const code = await runPublisher(['fleet-report', logs], { out: (line) => out.push(line), err: (line) => out.push(line) }, { clock });
    expect(code).toBe(1);
    expect(out).toEqual([
      expect.stringMatching(/^ok Till 1 \[id-Till 1\] live 0\.1\.0: directory 10 min old/),
      expect.stringMatching(/^!! Till 2 .* — DIRECTORY OLD \(30 h\); SYNC FAILING \(network\)$/),
      '2 kiosks, 1 flagged.',
    ]);
  });

  it('rewrites nothing when Graph reports no change, so every kiosk keeps getting 304s', async () => {
    await runPublish(setup, clock);
    const bytes = readFileSync(path.join(setup.outputDir, 'feed.json'));
    clock.advance(15 * 60_000);
    const again = await runPublish(setup, clock);
    expect(again.code).toBe(0);
    expect(again.out[1]).toContain('unchanged');
    expect(readFileSync(path.join(setup.outputDir, 'feed.json'))).toEqual(bytes);
  });

  it('waits as long as Graph asks when it throttles (429 Retry-After), then publishes', async () => {
    standIn.failNext(/^GET \/users\/delta/, { status: 429, retryAfter: 7 });
    const run = await runPublish(setup, clock);
    expect(run.code).toBe(0);
    expect(run.sleeps).toEqual([7000]);
    expect(feedOf(setup.outputDir).users).toHaveLength(9);
  });

  it('publishes nothing and says when to come back when Graph asks for a longer wait than allowed', async () => {
    standIn.failNext(/^GET \/users\/delta/, { status: 429, retryAfter: 600 });
    const run = await runPublish(setup, clock);
    expect(run.code).toBe(1);
    expect(run.err.join('\n')).toMatch(/published nothing \(throttled\).*Run again after 2026-11-22T09:10:00\.000Z/s);
    expect(listing(setup.outputDir)).toEqual([]);
  });

  it('writes one feed per site, by group or by user principal name, each with its own settings', async () => {
    setup = writePublisherSetup(temp.dir, standIn, {
      sites: [
        { name: 'store-0142', groupIds: [STORE], kioskSettings: { organizationName: 'Contoso Store 0142' } },
        { name: 'warehouse', userPrincipalNameSuffix: '@warehouse.contoso.example' },
      ],
    });
    expect((await runPublish(setup, clock)).code).toBe(0);
    const store = feedOf(path.join(setup.outputDir, 'store-0142'));
    const warehouse = feedOf(path.join(setup.outputDir, 'warehouse'));
    expect(store.users.map((user) => user.id).sort()).toEqual([1, 2, 3, 4, 5, 6].map(uid).sort());
    expect(store.kioskSettings.organizationName).toBe('Contoso Store 0142');
    expect(warehouse.users.map((user) => user.id).sort()).toEqual([7, 8, 9].map(uid).sort());
    expect(warehouse.kioskSettings.organizationName).toBe('Contoso');

    // A change in the warehouse leaves the store's files (and their ETags) as they were.
    const storeBytes = readFileSync(path.join(setup.outputDir, 'store-0142', 'feed.json'));
    directory.updateUser(uid(8), { accountEnabled: false });
    clock.advance(15 * 60_000);
    const run = await runPublish(setup, clock);
    expect(run.out.join('\n')).toMatch(/store-0142: unchanged/);
    expect(readFileSync(path.join(setup.outputDir, 'store-0142', 'feed.json'))).toEqual(storeBytes);

    const server = await serveFolder(setup.outputDir);
    try {
      const kiosk = await kioskReading(server.url('warehouse'), setup.publicPem);
      expect(await syncNow(kiosk)).toMatchObject({ ok: true, value: { users: 3 } });
      expect(await kiosk.handlers['device.status']({})).toMatchObject({ ok: true });
    } finally {
      await server.close();
    }
  });

  it('refuses a site naming a group it does not read, naming the field', async () => {
    setup = writePublisherSetup(temp.dir, standIn, { sites: [{ name: 'store', groupIds: ['9a0e7c1d-0000-4000-a000-000000000999'] }] });
    const run = await runPublish(setup, clock);
    expect(run.code).toBe(2);
    expect(run.err[0]).toMatch(/publisher\.json: sites\[0\]\.groupIds\[0\]: group .* is not in graph\.groupIds/);
  });

  it('publishes nothing when a kiosk would refuse or set aside part of the result, says why, and keeps the last good feed', async () => {
    expect((await runPublish(setup, clock)).code).toBe(0);
    const before = readFileSync(path.join(setup.outputDir, 'feed.json'));
    const state = readFileSync(path.join(temp.dir, 'state', 'publisher-state.json'));
    // A number no phone can have: the kiosk would set this user aside.
    directory.putUser({ ...person(4), displayName: 'Worker Four', phoneMethods: [{ ...person(4).phoneMethods[0]!, phoneNumber: '+1 123' }] });
    directory.updateUser(uid(4), { displayName: 'Worker 4 again' });
    clock.advance(15 * 60_000);
    const run = await runPublish(setup, clock);
    expect(run.code).toBe(1);
    expect(run.err.join('\n')).toMatch(/published nothing \(kiosk-would-set-aside\): kiosks would set aside 1 record of feed\.json: .*5b2f8e4a-0000-4000-b000-000000000004/);
    expect(run.err.join('\n')).not.toContain('+1 123');
    expect(readFileSync(path.join(setup.outputDir, 'feed.json'))).toEqual(before);
    expect(readFileSync(path.join(temp.dir, 'state', 'publisher-state.json'))).toEqual(state);
    expect(listing(setup.outputDir).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('refuses to run while another run holds its state, and takes over a lock whose run died', async () => {
    const { spawn } = await import('node:child_process');
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      mkdirSync(path.join(temp.dir, 'state'), { recursive: true });
      writeFileSync(path.join(temp.dir, 'state', 'publisher.lock'), String(other.pid));
      const busy = await runPublish(setup, clock);
      expect(busy.code).toBe(1);
      expect(busy.err[0]).toMatch(/published nothing \(busy\): another publisher run \(process \d+\)/);
      expect(listing(setup.outputDir)).toEqual([]);
    } finally {
      other.kill();
      await new Promise((resolve) => other.once('exit', resolve));
    }
    expect((await runPublish(setup, clock)).code).toBe(0);
    expect(existsSync(path.join(temp.dir, 'state', 'publisher.lock'))).toBe(false);
  });

  it('refuses a signing key other accounts can read', async () => {
    chmodSync(path.join(temp.dir, 'secrets', 'feed-signing.pem'), 0o644);
    const run = await runPublish(setup, clock);
    expect(run.code).toBe(1);
    expect(run.err[0]).toMatch(/may be read by other accounts .*chmod 600/);
  });
});
