import type { KioskDatabase } from './database';

/**
 * `sms_sends`: every text sent or pretended, for the caps in `idp/send-limits.ts`; and
 * `sms_send_times`: how long real texts took, for the start deadline in `idp/send-timing.ts`.
 */
export class SendLogRepository {
  private readonly sendsForNumber;
  private readonly sendsSince;
  private readonly insertSend;
  private readonly pruneOld;
  private readonly clearAll;
  private readonly insertTime;
  private readonly recentTimes;
  private readonly pruneTimes;
  private readonly clearTimes;
  private readonly markAnswered;

  constructor(db: KioskDatabase) {
    this.sendsForNumber = db
      .prepare<[string, number], number>('SELECT at FROM sms_sends WHERE phone_key = ? AND at > ? AND answered = 0 ORDER BY at')
      .pluck();
    this.markAnswered = db.prepare<[string, number, number]>('UPDATE sms_sends SET answered = 1 WHERE phone_key = ? AND at >= ? AND at <= ?');
    this.sendsSince = db.prepare<[number], number>('SELECT at FROM sms_sends WHERE at > ? ORDER BY at').pluck();
    this.insertSend = db.prepare<[string, number, number]>('INSERT INTO sms_sends (phone_key, at, delivered) VALUES (?, ?, ?)');
    this.pruneOld = db.prepare<[number]>('DELETE FROM sms_sends WHERE at <= ?');
    this.clearAll = db.prepare('DELETE FROM sms_sends');
    this.insertTime = db.prepare<[number, number, number]>('INSERT INTO sms_send_times (at, took_ms, delivered) VALUES (?, ?, ?)');
    this.recentTimes = db.prepare<[number], { took_ms: number; delivered: number }>(
      'SELECT took_ms, delivered FROM sms_send_times ORDER BY id DESC LIMIT ?',
    );
    this.pruneTimes = db.prepare<[number]>('DELETE FROM sms_send_times WHERE id <= (SELECT MAX(id) FROM sms_send_times) - ?');
    this.clearTimes = db.prepare('DELETE FROM sms_send_times');
  }

  /** The texts to this number from `since` to `until` were answered: their code signed someone in. */
  answered(phoneKey: string, since: number, until: number): void {
    this.markAnswered.run(phoneKey, since, until);
  }

  /** When each unanswered send to this number after `since` happened, oldest first. */
  sendTimesFor(phoneKey: string, since: number): number[] {
    return this.sendsForNumber.all(phoneKey, since);
  }

  /** When each send (real or pretended, to any number) after `since` happened, oldest first. */
  sendTimesSince(since: number): number[] {
    return this.sendsSince.all(since);
  }

  /** Records a send (forgetting those older than `forgetUntil`). */
  add(phoneKey: string, at: number, delivered: boolean, forgetUntil: number): void {
    this.pruneOld.run(forgetUntil);
    this.insertSend.run(phoneKey, at, delivered ? 1 : 0);
  }

  /** Records how long a real text took and whether the provider took it; keeps the newest `keep`. */
  addSendTime(at: number, tookMs: number, delivered: boolean, keep: number): void {
    this.insertTime.run(at, tookMs, delivered ? 1 : 0);
    this.pruneTimes.run(keep);
  }

  /** The newest `limit` real texts, newest first. */
  recentSendTimes(limit: number): Array<{ tookMs: number; delivered: boolean }> {
    return this.recentTimes.all(limit).map((row) => ({ tookMs: row.took_ms, delivered: row.delivered === 1 }));
  }

  clearEverything(): void {
    this.clearAll.run();
    this.clearTimes.run();
  }
}
