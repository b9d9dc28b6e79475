import type { Clock } from '../base/clock';
import type { KioskDatabase } from '../store/database';

export const SENDS_PER_NUMBER = 5;
export const SEND_WINDOW_MS = 15 * 60_000;
export const KIOSK_WINDOW_MS = 60 * 60_000;

export type SendAllowance = { allowed: true } | { allowed: false; reason: 'perNumber' | 'perKiosk'; retryAt: number };

/**
 * Caps on texts: five per number per 15 minutes (pretended sends to unregistered numbers
 * count too, so the cap reveals nothing), and a per-kiosk hourly ceiling on real texts
 * against SMS pumping. A send is reserved before it goes out and released if it fails, so
 * concurrent requests cannot slip past the caps and a failed send uses up nothing.
 */
export class SendLimits {
  private readonly sendsForNumber;
  private readonly deliveredSince;
  private readonly insertSend;
  private readonly deleteSend;
  private readonly pruneOld;

  constructor(
    db: KioskDatabase,
    private readonly clock: Clock,
  ) {
    this.sendsForNumber = db.prepare<[string, number], { at: number }>('SELECT at FROM sms_sends WHERE phone_key = ? AND at > ? ORDER BY at');
    this.deliveredSince = db.prepare<[number], { at: number }>('SELECT at FROM sms_sends WHERE delivered = 1 AND at > ? ORDER BY at');
    this.insertSend = db.prepare<[string, number, number]>('INSERT INTO sms_sends (phone_key, at, delivered) VALUES (?, ?, ?)');
    this.deleteSend = db.prepare<[number | bigint]>('DELETE FROM sms_sends WHERE id = ?');
    this.pruneOld = db.prepare<[number]>('DELETE FROM sms_sends WHERE at <= ?');
  }

  check(phoneKey: string, maxPerKioskPerHour: number): SendAllowance {
    const now = this.clock.now();
    const forNumber = this.sendsForNumber.all(phoneKey, now - SEND_WINDOW_MS);
    if (forNumber.length >= SENDS_PER_NUMBER) {
      return { allowed: false, reason: 'perNumber', retryAt: forNumber[forNumber.length - SENDS_PER_NUMBER]!.at + SEND_WINDOW_MS };
    }
    const delivered = this.deliveredSince.all(now - KIOSK_WINDOW_MS);
    if (delivered.length >= maxPerKioskPerHour) {
      return { allowed: false, reason: 'perKiosk', retryAt: delivered[delivered.length - maxPerKioskPerHour]!.at + KIOSK_WINDOW_MS };
    }
    return { allowed: true };
  }

  /** Counts a send now; call the returned function to take it back if the send failed. */
  reserve(phoneKey: string, delivered: boolean): () => void {
    const now = this.clock.now();
    this.pruneOld.run(now - KIOSK_WINDOW_MS);
    const id = this.insertSend.run(phoneKey, now, delivered ? 1 : 0).lastInsertRowid;
    return () => this.deleteSend.run(id);
  }
}
