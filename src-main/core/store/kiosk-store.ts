import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AuditRepository } from './audit-repository';
import { AuditUploadRepository } from './audit-upload-repository';
import { AuthenticatorRepository } from './authenticator-repository';
import { ChallengeRepository } from './challenge-repository';
import { openDatabase, type KioskDatabase } from './database';
import { DirectoryRepository } from './directory-repository';
import { LockoutRepository } from './lockout-repository';
import { LogoutOutboxRepository } from './logout-outbox-repository';
import { OidcRepository } from './oidc-repository';
import { ProviderHealthRepository } from './provider-health-repository';
import { SendLogRepository } from './send-log-repository';
import { SessionRepository } from './session-repository';
import { ShiftPinRepository } from './shift-pin-repository';
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
  readonly shiftPins: ShiftPinRepository;
  readonly authenticators: AuthenticatorRepository;
  readonly sendLog: SendLogRepository;
  /** How each configured SMS provider is doing (sms and sms.fallback). */
  readonly providerHealth: ProviderHealthRepository;
  readonly auditEvents: AuditRepository;
  readonly auditUploads: AuditUploadRepository;
  /** Single sign-on: the OpenID Connect provider's records and the back-channel logout outbox. */
  readonly oidc: OidcRepository;
  readonly logoutOutbox: LogoutOutboxRepository;
  /** Sync progress for one source (a different source starts again from a snapshot). */
  syncState(sourceId: string): SyncStateRepository;
  /** Runs `work` in one transaction, or as part of the caller's. */
  transaction<T>(work: () => T): T;
  /**
   * Like `transaction`, but on disk before it returns (synchronous = FULL for its commit):
   * for the counters that limit guessing and sending, which a power loss must not roll back.
   */
  durably<T>(work: () => T): T;
  close(): void;
}

/**
 * Opens (creating the folder and file if needed) `kiosk.db` in `dataDir`. `_durable: false`
 * is for the bench alone, to measure what durable commits cost.
 */
export function openKioskStore(dataDir: string, options: { _durable?: boolean } = {}): KioskStore {
  mkdirSync(dataDir, { recursive: true });
  const db = openDatabase(path.join(dataDir, 'kiosk.db'));
  const transaction = <T>(work: () => T): T => (db.inTransaction ? work() : retryWhileBusy(() => db.transaction(work)()));
  return {
    db,
    directory: new DirectoryRepository(db),
    challenges: new ChallengeRepository(db),
    sessions: new SessionRepository(db),
    lockouts: new LockoutRepository(db),
    shiftPins: new ShiftPinRepository(db),
    authenticators: new AuthenticatorRepository(db),
    sendLog: new SendLogRepository(db),
    providerHealth: new ProviderHealthRepository(db),
    auditEvents: new AuditRepository(db),
    auditUploads: new AuditUploadRepository(db),
    oidc: new OidcRepository(db),
    logoutOutbox: new LogoutOutboxRepository(db),
    syncState: (sourceId) => new SyncStateRepository(db, sourceId),
    transaction,
    durably: (work) => {
      if (db.inTransaction || options._durable === false) return transaction(work);
      db.pragma('synchronous = FULL');
      try {
        return transaction(work);
      } finally {
        db.pragma('synchronous = NORMAL');
      }
    },
    close: () => db.close(),
  };
}

/** How long a transaction waits, in all, for another connection's write to end. */
const BUSY_BUDGET_MS = 5_000;
const BUSY_PAUSE_MS = 2;

/**
 * Runs a transaction again while SQLite answers SQLITE_BUSY (or SQLITE_BUSY_SNAPSHOT): the
 * contract's transactions begin DEFERRED — BEGIN IMMEDIATE would also lock the attached
 * directory file, which the sync worker holds while it writes — so one that read first
 * cannot write once the worker's short commit to this file has landed; busy_timeout does not
 * cover that case. Nothing of a refused attempt was written (better-sqlite3 rolled it back),
 * so the whole of it runs again, after a pause of a few ms.
 */
function retryWhileBusy<T>(attempt: () => T): T {
  const deadline = Date.now() + BUSY_BUDGET_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      return attempt();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const busy = code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT';
      if (!busy || Date.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, BUSY_PAUSE_MS);
    }
  }
}
