import type { KioskDatabase } from './database';

/** `sms_sends`: every text sent or pretended, for the caps in `idp/send-limits.ts`. */
export class SendLogRepository {
  private readonly sendsForNumber;
  private readonly deliveredSince;
  private readonly insertSend;
  private readonly deleteSend;
  private readonly pruneOld;
  private readonly clearAll;
  private readonly markAnswered;

  constructor(db: KioskDatabase) {
    this.sendsForNumber = db
      .prepare<[string, number], number>('SELECT at FROM sms_sends WHERE phone_key = ? AND at > ? AND answered = 0 ORDER BY at')
      .pluck();
    this.markAnswered = db.prepare<[string, number, number]>('UPDATE sms_sends SET answered = 1 WHERE phone_key = ? AND at >= ? AND at <= ?');
    this.deliveredSince = db.prepare<[number], number>('SELECT at FROM sms_sends WHERE delivered = 1 AND at > ? ORDER BY at').pluck();
    this.insertSend = db.prepare<[string, number, number]>('INSERT INTO sms_sends (phone_key, at, delivered) VALUES (?, ?, ?)');
    this.deleteSend = db.prepare<[number | bigint]>('DELETE FROM sms_sends WHERE id = ?');
    this.pruneOld = db.prepare<[number]>('DELETE FROM sms_sends WHERE at <= ?');
    this.clearAll = db.prepare('DELETE FROM sms_sends');
  }

  /** The texts to this number from `since` to `until` were answered: their code signed someone in. */
  answered(phoneKey: string, since: number, until: number): void {
    this.markAnswered.run(phoneKey, since, until);
  }

  /** When each unanswered send to this number after `since` happened, oldest first. */
  sendTimesFor(phoneKey: string, since: number): number[] {
    return this.sendsForNumber.all(phoneKey, since);
  }

  /** When each real (delivered) text after `since` went out, oldest first. */
  deliveredTimesSince(since: number): number[] {
    return this.deliveredSince.all(since);
  }

  /** Records a send; returns its id, to take it back. */
  add(phoneKey: string, at: number, delivered: boolean): number | bigint {
    return this.insertSend.run(phoneKey, at, delivered ? 1 : 0).lastInsertRowid;
  }

  remove(id: number | bigint): void {
    this.deleteSend.run(id);
  }

  forgetUntil(at: number): void {
    this.pruneOld.run(at);
  }

  clearEverything(): void {
    this.clearAll.run();
  }
}
