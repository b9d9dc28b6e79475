import type { KioskDatabase } from './database';

export interface ChallengeRecord {
  id: string;
  phoneNumber: string;
  /** Null when the number may not sign in: no code was sent. */
  userId: string | null;
  codeHmac: Buffer | null;
  createdAt: number;
  expiresAt: number;
  failedAttempts: number;
  consumedAt: number | null;
}

interface ChallengeRow {
  id: string;
  phone_number: string;
  user_id: string | null;
  code_hmac: Buffer | null;
  created_at: number;
  expires_at: number;
  failed_attempts: number;
  consumed_at: number | null;
}

export class ChallengeRepository {
  private readonly insertRow;
  private readonly byId;
  private readonly addFailure;
  private readonly consumeRow;

  constructor(db: KioskDatabase) {
    this.insertRow = db.prepare(
      `INSERT INTO challenges (id, phone_number, user_id, code_hmac, created_at, expires_at)
       VALUES (@id, @phoneNumber, @userId, @codeHmac, @createdAt, @expiresAt)`,
    );
    this.byId = db.prepare<[string], ChallengeRow>('SELECT * FROM challenges WHERE id = ?');
    this.addFailure = db.prepare<[string], { failed_attempts: number }>(
      'UPDATE challenges SET failed_attempts = failed_attempts + 1 WHERE id = ? RETURNING failed_attempts',
    );
    this.consumeRow = db.prepare<[number, string]>('UPDATE challenges SET consumed_at = ? WHERE id = ? AND consumed_at IS NULL');
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
      userId: row.user_id,
      codeHmac: row.code_hmac,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      failedAttempts: row.failed_attempts,
      consumedAt: row.consumed_at,
    };
  }

  /** Counts one wrong entry and returns the new total. */
  recordFailure(id: string): number {
    return this.addFailure.get(id)?.failed_attempts ?? 0;
  }

  /** Marks the code used; false if something used it first (single use holds under races). */
  consume(id: string, at: number): boolean {
    return this.consumeRow.run(at, id).changes === 1;
  }
}
