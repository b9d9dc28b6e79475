import type { KioskDatabase } from './database';

/** One sign-in subject's count of consecutive wrong codes, and the lock it earned. */
export interface LockoutRecord {
  consecutiveFailures: number;
  lockedUntil: number | null;
  adminLocked: boolean;
}

/** `sign_in_lockouts`: the rules that fill it are in `idp/lockout.ts`. */
export class LockoutRepository {
  private readonly row;
  private readonly upsertFailure;
  private readonly reset;
  private readonly resetPair;
  private readonly lockRow;
  private readonly adminLock;
  private readonly clearAll;
  private readonly lockedNow;

  constructor(db: KioskDatabase) {
    this.row = db.prepare<[string], { consecutive_failures: number; locked_until: number | null; admin_locked: number }>(
      'SELECT consecutive_failures, locked_until, admin_locked FROM sign_in_lockouts WHERE subject = ?',
    );
    this.upsertFailure = db
      .prepare<[string], number>(
        `INSERT INTO sign_in_lockouts (subject, consecutive_failures) VALUES (?, 1)
         ON CONFLICT (subject) DO UPDATE SET consecutive_failures = consecutive_failures + 1
         RETURNING consecutive_failures`,
      )
      .pluck();
    this.reset = db.prepare<[string]>('DELETE FROM sign_in_lockouts WHERE subject = ?');
    this.resetPair = db.prepare<[string, string]>('DELETE FROM sign_in_lockouts WHERE subject IN (?, ?)');
    this.lockRow = db.prepare<[number | null, number, string]>('UPDATE sign_in_lockouts SET locked_until = ?, admin_locked = ? WHERE subject = ?');
    this.adminLock = db.prepare<[string, number]>(
      `INSERT INTO sign_in_lockouts (subject, consecutive_failures, admin_locked) VALUES (?, ?, 1)
       ON CONFLICT (subject) DO UPDATE SET consecutive_failures = excluded.consecutive_failures, admin_locked = 1`,
    );
    this.clearAll = db.prepare('DELETE FROM sign_in_lockouts');
    this.lockedNow = db.prepare<[number], { subject: string; locked_until: number | null; admin_locked: number }>(
      'SELECT subject, locked_until, admin_locked FROM sign_in_lockouts WHERE admin_locked = 1 OR locked_until > ? ORDER BY subject',
    );
  }

  /** Every subject locked at `now`: until when, or null for "until an admin unlocks". */
  lockedAt(now: number): Array<{ subject: string; until: number | null }> {
    return this.lockedNow.all(now).map((row) => ({ subject: row.subject, until: row.admin_locked === 1 ? null : row.locked_until }));
  }

  get(subject: string): LockoutRecord | null {
    const row = this.row.get(subject);
    return row ? { consecutiveFailures: row.consecutive_failures, lockedUntil: row.locked_until, adminLocked: row.admin_locked === 1 } : null;
  }

  /** Counts one more failure; returns the new count. */
  addFailure(subject: string): number {
    return this.upsertFailure.get(subject)!;
  }

  lock(subject: string, until: number | null, adminLocked: boolean): void {
    this.lockRow.run(until, adminLocked ? 1 : 0, subject);
  }

  /** Locks until an admin unlocks, as if after `failures` wrong codes (the demo's locked worker). */
  lockUntilAdminUnlocks(subject: string, failures: number): void {
    this.adminLock.run(subject, failures);
  }

  /** Forgets the count and any lock; true when there was one. */
  clear(subject: string): boolean {
    return this.reset.run(subject).changes > 0;
  }

  /** Forgets two subjects' counts and locks in one statement (a sign-in's hot path). */
  clearBoth(first: string, second: string): void {
    this.resetPair.run(first, second);
  }

  clearEverything(): void {
    this.clearAll.run();
  }
}
