import type { KioskDatabase } from './database';

export interface SyncError {
  /** Short and stable, from `SyncRefusedError.reason`: `bad-signature`, `throttled`, `network`… */
  reason: string;
  message: string;
}

export interface SyncState {
  /** The cursor the last applied change came with; null: the next fetch asks for everything. */
  cursor: string | null;
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  lastError: SyncError | null;
  consecutiveFailures: number;
}

interface StateRow {
  source_id: string;
  cursor: string | null;
  last_attempt_at: number | null;
  last_success_at: number | null;
  last_error_reason: string | null;
  last_error_message: string | null;
  consecutive_failures: number;
}

/**
 * How far the kiosk has read its directory source and how the last attempts went, in the
 * kiosk database (one row). A different source (the config now names another feed) starts
 * again from a full snapshot: a cursor means nothing to a source that did not issue it.
 */
export class SyncStateRepository {
  private readonly row;
  private readonly upsert;

  constructor(
    db: KioskDatabase,
    private readonly sourceId: string,
  ) {
    this.row = db.prepare<[], StateRow>('SELECT * FROM directory_sync_state WHERE id = 1');
    this.upsert = db.prepare(
      `INSERT INTO directory_sync_state (id, source_id, cursor, last_attempt_at, last_success_at, last_error_reason, last_error_message, consecutive_failures)
       VALUES (1, @sourceId, @cursor, @lastAttemptAt, @lastSuccessAt, @reason, @message, @consecutiveFailures)
       ON CONFLICT (id) DO UPDATE SET source_id = excluded.source_id, cursor = excluded.cursor,
         last_attempt_at = excluded.last_attempt_at, last_success_at = excluded.last_success_at,
         last_error_reason = excluded.last_error_reason, last_error_message = excluded.last_error_message,
         consecutive_failures = excluded.consecutive_failures`,
    );
  }

  load(): SyncState {
    const row = this.row.get();
    if (!row) return { cursor: null, lastAttemptAt: null, lastSuccessAt: null, lastError: null, consecutiveFailures: 0 };
    const sameSource = row.source_id === this.sourceId;
    return {
      cursor: sameSource ? row.cursor : null,
      lastAttemptAt: row.last_attempt_at,
      lastSuccessAt: row.last_success_at,
      lastError: row.last_error_reason !== null ? { reason: row.last_error_reason, message: row.last_error_message ?? '' } : null,
      consecutiveFailures: sameSource ? row.consecutive_failures : 0,
    };
  }

  /** How the last attempt went, whichever source made it (the IT command line's status). */
  lastOutcome(): Pick<SyncState, 'lastSuccessAt' | 'lastError'> {
    const { lastSuccessAt, lastError } = this.load();
    return { lastSuccessAt, lastError };
  }

  /**
   * A fetch or apply that failed: the cursor stays where the last good one left it. (A
   * success is recorded from the directory file's commit: `catchUpWithDirectory`.)
   */
  recordFailure(at: number, error: SyncError): SyncState {
    const state = this.load();
    return this.save({ ...state, lastAttemptAt: at, lastError: error, consecutiveFailures: state.consecutiveFailures + 1 });
  }

  private save(state: SyncState): SyncState {
    this.upsert.run({
      sourceId: this.sourceId,
      cursor: state.cursor,
      lastAttemptAt: state.lastAttemptAt,
      lastSuccessAt: state.lastSuccessAt,
      reason: state.lastError?.reason ?? null,
      message: state.lastError?.message ?? null,
      consecutiveFailures: state.consecutiveFailures,
    });
    return state;
  }
}
