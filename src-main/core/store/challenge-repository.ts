import type { KioskDatabase } from './database';

export interface ChallengeRecord {
  id: string;
  /** E.164, only while one user may sign in with it (`userId` set); otherwise null. */
  phoneNumber: string | null;
  /** The number's keyed hash: what the caps and the audit log find it by. */
  phoneKey: string;
  /** `+1 ••• ••• 4567`, as the audit log and the code screen show it. */
  phoneMasked: string;
  /** Null when the number may not sign in: no code was sent. */
  userId: string | null;
  codeHmac: Buffer | null;
  createdAt: number;
  expiresAt: number;
  lastSentAt: number;
  /** Who pays for wrong codes: see `lockout.ts`. */
  lockoutSubject: string;
  failedAttempts: number;
  consumedAt: number | null;
}

interface ChallengeRow {
  id: string;
  phone_number: string | null;
  phone_key: string;
  phone_masked: string;
  user_id: string | null;
  code_hmac: Buffer | null;
  created_at: number;
  expires_at: number;
  last_sent_at: number;
  lockout_subject: string;
  failed_attempts: number;
  consumed_at: number | null;
}

export class ChallengeRepository {
  private readonly insertRow;
  private readonly byId;
  private readonly addFailure;
  private readonly consumeRow;
  private readonly markSent;
  private readonly pruneExpired;
  private readonly clearAll;

  constructor(db: KioskDatabase) {
    this.insertRow = db.prepare(
      `INSERT INTO challenges (id, phone_number, phone_key, phone_masked, user_id, code_hmac, created_at, expires_at, last_sent_at, lockout_subject)
       VALUES (@id, @phoneNumber, @phoneKey, @phoneMasked, @userId, @codeHmac, @createdAt, @expiresAt, @lastSentAt, @lockoutSubject)`,
    );
    this.byId = db.prepare<[string], ChallengeRow>('SELECT * FROM challenges WHERE id = ?');
    this.addFailure = db.prepare<[string], { failed_attempts: number }>(
      'UPDATE challenges SET failed_attempts = failed_attempts + 1 WHERE id = ? RETURNING failed_attempts',
    );
    this.consumeRow = db.prepare<[number, string]>('UPDATE challenges SET consumed_at = ? WHERE id = ? AND consumed_at IS NULL');
    // Only if the cooldown has passed: the check and the claim are one statement.
    this.markSent = db.prepare<[number, string, number]>('UPDATE challenges SET last_sent_at = ? WHERE id = ? AND last_sent_at <= ?');
    this.pruneExpired = db.prepare<[number]>('DELETE FROM challenges WHERE expires_at < ?');
    this.clearAll = db.prepare('DELETE FROM challenges');
  }

  insert(challenge: Omit<ChallengeRecord, 'failedAttempts' | 'consumedAt'>): void {
    this.insertRow.run(challenge);
  }

  find(id: string): ChallengeRecord | undefined {
    const row = this.byId.get(id);
    if (!row) return undefined;
    return {
      id: row.id,
      phoneNumber: row.phone_number,
      phoneKey: row.phone_key,
      phoneMasked: row.phone_masked,
      userId: row.user_id,
      codeHmac: row.code_hmac,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      lastSentAt: row.last_sent_at,
      lockoutSubject: row.lockout_subject,
      failedAttempts: row.failed_attempts,
      consumedAt: row.consumed_at,
    };
  }

  /** Counts one wrong entry and returns the new total. */
  recordFailure(id: string): number {
    return this.addFailure.get(id)?.failed_attempts ?? 0;
  }

  /** Claims a resend at `at` if the last send was at or before `sentBy`; false if another claimed it. */
  claimResend(id: string, at: number, sentBy: number): boolean {
    return this.markSent.run(at, id, sentBy).changes === 1;
  }

  /** Marks the code used; false if something used it first (single use holds under races). */
  consume(id: string, at: number): boolean {
    return this.consumeRow.run(at, id).changes === 1;
  }

  /** Forgets challenges that expired before `before`; returns how many. */
  forgetExpiredBefore(before: number): number {
    return this.pruneExpired.run(before).changes;
  }

  /** Forgets every code entry (the demo's reset). */
  clearEverything(): void {
    this.clearAll.run();
  }
}
