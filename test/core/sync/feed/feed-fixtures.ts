import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import path from 'node:path';
import { AuditLog } from '../../../../src-main/core/idp/audit-log';
import { phoneKeyer } from '../../../../src-main/core/idp/phone-key';
import { openDatabase, type KioskDatabase } from '../../../../src-main/core/store/database';
import { DirectoryRepository } from '../../../../src-main/core/store/directory-repository';
import { demoTenant } from '../../../../src-main/core/modes/demo-tenant';
import { defaultAuditRetention } from '../../../../src-main/core/directory/directory-snapshot';
import type { DirectoryDeltaInput } from '../../../../src-main/core/directory/directory-delta';
import { FEED_FORMAT, FEED_VERSION } from '../../../../src-main/core/sync/feed/feed-document';
import { signFeedBytes } from '../../../../src-main/core/sync/feed/feed-signature';
import { FakeClock, tempDir } from '../../../fakes';
import { AuditRepository } from '../../../../src-main/core/store/audit-repository';

/** The key the kiosks in these tests pin, and a stranger's key. */
export const trustedKey = generateKeyPairSync('ed25519');
export const strangerKey = generateKeyPairSync('ed25519');
export const trustedPublicPem = trustedKey.publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** A snapshot feed of the demo tenant (its numbers as a directory would type them) at `cursor`. */
export function snapshotFeed(cursor: string, change?: (feed: ReturnType<typeof demoFeed>) => void): string {
  const feed = demoFeed(cursor);
  change?.(feed);
  return JSON.stringify(feed, null, 2);
}

/**
 * The sync tests' directory: the demo tenant's first six people, fixed, so the counts the
 * tests assert do not move when the demo's story grows.
 */
export function sixPersonTenant() {
  const tenant = structuredClone(demoTenant);
  return { ...tenant, users: tenant.users!.slice(0, 6) };
}

function demoFeed(cursor: string) {
  return { format: FEED_FORMAT, version: FEED_VERSION, kind: 'snapshot', cursor, ...sixPersonTenant() } as Record<string, unknown> & {
    users: NonNullable<(typeof demoTenant)['users']>;
  };
}

export function deltaFeed(since: string, cursor: string, delta: DirectoryDeltaInput): string {
  return JSON.stringify({ format: FEED_FORMAT, version: FEED_VERSION, kind: 'delta', since, cursor, ...delta });
}

export interface SignedFeed {
  body: Buffer;
  /** The detached JWS, as `<feed>.jws` holds it; null for an unsigned feed. */
  jws: string | null;
}

export async function sign(body: string | Buffer, key: KeyObject = trustedKey.privateKey): Promise<SignedFeed> {
  const bytes = Buffer.from(body);
  return { body: bytes, jws: await signFeedBytes(bytes, key) };
}

/** A kiosk database in a temp directory with its directory and audit log. */
export interface TestStore {
  db: KioskDatabase;
  directory: DirectoryRepository;
  audit: AuditLog;
  clock: FakeClock;
  close(): void;
}

export function openTestStore(clock = new FakeClock()): TestStore {
  const temp = tempDir('kiosk-sync-');
  const db = openDatabase(path.join(temp.dir, 'kiosk.db'));
  const directory = new DirectoryRepository(db);
  const audit = new AuditLog(new AuditRepository(db), clock, phoneKeyer(Buffer.alloc(32, 7)), () => defaultAuditRetention);
  return {
    db,
    directory,
    audit,
    clock,
    close: () => {
      db.close();
      temp.remove();
    },
  };
}

const directoryTables = ['users', 'groups', 'group_members', 'phone_methods', 'sms_method_policy', 'kiosk_settings'];

/** Every row of every directory table, in a stable order: equal dumps, equal directories. */
export function dumpDirectory(db: KioskDatabase): Record<string, unknown[]> {
  return Object.fromEntries(directoryTables.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()]));
}

/** Each holder of `e164` with their stored state, sorted by user. */
export function statesOf(db: KioskDatabase, e164: string): Array<{ user_id: string; sms_sign_in_state: string }> {
  return db
    .prepare<[string], { user_id: string; sms_sign_in_state: string }>(
      'SELECT user_id, sms_sign_in_state FROM phone_methods WHERE phone_number = ? ORDER BY user_id',
    )
    .all(e164);
}
