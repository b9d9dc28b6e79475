import type { KioskDatabase } from './database';

export type AuditEventType =
  | 'signIn.start'
  | 'sms.send'
  | 'signIn.verify'
  | 'signIn.lockout'
  | 'admin.unlock'
  | 'admin.action'
  | 'signIn.abandoned'
  | 'session.signOut'
  | 'sync.apply'
  | 'sso.signIn'
  | 'sso.backchannelLogout'
  | 'kiosk.heartbeat'
  | 'shiftPin.set'
  | 'shiftPin.ended'
  | 'authenticator.enrolled'
  | 'authenticator.stepUp';

export type AuditOutcome = 'success' | 'failure' | 'info';
export type AuditDetails = Record<string, string | number | boolean>;

export interface AuditRecord {
  id: number;
  at: number;
  type: AuditEventType;
  outcome: AuditOutcome;
  reason: string | null;
  userId: string | null;
  phoneMasked: string | null;
  details: AuditDetails | null;
}

/** What a stored event is matched on; the number only through its keyed hash. */
export interface AuditFilter {
  since?: number;
  until?: number;
  types?: AuditEventType[];
  outcome?: AuditOutcome;
  phoneKey?: string;
  limit: number;
}

/** A new event: what it will read back as, with the number's keyed hash for search. */
export type AuditInsert = Omit<AuditRecord, 'id'> & { phoneKey: string | null };

interface AuditRow {
  id: number;
  at: number;
  type: AuditEventType;
  outcome: AuditOutcome;
  reason: string | null;
  user_id: string | null;
  phone_masked: string | null;
  details: string | null;
}

/** `audit_events`: written by `idp/audit-log.ts`, read by the admin screen and the upload outbox. */
export class AuditRepository {
  private readonly insertRow;
  private readonly pruneByAge;
  private readonly pruneByCount;
  private readonly oldestAfter;
  private readonly countAfter;

  constructor(private readonly db: KioskDatabase) {
    this.insertRow = db.prepare(
      'INSERT INTO audit_events (at, type, outcome, reason, user_id, phone_masked, phone_key, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.pruneByAge = db.prepare<[number, number]>('DELETE FROM audit_events WHERE at < ? AND id <= ?');
    this.pruneByCount = db.prepare<[number, number]>('DELETE FROM audit_events WHERE id <= (SELECT max(id) FROM audit_events) - ? AND id <= ?');
    this.oldestAfter = db.prepare<[number, number, number], AuditRow>(
      'SELECT id, at, type, outcome, reason, user_id, phone_masked, details FROM audit_events WHERE id > ? AND id <= ? ORDER BY id LIMIT ?',
    );
    this.countAfter = db.prepare<[number], number>('SELECT count(*) FROM audit_events WHERE id > ?').pluck();
  }

  insert(event: AuditInsert): void {
    this.insertRow.run(
      event.at,
      event.type,
      event.outcome,
      event.reason,
      event.userId,
      event.phoneMasked,
      event.phoneKey,
      event.details ? JSON.stringify(event.details) : null,
    );
  }

  /** Deletes events before `before`, and all but the newest `keepRows`, never one above `floorId`. */
  prune(before: number, keepRows: number, floorId: number): void {
    this.pruneByAge.run(before, floorId);
    this.pruneByCount.run(keepRows, floorId);
  }

  /** Oldest first: up to `limit` events with `afterId < id <= throughId`. */
  eventsAfter(afterId: number, limit: number, throughId = Number.MAX_SAFE_INTEGER): AuditRecord[] {
    return this.oldestAfter.all(afterId, throughId, limit).map(toRecord);
  }

  countAfterId(afterId: number): number {
    return this.countAfter.get(afterId) ?? 0;
  }

  /** Newest first. */
  query(query: AuditFilter): AuditRecord[] {
    const where: string[] = [];
    const params: Array<string | number> = [];
    const filter = (clause: string, ...values: Array<string | number>) => {
      where.push(clause);
      params.push(...values);
    };
    if (query.since !== undefined) filter('at >= ?', query.since);
    if (query.until !== undefined) filter('at < ?', query.until);
    if (query.outcome) filter('outcome = ?', query.outcome);
    if (query.phoneKey) filter('phone_key = ?', query.phoneKey);
    if (query.types?.length) filter(`type IN (${query.types.map(() => '?').join(', ')})`, ...query.types);
    const sql = `SELECT id, at, type, outcome, reason, user_id, phone_masked, details FROM audit_events
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return this.db
      .prepare<Array<string | number>, AuditRow>(sql)
      .all(...params, query.limit)
      .map(toRecord);
  }
}
function toRecord(row: AuditRow): AuditRecord {
  return {
    id: row.id,
    at: row.at,
    type: row.type,
    outcome: row.outcome,
    reason: row.reason,
    userId: row.user_id,
    phoneMasked: row.phone_masked,
    details: row.details ? (JSON.parse(row.details) as AuditDetails) : null,
  };
}
