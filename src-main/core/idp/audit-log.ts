import type { AuditKind } from '../../../shared/contract';
import type { Clock } from '../base/clock';
import type { AuditDetails, AuditEventType, AuditInsert, AuditOutcome, AuditRecord, AuditRepository } from '../store/audit-repository';
import type { PhoneKey } from './phone-key';
import { maskPhoneNumber } from '../directory/phone-number';

export type { AuditDetails, AuditEventType, AuditOutcome, AuditRecord } from '../store/audit-repository';

/** The admin screen's kinds of event, each the types it covers. */
export const auditTypesOfKind: Record<AuditKind, AuditEventType[]> = {
  signIn: ['signIn.start', 'signIn.verify', 'signIn.lockout', 'signIn.abandoned', 'shiftPin.set', 'shiftPin.ended', 'authenticator.enrolled', 'authenticator.stepUp'],
  sms: ['sms.send'],
  // An app signing in through the kiosk, and being told of the sign-out, belong to the session.
  session: ['session.signOut', 'sso.signIn', 'sso.backchannelLogout'],
  admin: ['admin.unlock', 'admin.action'],
  sync: ['sync.apply'],
};

export interface AuditEntry {
  type: AuditEventType;
  outcome: AuditOutcome;
  /** The real reason, even where the person at the kiosk is told less (enumeration). */
  reason?: string;
  userId?: string | null;
  /** E.164; stored only masked and as a keyed hash. */
  phoneNumber?: string;
  /** Where the kiosk no longer holds the number itself: its masked form and keyed hash. */
  phone?: { masked: string; key: string };
  details?: AuditDetails;
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

const PRUNE_EVERY = 500;
const DAY_MS = 24 * 60 * 60_000;

/**
 * Every sign-in decision, lockout, unlock, sign-out and sync, for IT. Never holds a code
 * or a full phone number; keeps what retention allows and prunes the rest.
 */
export class AuditLog {
  private insertsSincePrune = 0;
  /** Events above this id are never pruned: the audit upload has not delivered them yet. */
  private pruneFloor: (() => number) | null = null;
  /** One sign-in records several events for one number: mask and key it once. */
  private lastPhone: { number: string; masked: string; key: string } | null = null;

  constructor(
    private readonly events: Pick<AuditRepository, 'insert' | 'prune' | 'eventsAfter' | 'countAfterId' | 'query'>,
    private readonly clock: Clock,
    private readonly phoneKey: PhoneKey,
    private readonly retention: () => AuditRetention,
  ) {}

  /**
   * While audit upload is configured: events above `floor()` (the last id the backend
   * acknowledged) are kept whatever retention says, so nothing is lost while offline.
   */
  setPruneFloor(floor: (() => number) | null): void {
    this.pruneFloor = floor;
  }

  /**
   * The same log writing into `into` instead of the database, never pruning: a sync's
   * events, made while it writes the directory file and stored with that commit, reach the
   * audit table in the kiosk file's own short transaction after it.
   */
  collecting(into: AuditInsert[]): AuditLog {
    const stored = this.events;
    const events = {
      insert: (event: AuditInsert) => void into.push(event),
      prune: () => undefined,
      eventsAfter: (...args: Parameters<AuditRepository['eventsAfter']>) => stored.eventsAfter(...args),
      countAfterId: (...args: Parameters<AuditRepository['countAfterId']>) => stored.countAfterId(...args),
      query: (...args: Parameters<AuditRepository['query']>) => stored.query(...args),
    };
    return new AuditLog(events, this.clock, this.phoneKey, this.retention);
  }

  record(entry: AuditEntry): void {
    const phone = entry.phoneNumber;
    this.events.insert({
      at: this.clock.now(),
      type: entry.type,
      outcome: entry.outcome,
      reason: entry.reason ?? null,
      userId: entry.userId ?? null,
      phoneMasked: phone ? this.phoneFields(phone).masked : (entry.phone?.masked ?? null),
      phoneKey: phone ? this.phoneFields(phone).key : (entry.phone?.key ?? null),
      details: entry.details ?? null,
    });
    this.insertsSincePrune += 1;
    if (this.insertsSincePrune >= PRUNE_EVERY) this.prune();
  }

  private phoneFields(phone: string): { masked: string; key: string } {
    if (this.lastPhone?.number !== phone) this.lastPhone = { number: phone, masked: maskPhoneNumber(phone), key: this.phoneKey(phone) };
    return this.lastPhone;
  }

  /** Drops events older than the retention period, then the oldest beyond the row cap. */
  prune(): void {
    const { days, maxRows } = this.retention();
    this.events.prune(this.clock.now() - days * DAY_MS, maxRows, this.pruneFloor?.() ?? Number.MAX_SAFE_INTEGER);
    this.insertsSincePrune = 0;
  }

  /** Oldest first: up to `limit` events with `afterId < id <= throughId`, for the upload outbox. */
  eventsAfter(afterId: number, limit: number, throughId = Number.MAX_SAFE_INTEGER): AuditRecord[] {
    return this.events.eventsAfter(afterId, limit, throughId);
  }

  /** How many events wait above `afterId`. */
  countAfter(afterId: number): number {
    return this.events.countAfterId(afterId);
  }

  /** Newest first. */
  query({ phoneNumber, ...query }: AuditQuery): AuditRecord[] {
    return this.events.query({ ...query, ...(phoneNumber && { phoneKey: this.phoneKey(phoneNumber) }) });
  }
}
