import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fleetReport } from '../../../src-main/cli/fleet-report';
import { silentLogger } from '../../../src-main/core/base/log';
import { deviceConfigSchema } from '../../../src-main/core/config/device-config';
import { hashAdminPin } from '../../../src-main/core/idp/admin-pin';
import { createKiosk, type Kiosk } from '../../../src-main/core/kiosk';
import { MemorySecretStore } from '../../../src-main/core/secrets/memory-secret-store';
import { AuditUploadRepository } from '../../../src-main/core/store/audit-upload-repository';
import { AuditUpload, type AuditUploadBatch } from '../../../src-main/core/sync/audit-upload';
import { Heartbeat, HEARTBEAT_EVENT, HEARTBEAT_INTERVAL_MS, heartbeatDetails, type HeartbeatInputs } from '../../../src-main/core/sync/heartbeat';
import { FakeStopwatch } from '../kiosk-harness';
import { FakeClock, seededRandom, tempDir } from '../../fakes';
import { startLoopbackServer, type LoopbackServer } from '../sms/loopback-server';
import { openTestStore, sign, snapshotFeed, trustedPublicPem, type TestStore } from './feed/feed-fixtures';

// Heartbeats through the audit upload's outbox to an audit backend on loopback that stores
// each idempotency key once, as docs/directory-feed.md asks of it.

let backend: LoopbackServer;
let batches: AuditUploadBatch[];
let stored: Map<string, AuditUploadBatch>;
let down: boolean;

beforeEach(async () => {
  batches = [];
  stored = new Map();
  down = true;
  backend = await startLoopbackServer((request, response) => {
    if (down) return void response.writeHead(503).end();
    const batch = JSON.parse(request.body) as AuditUploadBatch;
    batches.push(batch);
    if (!stored.has(batch.idempotencyKey)) stored.set(batch.idempotencyKey, batch);
    response.writeHead(201).end();
  });
});
afterEach(() => backend.close());

const heartbeatsStored = () => [...stored.values()].flatMap((batch) => batch.events).filter((event) => event.type === HEARTBEAT_EVENT);

const inputs = (overrides: Partial<HeartbeatInputs> = {}): HeartbeatInputs => ({
  version: '0.1.0',
  startedAt: 0,
  now: 3_600_000,
  sourceKind: 'feed',
  storedCursor: JSON.stringify({ cursor: '20261122T090000Z-3', etag: '"abc"', generatedAt: 1 }),
  lastAttemptAt: 3_000_000,
  lastSuccessAt: 3_000_000,
  lastErrorReason: null,
  recentSends: [{ delivered: true }, { delivered: false }],
  freeDiskBytes: 5 * 1024 ** 3,
  ...overrides,
});

