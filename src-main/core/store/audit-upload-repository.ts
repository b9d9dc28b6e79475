import type { KioskDatabase } from './database';
import type { SyncError } from './sync-state-repository';

/** Where the audit upload stands: the last id the backend acknowledged and the batch in flight. */
export interface AuditUploadState {
  deviceId: string;
  acknowledgedId: number;
  pendingFirstId: number | null;
  pendingLastId: number | null;
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  lastError: SyncError | null;
  consecutiveFailures: number;
}

interface UploadRow {
  device_id: string;
  acknowledged_id: number;
  pending_first_id: number | null;
  pending_last_id: number | null;
  last_attempt_at: number | null;
  last_success_at: number | null;
  last_error_reason: string | null;
  last_error_message: string | null;
  consecutive_failures: number;
}

/** `audit_upload_state` (one row): the outbox itself is `audit_events`, read from `acknowledgedId`. */
export class AuditUploadRepository {
  private readonly create;
  private readonly row;
  private readonly pinRange;
  private readonly acknowledge;
  private readonly failed;

  constructor(db: KioskDatabase) {
    this.create = db.prepare<[string]>('INSERT INTO audit_upload_state (id, device_id) VALUES (1, ?) ON CONFLICT (id) DO NOTHING');
    this.row = db.prepare<[], UploadRow>('SELECT * FROM audit_upload_state WHERE id = 1');
    this.pinRange = db.prepare<[number, number]>('UPDATE audit_upload_state SET pending_first_id = ?, pending_last_id = ? WHERE id = 1');
    this.acknowledge = db.prepare<{ at: number }>(
      `UPDATE audit_upload_state SET acknowledged_id = pending_last_id, pending_first_id = NULL, pending_last_id = NULL,
         last_attempt_at = @at, last_success_at = @at, last_error_reason = NULL, last_error_message = NULL, consecutive_failures = 0
       WHERE id = 1`,
    );
    this.failed = db.prepare<[number, string, string]>(
      `UPDATE audit_upload_state SET last_attempt_at = ?, last_error_reason = ?, last_error_message = ?,
         consecutive_failures = consecutive_failures + 1 WHERE id = 1`,
    );
  }

  /** Creates the row on first use, with this device's id for idempotency keys. */
  ensure(deviceId: string): void {
    this.create.run(deviceId);
  }

  state(): AuditUploadState {
    const row = this.row.get()!;
    return {
      deviceId: row.device_id,
      acknowledgedId: row.acknowledged_id,
      pendingFirstId: row.pending_first_id,
      pendingLastId: row.pending_last_id,
      lastAttemptAt: row.last_attempt_at,
      lastSuccessAt: row.last_success_at,
      lastError: row.last_error_reason !== null ? { reason: row.last_error_reason, message: row.last_error_message ?? '' } : null,
      consecutiveFailures: row.consecutive_failures,
    };
  }

  /** Keeps this id range as the batch in flight until the backend acknowledges it. */
  pin(firstId: number, lastId: number): void {
    this.pinRange.run(firstId, lastId);
  }

  acknowledged(at: number): void {
    this.acknowledge.run({ at });
  }

  recordFailure(at: number, error: SyncError): void {
    this.failed.run(at, error.reason, error.message);
  }
}
