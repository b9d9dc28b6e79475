import type { KioskDatabase } from './database';

/** A worker's authenticator app on this kiosk: the secret only sealed (rules in `idp/authenticator.ts`). */
export interface AuthenticatorRecord {
  userId: string;
  /** AES-256-GCM sealed; null until a set-up is confirmed with a first code. */
  secretSealed: Buffer | null;
  /** A set-up shown on screen, awaiting its first code. */
  pendingSealed: Buffer | null;
  confirmedAt: number | null;
  /** The newest RFC 6238 time step a code was accepted for: that step and older are refused. */
  lastUsedStep: number;
}

interface AuthenticatorRow {
  user_id: string;
  secret_sealed: Buffer | null;
  pending_sealed: Buffer | null;
  confirmed_at: number | null;
  last_used_step: number;
}

/** `authenticator_enrolments`. */
export class AuthenticatorRepository {
  private readonly byUser;
  private readonly savePendingRow;
  private readonly confirmRow;
  private readonly useStepRow;
  private readonly deleteUser;
  private readonly deleteAll;

  constructor(db: KioskDatabase) {
    this.byUser = db.prepare<[string], AuthenticatorRow>('SELECT * FROM authenticator_enrolments WHERE user_id = ?');
    this.savePendingRow = db.prepare<[string, Buffer]>(
      `INSERT INTO authenticator_enrolments (user_id, pending_sealed) VALUES (?, ?)
       ON CONFLICT (user_id) DO UPDATE SET pending_sealed = excluded.pending_sealed`,
    );
    this.confirmRow = db.prepare<[number, number, string]>(
      'UPDATE authenticator_enrolments SET secret_sealed = pending_sealed, pending_sealed = NULL, confirmed_at = ?, last_used_step = ? WHERE user_id = ? AND pending_sealed IS NOT NULL',
    );
    // Only forward: the check and the claim are one statement, so a code is used once under races.
    this.useStepRow = db.prepare<[number, string, number]>('UPDATE authenticator_enrolments SET last_used_step = ? WHERE user_id = ? AND last_used_step < ?');
    this.deleteUser = db.prepare<[string]>('DELETE FROM authenticator_enrolments WHERE user_id = ?');
    this.deleteAll = db.prepare('DELETE FROM authenticator_enrolments');
  }

  find(userId: string): AuthenticatorRecord | undefined {
    const row = this.byUser.get(userId);
    return (
      row && {
        userId: row.user_id,
        secretSealed: row.secret_sealed,
        pendingSealed: row.pending_sealed,
        confirmedAt: row.confirmed_at,
        lastUsedStep: row.last_used_step,
      }
    );
  }

  savePending(userId: string, sealed: Buffer): void {
    this.savePendingRow.run(userId, sealed);
  }

  /** The pending set-up becomes the enrolment; false if there was none. */
  confirm(userId: string, at: number, step: number): boolean {
    return this.confirmRow.run(at, step, userId).changes === 1;
  }

  /** Claims `step` as used; false if it (or a later one) was used already. */
  useStep(userId: string, step: number): boolean {
    return this.useStepRow.run(step, userId, step).changes === 1;
  }

  delete(userId: string): boolean {
    return this.deleteUser.run(userId).changes > 0;
  }

  deleteEverything(): void {
    this.deleteAll.run();
  }
}
