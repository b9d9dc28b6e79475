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

  constructor(db: KioskDatabase) {
    this.insertRow = db.prepare('INSERT INTO sessions (id, user_id, started_at) VALUES (?, ?, ?)');
    this.closeRow = db.prepare('UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL');
    this.openRows = db.prepare<[], { id: string; user_id: string; started_at: number }>(
      'SELECT id, user_id, started_at FROM sessions WHERE ended_at IS NULL',
    );
  }

  /** Throws if a session is already open: the schema allows exactly one per kiosk. */
  open(id: string, userId: string, startedAt: number): void {
    this.insertRow.run(id, userId, startedAt);
  }

  close(id: string, endedAt: number, reason: SignOutReason): void {
    this.closeRow.run(endedAt, reason, id);
  }

  openSessions(): OpenSession[] {
    return this.openRows.all().map((row) => ({ id: row.id, userId: row.user_id, startedAt: row.started_at }));
  }
}
