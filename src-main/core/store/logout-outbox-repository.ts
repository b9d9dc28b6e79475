import type { KioskDatabase } from './database';

/** A back-channel logout owed to an app: who, which provider session, and when to try. */
export interface OwedLogout {
  id: number;
  clientId: string;
  subject: string;
  sid: string;
  attempts: number;
}

/** The back-channel logout outbox: at-least-once delivery that survives restarts and offline hours. */
export class LogoutOutboxRepository {
  private readonly insertRow;
  private readonly dueRows;
  private readonly deleteRow;
  private readonly retryRow;
  private readonly nextRow;
  private readonly countRows;

  constructor(db: KioskDatabase) {
    this.insertRow = db.prepare(
      `INSERT INTO sso_logout_outbox (client_id, subject, sid, queued_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (client_id, sid) DO NOTHING`,
    );
    this.dueRows = db.prepare<[number], { id: number; client_id: string; subject: string; sid: string; attempts: number }>(
      'SELECT id, client_id, subject, sid, attempts FROM sso_logout_outbox WHERE next_attempt_at <= ? ORDER BY id LIMIT 100',
    );
    this.deleteRow = db.prepare('DELETE FROM sso_logout_outbox WHERE id = ?');
    this.retryRow = db.prepare('UPDATE sso_logout_outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?');
    this.nextRow = db.prepare<[], { at: number | null }>('SELECT min(next_attempt_at) AS at FROM sso_logout_outbox');
    this.countRows = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sso_logout_outbox');
  }

  enqueue(clientId: string, subject: string, sid: string, now: number): void {
    this.insertRow.run(clientId, subject, sid, now, now);
  }

  due(now: number): OwedLogout[] {
    return this.dueRows.all(now).map((row) => ({ id: row.id, clientId: row.client_id, subject: row.subject, sid: row.sid, attempts: row.attempts }));
  }

  /** Delivered, or owed to an app that policy no longer lists. */
  remove(id: number): void {
    this.deleteRow.run(id);
  }

  retryAt(id: number, at: number): void {
    this.retryRow.run(at, id);
  }

  /** When the next owed logout falls due; null when none is owed. */
  nextAttemptAt(): number | null {
    return this.nextRow.get()!.at;
  }

  count(): number {
    return this.countRows.get()!.n;
  }
}
