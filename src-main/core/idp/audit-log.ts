import type { AuditKind } from '../../../shared/contract';
import type { Clock } from '../clock';
import type { KioskDatabase } from '../store/database';
import type { PhoneKey } from './phone-key';
import { maskPhoneNumber } from './phone-number';

export type AuditEventType =
  | 'signIn.start'
  | 'sms.send'
  | 'signIn.verify'
  | 'signIn.lockout'
  | 'admin.unlock'
  | 'admin.action'
  | 'signIn.abandoned'
  | 'session.signOut'
  | 'sync.apply';

/** The admin screen's kinds of event, each the types it covers. */
export const auditTypesOfKind: Record<AuditKind, AuditEventType[]> = {
  signIn: ['signIn.start', 'signIn.verify', 'signIn.lockout', 'signIn.abandoned'],
  sms: ['sms.send'],
  session: ['session.signOut'],
  admin: ['admin.unlock', 'admin.action'],
  sync: ['sync.apply'],
};

export type AuditOutcome = 'success' | 'failure' | 'info';
export type AuditDetails = Record<string, string | number | boolean>;

export interface AuditEntry {
  type: AuditEventType;
  outcome: AuditOutcome;
  /** The real reason, even where the person at the kiosk is told less (enumeration). */
  reason?: string;
  userId?: string | null;
  /** E.164; stored only masked and as a keyed hash. */
  phoneNumber?: string;
  details?: AuditDetails;
}

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

export interface AuditQuery {
  since?: number;
  until?: number;
  types?: AuditEventType[];
  outcome?: AuditOutcome;
  /** E.164: matched through its keyed hash. */
  phoneNumber?: string;
  limit: number;
}

export interface AuditRetention {
  days: number;
  maxRows: number;
}

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

const PRUNE_EVERY = 500;
const DAY_MS = 24 * 60 * 60_000;

/**
 * Every sign-in decision, lockout, unlock, sign-out and sync, for IT. Never holds a code
 * or a full phone number; keeps what retention allows and prunes the rest.
 */
export class AuditLog {
  private readonly insertRow;
  private readonly pruneByAge;
  private readonly pruneByCount;
  private readonly oldestAfter;
  private insertsSincePrune = 0;
  /** Events above this id are never pruned: the audit upload has not delivered them yet. */
  private pruneFloor: (() => number) | null = null;

  constructor(
    private readonly db: KioskDatabase,
    private readonly clock: Clock,
    private readonly phoneKey: PhoneKey,
    private readonly retention: () => AuditRetention,
  ) {
    this.insertRow = db.prepare(
      'INSERT INTO audit_events (at, type, outcome, reason, user_id, phone_masked, phone_key, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.pruneByAge = db.prepare<[number, number]>('DELETE FROM audit_events WHERE at < ? AND id <= ?');
    this.pruneByCount = db.prepare<[number, number]>('DELETE FROM audit_events WHERE id <= (SELECT max(id) FROM audit_events) - ? AND id <= ?');
    this.oldestAfter = db.prepare<[number, number, number], AuditRow>(
      'SELECT id, at, type, outcome, reason, user_id, phone_masked, details FROM audit_events WHERE id > ? AND id <= ? ORDER BY id LIMIT ?',
    );
  }

  /**
   * While audit upload is configured: events above `floor()` (the last id the backend
   * acknowledged) are kept whatever retention says, so nothing is lost while offline.
   */
  setPruneFloor(floor: (() => number) | null): void {
    this.pruneFloor = floor;
  }

  record(entry: AuditEntry): void {
    const phone = entry.phoneNumber;
    this.insertRow.run(
      this.clock.now(),
      entry.type,
      entry.outcome,
      entry.reason ?? null,
      entry.userId ?? null,
      phone ? maskPhoneNumber(phone) : null,
      phone ? this.phoneKey(phone) : null,
      entry.details ? JSON.stringify(entry.details) : null,
    );
    this.insertsSincePrune += 1;
    if (this.insertsSincePrune >= PRUNE_EVERY) this.prune();
  }

  /** Drops events older than the retention period, then the oldest beyond the row cap. */
  prune(): void {
    const { days, maxRows } = this.retention();
    const floor = this.pruneFloor?.() ?? Number.MAX_SAFE_INTEGER;
    this.pruneByAge.run(this.clock.now() - days * DAY_MS, floor);
    this.pruneByCount.run(maxRows, floor);
    this.insertsSincePrune = 0;
  }

  /** Oldest first: up to `limit` events with `afterId < id <= throughId`, for the upload outbox. */
  eventsAfter(afterId: number, limit: number, throughId = Number.MAX_SAFE_INTEGER): AuditRecord[] {
    return this.oldestAfter.all(afterId, throughId, limit).map(toRecord);
  }

  /** Newest first. */
  query(query: AuditQuery): AuditRecord[] {
    const where: string[] = [];
    const params: Array<string | number> = [];
    const filter = (clause: string, ...values: Array<string | number>) => {
      where.push(clause);
      params.push(...values);
    };
    if (query.since !== undefined) filter('at >= ?', query.since);
    if (query.until !== undefined) filter('at < ?', query.until);
    if (query.outcome) filter('outcome = ?', query.outcome);
    if (query.phoneNumber) filter('phone_key = ?', this.phoneKey(query.phoneNumber));
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
