import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src-main/core/idp/audit-log';
import { phoneKeyer } from '../../../src-main/core/idp/phone-key';
import { MemorySecretStore } from '../../../src-main/core/secrets/memory-secret-store';
import { AuditUpload, type AuditUploadBatch, type AuditUploadOptions } from '../../../src-main/core/sync/audit-upload';
import { seededRandom } from '../../fakes';
import { startLoopbackServer, type LoopbackServer } from '../sms/loopback-server';
import { openTestStore, type TestStore } from './feed/feed-fixtures';
import { AuditRepository } from '../../../src-main/core/store/audit-repository';
import { AuditUploadRepository } from '../../../src-main/core/store/audit-upload-repository';

const TOKEN_ENTRY = 'audit-backend-token';
const TOKEN = 'audit-token-9a8b7c';
const DAY = 24 * 60 * 60_000;

type Answer = 'store' | 'down' | 'store-then-hang';

/**
 * The organisation's audit backend on 127.0.0.1, built as docs/directory-feed.md asks:
 * check the token, store each idempotency key once, answer 2xx. `answers` play in order
 * (the last repeats): `down` answers 503, `store-then-hang` stores but never answers.
 */
interface Backend {
  server: LoopbackServer;
  url: string;
  /** Event ids stored, by idempotency key. */
  stored: Map<string, number[]>;
  batches: AuditUploadBatch[];
  answers: Answer[];
}

let store: TestStore;
let backend: Backend;
let secrets: MemorySecretStore;
let uploads: AuditUpload[];
beforeEach(async () => {
  store = openTestStore();
  secrets = new MemorySecretStore();
  await secrets.set(TOKEN_ENTRY, TOKEN);
  uploads = [];
  const stored = new Map<string, number[]>();
  const batches: AuditUploadBatch[] = [];
  const answers: Answer[] = ['store'];
  let served = 0;
  const server = await startLoopbackServer((request, response) => {
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return void response.writeHead(401).end();
    const answer = answers[Math.min(served++, answers.length - 1)]!;
    if (answer === 'down') return void response.writeHead(503).end();
    const batch = JSON.parse(request.body) as AuditUploadBatch;
    batches.push(batch);
    if (request.headers['idempotency-key'] !== batch.idempotencyKey) return void response.writeHead(400).end();
    if (!stored.has(batch.idempotencyKey)) stored.set(batch.idempotencyKey, batch.events.map((event) => event.id));
    if (answer === 'store') response.writeHead(201).end();
  });
  backend = { server, url: `${server.origin}/kiosk-audit`, stored, batches, answers };
});
afterEach(async () => {
  for (const upload of uploads) upload.stop();
  await backend.server.close();
  store.close();
});

function upload(options: Partial<AuditUploadOptions> = {}, audit = store.audit): AuditUpload {
  const created = new AuditUpload(
    { url: backend.url, bearerTokenSecret: TOKEN_ENTRY, batchSize: 3, ...options },
    { uploads: new AuditUploadRepository(store.db), audit, secrets, clock: store.clock, scheduler: store.clock, random: seededRandom(), deviceName: 'Store 0142 kiosk 1' },
  );
  uploads.push(created);
  return created;
}

function recordEvents(count: number, audit = store.audit): void {
  for (let i = 0; i < count; i++) audit.record({ type: 'signIn.start', outcome: 'failure', reason: 'unknownNumber', phoneNumber: '+12065550199' });
}

function storedIds(): number[] {
  return [...backend.stored.values()].flat().sort((a, b) => a - b);
}

const allIds = () => store.audit.eventsAfter(0, 1000).map((event) => event.id);

describe('audit upload', () => {
  it('uploads every event oldest first, in batches, each with an idempotency key from its id range', async () => {
    recordEvents(7);
    const status = await upload().uploadNow();
    expect(backend.batches.map((batch) => [batch.firstId, batch.lastId, batch.events.length])).toEqual([
      [1, 3, 3],
      [4, 6, 3],
      [7, 7, 1],
    ]);
    const [first] = backend.batches;
    expect(first).toMatchObject({ format: 'frontline-kiosk-audit', version: 1, device: { name: 'Store 0142 kiosk 1' } });
    expect(first!.idempotencyKey).toBe(`${first!.device.id}-1-3`);
    expect(first!.events[0]).toMatchObject({ type: 'signIn.start', reason: 'unknownNumber', phoneMasked: '+1 ••• ••• 0199' });
    expect(JSON.stringify(backend.batches)).not.toContain('2065550199');
    expect(status).toMatchObject({ lastError: null, waiting: 0 });
  });

  it('keeps a batch whole through an outage and sends the same batch again, then what came meanwhile', async () => {
    backend.answers.splice(0, 1, 'down', 'down', 'store');
    recordEvents(2);
    const uploader = upload();
    uploader.start();
    store.clock.advanceTo(uploader.status().nextAttemptAt!);
    await uploader.idle();
    expect(uploader.status()).toMatchObject({ lastError: { reason: 'http-503' }, waiting: 2 });

    recordEvents(3);
    store.clock.advanceTo(uploader.status().nextAttemptAt!);
    await uploader.idle();
    expect(backend.batches.map((batch) => batch.idempotencyKey.replace(/^\w+-/, ''))).toEqual(['1-2', '3-5']);
    expect(storedIds()).toEqual(allIds());
    expect(uploader.status()).toMatchObject({ lastError: null, waiting: 0 });
  });

  it('sends a batch again when its acknowledgement is lost, with the same key, so the backend keeps it once', async () => {
    backend.answers.splice(0, 1, 'store-then-hang', 'store');
    recordEvents(2);
    const uploader = upload({ timeoutMs: 200 });
    expect((await uploader.uploadNow()).lastError).toMatchObject({ reason: 'timeout' });
    await uploader.uploadNow();
    expect(backend.batches.map((batch) => batch.idempotencyKey)).toEqual([backend.batches[0]!.idempotencyKey, backend.batches[0]!.idempotencyKey]);
    expect(storedIds()).toEqual([1, 2]);
  });

  it('resumes after the last acknowledged event when the kiosk restarts', async () => {
    recordEvents(3);
    await upload().uploadNow();
    recordEvents(2);
    await upload().uploadNow();
    expect(backend.batches.map((batch) => [batch.firstId, batch.lastId])).toEqual([
      [1, 3],
      [4, 5],
    ]);
    expect(new Set(backend.batches.map((batch) => batch.device.id)).size).toBe(1);
  });

  it('never lets retention prune an event the backend has not acknowledged', async () => {
    const audit = new AuditLog(new AuditRepository(store.db), store.clock, phoneKeyer(Buffer.alloc(32, 7)), () => ({ days: 1, maxRows: 2 }));
    backend.answers.splice(0, 1, 'down');
    recordEvents(5, audit);
    const uploader = upload({}, audit);
    await uploader.uploadNow();
    store.clock.advance(3 * DAY);
    audit.prune();
    expect(allIds()).toEqual([1, 2, 3, 4, 5]);

    backend.answers.push('store');
    await uploader.uploadNow();
    expect(storedIds()).toEqual([1, 2, 3, 4, 5]);
    audit.prune();
    expect(allIds()).toEqual([]);
  });

  it('refuses an endpoint that is neither https nor on this machine', () => {
    expect(() => upload({ url: 'http://audit.example/kiosk-audit' })).toThrow(/https:/);
  });
});