describe('heartbeat details', () => {
  it('say version, directory cursor and age, last sync, SMS health, uptime and free disk', () => {
    expect(heartbeatDetails(inputs())).toEqual({
      version: '0.1.0',
      mode: 'live',
      uptimeSeconds: 3600,
      freeDiskBytes: 5 * 1024 ** 3,
      directoryCursor: '20261122T090000Z-3',
      directorySyncedAt: 3_000_000,
      lastSyncAt: 3_000_000,
      lastSyncOk: true,
      smsRecentSends: 2,
      smsRecentFailures: 1,
      smsLastDelivered: true,
    });
  });

  it("never carry Graph's delta link, which is a URL with a token in it", () => {
    const details = heartbeatDetails(inputs({ sourceKind: 'graph', storedCursor: 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=secret-token' }));
    expect(JSON.stringify(details)).not.toContain('deltatoken');
    expect(details.directoryCursor).toBeUndefined();
  });
});

describe('heartbeats through the audit upload', () => {
  let store: TestStore;
  beforeEach(() => {
    store = openTestStore();
  });
  afterEach(() => store.close());

  it('wait in the outbox while the backend is down, then arrive once each, every 15 minutes', async () => {
    const uploads = new AuditUploadRepository(store.db);
    const upload = new AuditUpload({ url: `${backend.origin}/audit` }, { uploads, audit: store.audit, secrets: new MemorySecretStore(), clock: store.clock, scheduler: store.clock, random: seededRandom(), deviceName: 'Till 3' });
    let beat = 0;
    const heartbeat = new Heartbeat({ audit: store.audit, clock: store.clock, scheduler: store.clock, details: () => Promise.resolve(heartbeatDetails(inputs({ now: ++beat * 1000 }))) });
    heartbeat.start();
    await heartbeat.idle();
    expect(await upload.uploadNow()).toMatchObject({ lastError: { reason: 'http-503' }, waiting: 1 });

    store.clock.advance(HEARTBEAT_INTERVAL_MS);
    await heartbeat.idle();
    store.clock.advance(HEARTBEAT_INTERVAL_MS);
    await heartbeat.idle();
    expect(await upload.uploadNow()).toMatchObject({ waiting: 3 });

    down = false;
    expect(await upload.uploadNow()).toMatchObject({ lastError: null, waiting: 0 });
    // The same outbox range is sent again after an outage; the key makes it one delivery.
    expect(heartbeatsStored().map((event) => (event.details as { uptimeSeconds: number }).uptimeSeconds)).toEqual([1, 2, 3]);
    await upload.uploadNow();
    expect(heartbeatsStored()).toHaveLength(3);
    expect(new Set(batches.map((batch) => batch.idempotencyKey)).size).toBe(batches.length);
    heartbeat.stop();
    store.clock.advance(HEARTBEAT_INTERVAL_MS);
    expect(store.audit.eventsAfter(0, 100)).toHaveLength(3);
  });
});

describe('a live kiosk with an audit upload', () => {
  it('sends a heartbeat as it starts, with the cursor of the feed it applied', async () => {
    const temp = tempDir('kiosk-heartbeat-');
    let kiosk: Kiosk | null = null;
    try {
      down = false;
      const feedFile = path.join(temp.dir, 'feed.json');
      const signed = await sign(snapshotFeed('c1'));
      writeFileSync(feedFile, signed.body);
      writeFileSync(`${feedFile}.jws`, signed.jws!);
      const secrets = new MemorySecretStore();
      await secrets.set('sms-gateway-secret', 'unused');
      await secrets.set('admin-pin-hash', await hashAdminPin('482913', seededRandom('pin')));
      const clock = new FakeClock();
      const config = deviceConfigSchema.parse({
        deviceName: 'Till 3',
        directory: { source: 'feed', feed: { location: feedFile, publicKey: trustedPublicPem } },
        sms: { provider: 'webhook', url: 'http://127.0.0.1:9/sms', signingSecret: 'sms-gateway-secret' },
        auditUpload: { url: `${backend.origin}/audit`, intervalMinutes: 5 },
      });
      kiosk = await createKiosk(
        { mode: 'live', config },
        { dataDir: temp.dir, version: '0.1.0', clock, scheduler: clock, random: seededRandom('live'), secrets, stopwatch: new FakeStopwatch(), log: silentLogger },
      );
      await kiosk.handlers['admin.open']({ pin: '482913' });
      await kiosk.handlers['admin.syncNow']({});
      clock.advance(HEARTBEAT_INTERVAL_MS);
      await vi.waitFor(() => expect(heartbeatsStored().length).toBeGreaterThanOrEqual(2));
      const last = heartbeatsStored().at(-1)!;
      expect(last.details).toMatchObject({ version: '0.1.0', mode: 'live', directoryCursor: 'c1', lastSyncOk: true, uptimeSeconds: 900 });
      expect((last.details as { freeDiskBytes: number }).freeDiskBytes).toBeGreaterThan(0);

      // The backend's log as JSON lines: the publisher's fleet report reads it.
      const logs = path.join(temp.dir, 'heartbeats');
      mkdirSync(logs);
      writeFileSync(path.join(logs, 'audit.jsonl'), [...stored.values()].map((batch) => JSON.stringify(batch)).join('\n'));
      const fresh = fleetReport(logs, { now: clock.now(), staleHours: 24 });
      expect(fresh).toMatchObject({ kiosks: 1, flagged: 0 });
      expect(fresh.lines[0]).toMatch(/^ok Till 3 .* cursor c1, directory 15 min old/);
      const dayLater = fleetReport(logs, { now: clock.now() + 25 * 3_600_000, staleHours: 24 });
      expect(dayLater.flagged).toBe(1);
      expect(dayLater.lines[0]).toMatch(/^!! Till 3 .*DIRECTORY OLD \(25 h\); SILENT for 25 h/);
    } finally {
      kiosk?.close();
      temp.remove();
    }
  });
});
