import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AuditRepository } from './audit-repository';
import { AuditUploadRepository } from './audit-upload-repository';
import { ChallengeRepository } from './challenge-repository';
import { openDatabase, type KioskDatabase } from './database';
import { DirectoryRepository } from './directory-repository';
import { LockoutRepository } from './lockout-repository';
import { SendLogRepository } from './send-log-repository';
import { SessionRepository } from './session-repository';
import { SyncStateRepository } from './sync-state-repository';

/**
 * The kiosk's one SQLite file behind typed repositories, one per table family (as Signal
 * Desktop keeps its database behind `ts/sql`): every SQL statement of the product lives in
 * this folder.
 */
export interface KioskStore {
  readonly db: KioskDatabase;
  readonly directory: DirectoryRepository;
  readonly challenges: ChallengeRepository;
  readonly sessions: SessionRepository;
  readonly lockouts: LockoutRepository;
  readonly sendLog: SendLogRepository;
  readonly auditEvents: AuditRepository;
  readonly auditUploads: AuditUploadRepository;
  /** Sync progress for one source (a different source starts again from a snapshot). */
  syncState(sourceId: string): SyncStateRepository;
  /** Runs `work` in one transaction, or as part of the caller's. */
  transaction<T>(work: () => T): T;
  close(): void;
}

/** Opens (creating the folder and file if needed) `kiosk.db` in `dataDir`. */
export function openKioskStore(dataDir: string): KioskStore {
  mkdirSync(dataDir, { recursive: true });
  const db = openDatabase(path.join(dataDir, 'kiosk.db'));
  return {
    db,
    directory: new DirectoryRepository(db),
    challenges: new ChallengeRepository(db),
    sessions: new SessionRepository(db),
    lockouts: new LockoutRepository(db),
    sendLog: new SendLogRepository(db),
    auditEvents: new AuditRepository(db),
    auditUploads: new AuditUploadRepository(db),
    syncState: (sourceId) => new SyncStateRepository(db, sourceId),
    transaction: (work) => (db.inTransaction ? work() : db.transaction(work)()),
    close: () => db.close(),
  };
}
