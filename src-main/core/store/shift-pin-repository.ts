import type { KioskDatabase } from './database';

/** A worker's shift PIN on this kiosk: only its slow keyed hash (rules in `idp/shift-pin.ts`). */
export interface ShiftPinRecord {
  userId: string;
  phoneKey: string;
  /** E.164: the number the worker signed in with when they set it (the directory holds it too). */
  phoneNumber: string;
  salt: Buffer;
  pinHash: Buffer;
  policyFingerprint: string;
  createdAt: number;
  expiresAt: number;
}

interface ShiftPinRow {
  user_id: string;
  phone_key: string;
  phone_number: string;
  salt: Buffer;
  pin_hash: Buffer;
  policy_fingerprint: string;
  created_at: number;
  expires_at: number;
}

const record = (row: ShiftPinRow): ShiftPinRecord => ({
  userId: row.user_id,
  phoneKey: row.phone_key,
  phoneNumber: row.phone_number,
  salt: row.salt,
  pinHash: row.pin_hash,
  policyFingerprint: row.policy_fingerprint,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

/** `shift_pins`. */
export class ShiftPinRepository {
  private readonly upsert;
  private readonly byUser;
  private readonly allRows;
  private readonly deleteUser;
  private readonly deleteAll;
  private readonly deleteExpired;

  constructor(db: KioskDatabase) {
    this.upsert = db.prepare(
      `INSERT INTO shift_pins (user_id, phone_key, phone_number, salt, pin_hash, policy_fingerprint, created_at, expires_at)
       VALUES (@userId, @phoneKey, @phoneNumber, @salt, @pinHash, @policyFingerprint, @createdAt, @expiresAt)
       ON CONFLICT (user_id) DO UPDATE SET phone_key = excluded.phone_key, phone_number = excluded.phone_number, salt = excluded.salt,
         pin_hash = excluded.pin_hash, policy_fingerprint = excluded.policy_fingerprint, created_at = excluded.created_at, expires_at = excluded.expires_at`,
    );
    this.byUser = db.prepare<[string], ShiftPinRow>('SELECT * FROM shift_pins WHERE user_id = ?');
    this.allRows = db.prepare<[], ShiftPinRow>('SELECT * FROM shift_pins ORDER BY user_id');
    this.deleteUser = db.prepare<[string]>('DELETE FROM shift_pins WHERE user_id = ?');
    this.deleteAll = db.prepare('DELETE FROM shift_pins');
    this.deleteExpired = db.prepare<[number]>('DELETE FROM shift_pins WHERE expires_at <= ?');
  }

  save(pin: ShiftPinRecord): void {
    this.upsert.run(pin);
  }

  find(userId: string): ShiftPinRecord | undefined {
    const row = this.byUser.get(userId);
    return row && record(row);
  }

  all(): ShiftPinRecord[] {
    return this.allRows.all().map(record);
  }

  /** True when there was one. */
  delete(userId: string): boolean {
    return this.deleteUser.run(userId).changes > 0;
  }

  /** How many there were. */
  deleteEverything(): number {
    return this.deleteAll.run().changes;
  }

  forgetExpired(now: number): number {
    return this.deleteExpired.run(now).changes;
  }
}
