import type { Clock } from '../clock';
import type { KioskDatabase } from '../store/database';
import { maskPhoneNumber } from './phone-number';

export type AuditEventType = 'signIn.start' | 'sms.send' | 'signIn.verify' | 'session.signOut' | 'sync.apply';

export interface AuditEntry {
  type: AuditEventType;
  outcome: 'success' | 'failure' | 'info';
  /** The real reason, even where the person at the kiosk is told less (enumeration). */
  reason?: string;
  userId?: string | null;
  /** E.164; stored masked only. */
  phoneNumber?: string;
  details?: Record<string, string | number | boolean>;
}

export interface AuditRecord {
  id: number;
  at: number;
  type: AuditEventType;
  outcome: AuditEntry['outcome'];
  reason: string | null;
  userId: string | null;
  phoneMasked: string | null;
  details: Record<string, string | number | boolean> | null;
}

/** Every sign-in decision and sign-out, for IT. Never holds a code or a full phone number. */
export class AuditLog {
  private readonly insertRow;
  private readonly recentRows;

  constructor(
    db: KioskDatabase,
    private readonly clock: Clock,
  ) {
    this.insertRow = db.prepare(
      'INSERT INTO audit_events (at, type, outcome, reason, user_id, phone_masked, details) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.recentRows = db.prepare<[number], { id: number; at: number; type: AuditEventType; outcome: AuditEntry['outcome']; reason: string | null; user_id: string | null; phone_masked: string | null; details: string | null }>(
      'SELECT * FROM audit_events ORDER BY id DESC LIMIT ?',
    );
  }

  record(entry: AuditEntry): void {
    this.insertRow.run(
      this.clock.now(),
      entry.type,
      entry.outcome,
      entry.reason ?? null,
      entry.userId ?? null,
      entry.phoneNumber ? maskPhoneNumber(entry.phoneNumber) : null,
      entry.details ? JSON.stringify(entry.details) : null,
    );
  }

  /** Newest first. */
  recent(limit: number): AuditRecord[] {
    return this.recentRows.all(limit).map((row) => ({
      id: row.id,
      at: row.at,
      type: row.type,
      outcome: row.outcome,
      reason: row.reason,
      userId: row.user_id,
      phoneMasked: row.phone_masked,
      details: row.details ? (JSON.parse(row.details) as AuditRecord['details']) : null,
    }));
  }
}
