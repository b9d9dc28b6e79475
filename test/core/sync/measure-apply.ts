/**
 * How long a big store's sync takes: reading and verifying a 100,000-user signed feed,
 * its first full apply, the same feed again, a 1,000-change delta, and a snapshot with
 * 1,000 users changed. Not a test (times vary by machine); run it with
 *
 *   npx esbuild test/core/sync/measure-apply.ts --bundle --platform=node --external:better-sqlite3 \
 *     --outfile=node_modules/.cache/measure-apply.js && node node_modules/.cache/measure-apply.js [users]
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuditLog } from '../../../src-main/core/idp/audit-log';
import { phoneKeyer } from '../../../src-main/core/idp/phone-key';
import { openDatabase } from '../../../src-main/core/store/database';
import { DirectoryRepository } from '../../../src-main/core/store/directory-repository';
import { applyDirectoryChange } from '../../../src-main/core/sync/apply-change';
import { directorySnapshotSchema } from '../../../src-main/core/directory/directory-snapshot';
import { directoryDeltaSchema } from '../../../src-main/core/directory/directory-delta';
import { FEED_FORMAT, FEED_VERSION, parseFeedDocument } from '../../../src-main/core/sync/feed/feed-document';
import { readPinnedKey, signFeedBytes, verifyFeedSignature } from '../../../src-main/core/sync/feed/feed-signature';
import { largeDelta, largeSnapshot } from './large-directory';
import { AuditRepository } from '../../../src-main/core/store/audit-repository';

async function measure(users: number): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'measure-apply-'));
  const db = openDatabase(path.join(dir, 'kiosk.db'));
  const directory = new DirectoryRepository(db);
  const audit = new AuditLog(new AuditRepository(db), { now: () => Date.now() }, phoneKeyer(Buffer.alloc(32, 1)), () => ({ days: 90, maxRows: 200_000 }));
  const time = async <T>(label: string, work: () => T | Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work();
    console.log(`${label.padEnd(52)} ${Math.round(performance.now() - start).toString().padStart(6)} ms`);
    return result;
  };

  const bytes = Buffer.from(JSON.stringify({ format: FEED_FORMAT, version: FEED_VERSION, kind: 'snapshot', cursor: 'c1', ...largeSnapshot(users) }));
  console.log(`${users} users, feed of ${(bytes.length / 1e6).toFixed(1)} MB`);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jws = await signFeedBytes(bytes, privateKey);
  await time('verify the signature', () => verifyFeedSignature(bytes, jws, [readPinnedKey(publicKey.export({ format: 'jwk' }))]));
  const feed = await time('parse and validate (JSON.parse + zod)', () => parseFeedDocument(bytes));
  if (feed.kind !== 'snapshot') throw new Error('expected a snapshot');
  await time('full apply into an empty store', () => applyDirectoryChange({ kind: 'snapshot', snapshot: feed.snapshot, cursor: 'c1' }, directory, audit));
  const again = parseFeedDocument(bytes);
  if (again.kind !== 'snapshot') throw new Error('expected a snapshot');
  await time('the same snapshot again (nothing changed)', () => applyDirectoryChange({ kind: 'snapshot', snapshot: again.snapshot, cursor: 'c1' }, directory, audit));
  const delta = directoryDeltaSchema.parse(largeDelta(users, 1000));
  await time('delta of 1,000 changes (750 changed, 250 removed)', () => applyDirectoryChange({ kind: 'delta', delta, cursor: 'c2' }, directory, audit));
  const changed = directorySnapshotSchema.parse(largeSnapshot(users));
  for (let i = 0; i < 1000; i++) changed.users[(i * 97) % users]!.displayName = `Changed ${i}`;
  await time('snapshot with 1,000 users changed', () => applyDirectoryChange({ kind: 'snapshot', snapshot: changed, cursor: 'c3' }, directory, audit));
  console.log(`peak resident memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  db.close();
  rmSync(dir, { recursive: true, force: true });
}

void measure(Number(process.argv[2] ?? 100_000));
