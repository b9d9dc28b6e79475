import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AuditLog } from '../../src-main/core/idp/audit-log';
import { phoneKeyer } from '../../src-main/core/idp/phone-key';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-secret-store';
import { openDatabase, type KioskDatabase } from '../../src-main/core/store/database';
import { DirectoryRepository } from '../../src-main/core/store/directory-repository';
import { defaultAuditRetention } from '../../src-main/core/directory/directory-snapshot';
import { FEED_FORMAT, FEED_VERSION } from '../../src-main/core/sync/feed/feed-document';
import { signFeedBytes } from '../../src-main/core/sync/feed/feed-signature';
import { SignedFeedSource } from '../../src-main/core/sync/feed/signed-feed-source';
import { SyncScheduler, type SyncStatus } from '../../src-main/core/sync/sync-scheduler';
import { FakeClock, seededRandom } from '../fakes';
import { AuditRepository } from '../../src-main/core/store/audit-repository';
import { writeStreamedFeed, type StreamedFeedHeader } from '../../src-main/cli/streamed-feed';

/** A signed feed file, as a fleet's file share holds it, and the public key kiosks pin. */
export interface FeedFile {
  feedPath: string;
  publicKeyPem: string;
  bytes: number;
}

const publisherKey = generateKeyPairSync('ed25519');

/** Writes `<dir>/feed.json` (the feed header added to `body`) and its detached signature `feed.json.jws`. */
export async function writeSignedFeed(dir: string, body: Record<string, unknown>, key: KeyObject = publisherKey.privateKey): Promise<FeedFile> {
  mkdirSync(dir, { recursive: true });
  const feedPath = path.join(dir, 'feed.json');
  const bytes = Buffer.from(JSON.stringify({ format: FEED_FORMAT, version: FEED_VERSION, ...body }));
  writeFileSync(feedPath, bytes);
  writeFileSync(`${feedPath}.jws`, await signFeedBytes(bytes, key));
  return { feedPath, publicKeyPem: publisherKey.publicKey.export({ type: 'spki', format: 'pem' }).toString(), bytes: bytes.length };
}

/**
 * Writes a streamed feed into `dir` (`feed.ndjson`, and `feed.manifest.json` signed by its
 * `.jws`): `feedPath` is the manifest, which a kiosk is configured with; `bytes` the NDJSON's.
 */
export async function writeSignedStreamedFeed(dir: string, header: StreamedFeedHeader, users: Iterable<unknown>): Promise<FeedFile> {
  mkdirSync(dir, { recursive: true });
  const files = await writeStreamedFeed(dir, 'feed', header, users, publisherKey.privateKey);
  return { feedPath: files.manifestPath, publicKeyPem: publisherKey.publicKey.export({ type: 'spki', format: 'pem' }).toString(), bytes: files.bytes };
}

/** A kiosk store in `dataDir` and the real sync of a feed file into it: read, verify, parse, apply, record. */
export interface FeedFileSync {
  db: KioskDatabase;
  directory: DirectoryRepository;
  /** One sync, as the scheduler runs it; rejects unless it applied. */
  syncNow(): Promise<SyncStatus>;
  close(): void;
}

/** `maxBytes`: the source's size limit (default 64 MiB; the 1,000,000-user bench feed is larger). */
export function openFeedFileSync(dataDir: string, feed: Pick<FeedFile, 'feedPath' | 'publicKeyPem'>, maxBytes?: number): FeedFileSync {
  mkdirSync(dataDir, { recursive: true });
  const clock = new FakeClock();
  const db = openDatabase(path.join(dataDir, 'kiosk.db'));
  const directory = new DirectoryRepository(db);
  const audit = new AuditLog(new AuditRepository(db), clock, phoneKeyer(Buffer.alloc(32, 1)), () => defaultAuditRetention);
  const source = new SignedFeedSource({ location: feed.feedPath, publicKey: feed.publicKeyPem, ...(maxBytes && { maxBytes }) }, { secrets: new MemorySecretStore(), clock });
  const scheduler = new SyncScheduler({}, { source, sourceId: source.id, db, directory, audit, clock, scheduler: clock, random: seededRandom() });
  return {
    db,
    directory,
    syncNow: async () => {
      const status = await scheduler.syncNow();
      if (status.lastError) throw new Error(`the sync was refused: ${status.lastError.reason}: ${status.lastError.message}`);
      return status;
    },
    close: () => {
      scheduler.stop();
      db.close();
    },
  };
}
