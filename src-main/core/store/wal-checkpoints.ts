import type { Scheduler } from '../base/clock';
import type { KioskDatabase } from './database';

/** How often the contract's connection folds its write-ahead log back into the database. */
export const IDLE_CHECKPOINT_MS = 10_000;

/**
 * Moves WAL checkpoints off the sign-in path. SQLite's automatic checkpoint runs inside
 * the commit that crosses 1,000 pages, so some sign-in paid for copying the log; here the
 * contract's connection never checkpoints on commit, and a timer checkpoints between
 * calls instead (PASSIVE: it never waits for a reader or a writer, so the sync worker's
 * transaction is never held up). The log's file is cut back to `journal_size_limit`
 * after each checkpoint, which caps the disk it takes. Returns the stop function.
 */
export function startIdleCheckpoints(db: KioskDatabase, scheduler: Scheduler, everyMs = IDLE_CHECKPOINT_MS): () => void {
  db.pragma('wal_autocheckpoint = 0');
  let cancel: (() => void) | null = null;
  const plan = () => {
    cancel = scheduler.after(everyMs, () => {
      // The kiosk file's log only: the directory file's is the sync worker's to fold back.
      if (db.open && !db.inTransaction) db.pragma('main.wal_checkpoint(PASSIVE)');
      plan();
    });
  };
  plan();
  return () => {
    cancel?.();
    cancel = null;
  };
}
