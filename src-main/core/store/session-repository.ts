import type { KioskDatabase } from './database';
import type { SignOutReason } from '../../../shared/contract';

export type { SignOutReason };

export interface OpenSession {
  id: string;
  userId: string;
  startedAt: number;
}

export class SessionRepository {
  private readonly insertRow;
  private readonly closeRow;
  private readonly openRows;
  private readonly amrRow;

  constructor(db: KioskDatabase) {
    this.insertRow = db.prepare('INSERT INTO sessions (id, user_id, started_at, amr) VALUES (?, ?, ?, ?)');
    this.amrRow = db.prepare<[string, string]>('UPDATE sessions SET amr = ? WHERE id = ?');
    this.closeRow = db.prepare('UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL');
    this.openRows = db.prepare<[], { id: string; user_id: string; started_at: number }>(
      'SELECT id, user_id, started_at FROM sessions WHERE ended_at IS NULL',
    );
  }

  /** Throws if a session is already open: the schema allows exactly one per kiosk. */
  /** `amr`: RFC 8176 values, how the worker proved who they are. */
  open(id: string, userId: string, startedAt: number, amr: readonly string[] = ['sms']): void {
    this.insertRow.run(id, userId, startedAt, JSON.stringify(amr));
  }

  /** A further proof during the session (an authenticator code before a sensitive app). */
  setAmr(id: string, amr: readonly string[]): void {
    this.amrRow.run(JSON.stringify(amr), id);
  }

  close(id: string, endedAt: number, reason: SignOutReason): void {
    this.closeRow.run(endedAt, reason, id);
  }

  openSessions(): OpenSession[] {
    return this.openRows.all().map((row) => ({ id: row.id, userId: row.user_id, startedAt: row.started_at }));
  }
}
