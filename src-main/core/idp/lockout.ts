import type { Clock } from '../base/clock';
import type { LockoutRepository } from '../store/lockout-repository';
import { authenticatorTries, shiftPinTries } from './method-tries';

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
const USER_PREFIX = 'user:';
export const userSubject = (userId: string) => `${USER_PREFIX}${userId}`;
export const numberSubject = (phoneKey: string) => `number:${phoneKey}`;

/** Consecutive wrong codes per subject, and the locks they earn. A success resets them. */
export class SignInLockout {
  constructor(
    private readonly lockouts: LockoutRepository,
    private readonly clock: Clock,
  ) {}

  /** The users locked out of SMS sign-in now (numbers nobody holds are left out: nobody to unlock). */
  lockedUsers(): Array<{ userId: string; until: number | null }> {
    return this.lockouts
      .lockedAt(this.clock.now())
      .filter((locked) => locked.subject.startsWith(USER_PREFIX))
      .map((locked) => ({ userId: locked.subject.slice(USER_PREFIX.length), until: locked.until }));
  }

  state(subject: string): LockState {
    const row = this.lockouts.get(subject);
    if (!row) return { locked: false };
    if (row.adminLocked) return { locked: true, until: null };
    if (row.lockedUntil !== null && row.lockedUntil > this.clock.now()) return { locked: true, until: row.lockedUntil };
    return { locked: false };
  }

  /** Counts one failure; returns the lock it earned, if any. */
  recordFailure(subject: string): LockState {
    const duration = lockoutAfter(this.lockouts.addFailure(subject));
    if (duration === undefined) return { locked: false };
    const until = duration === null ? null : this.clock.now() + duration;
    this.lockouts.lock(subject, until, duration === null);
    return { locked: true, until };
  }

  recordSuccess(subject: string): void {
    this.lockouts.clear(subject);
  }

  /** A sign-in by text reopens the number's ways in without one (five wrong tries closed them). */
  reopenMethods(phoneKey: string): void {
    this.lockouts.clearBoth(shiftPinTries(phoneKey), authenticatorTries(phoneKey));
  }

  /** An admin lifts any lock and clears the count. */
  unlock(subject: string): boolean {
    return this.lockouts.clear(subject);
  }
}
