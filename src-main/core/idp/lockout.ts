import type { Clock } from '../base/clock';
import type { KioskDatabase } from '../store/database';

// NIST SP 800-63B §5.2.2: limit consecutive failed attempts on one account.
export const FAILURES_PER_LOCKOUT = 10;
export const FIRST_LOCKOUT_MS = 60_000;
export const LONGEST_LOCKOUT_MS = 60 * 60_000;
export const FAILURES_UNTIL_ADMIN_UNLOCK = 100;

export type LockState = { locked: false } | { locked: true; until: number | null };

/**
 * How long the lock lasts after this many consecutive failures: every tenth failure locks,
 * for 1 minute, then 2, 4, … up to 1 hour; the hundredth locks until an admin unlocks
 * (`null`). `undefined` means this failure does not lock.
 */
export function lockoutAfter(failures: number): number | null | undefined {
  if (failures >= FAILURES_UNTIL_ADMIN_UNLOCK) return null;
  if (failures === 0 || failures % FAILURES_PER_LOCKOUT !== 0) return undefined;
  const lockoutNumber = failures / FAILURES_PER_LOCKOUT;
  return Math.min(FIRST_LOCKOUT_MS * 2 ** (lockoutNumber - 1), LONGEST_LOCKOUT_MS);
}

/** A sign-in subject: one user, or one number no single user holds (so it locks alike). */
export const userSubject = (userId: string) => `user:${userId}`;
export const numberSubject = (phoneKey: string) => `number:${phoneKey}`;

/** Consecutive wrong codes per subject, and the locks they earn. A success resets them. */
export class SignInLockout {
  private readonly row;
  private readonly upsertFailure;
  private readonly reset;
  private readonly lockRow;

  constructor(
    db: KioskDatabase,
    private readonly clock: Clock,
  ) {
    this.row = db.prepare<[string], { consecutive_failures: number; locked_until: number | null; admin_locked: number }>(
      'SELECT consecutive_failures, locked_until, admin_locked FROM sign_in_lockouts WHERE subject = ?',
    );
    this.upsertFailure = db.prepare<[string], { consecutive_failures: number }>(
      `INSERT INTO sign_in_lockouts (subject, consecutive_failures) VALUES (?, 1)
       ON CONFLICT (subject) DO UPDATE SET consecutive_failures = consecutive_failures + 1
       RETURNING consecutive_failures`,
    );
    this.reset = db.prepare<[string]>('DELETE FROM sign_in_lockouts WHERE subject = ?');
    this.lockRow = db.prepare<[number | null, number, string]>(
      'UPDATE sign_in_lockouts SET locked_until = ?, admin_locked = ? WHERE subject = ?',
    );
  }

  state(subject: string): LockState {
    const row = this.row.get(subject);
    if (!row) return { locked: false };
    if (row.admin_locked === 1) return { locked: true, until: null };
    if (row.locked_until !== null && row.locked_until > this.clock.now()) return { locked: true, until: row.locked_until };
    return { locked: false };
  }

  /** Counts one failure; returns the lock it earned, if any. */
  recordFailure(subject: string): LockState {
    const failures = this.upsertFailure.get(subject)!.consecutive_failures;
    const duration = lockoutAfter(failures);
    if (duration === undefined) return { locked: false };
    const until = duration === null ? null : this.clock.now() + duration;
    this.lockRow.run(until, duration === null ? 1 : 0, subject);
    return { locked: true, until };
  }

  recordSuccess(subject: string): void {
    this.reset.run(subject);
  }

  /** An admin lifts any lock and clears the count. */
  unlock(subject: string): boolean {
    return this.reset.run(subject).changes > 0;
  }
}
