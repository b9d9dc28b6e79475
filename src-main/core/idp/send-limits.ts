import type { Clock } from '../base/clock';
import type { SendLogRepository } from '../store/send-log-repository';

export const SENDS_PER_NUMBER = 5;
export const SEND_WINDOW_MS = 15 * 60_000;
export const KIOSK_WINDOW_MS = 60 * 60_000;

export type SendAllowance = { allowed: true } | { allowed: false; reason: 'perNumber' | 'perKiosk'; retryAt: number };

/**
 * Caps on texts: five unanswered per number per 15 minutes, and a per-kiosk hourly ceiling
 * on real texts against SMS pumping. A text whose code was then used to sign in is
 * answered and no longer counts against its number — a worker signed out by idle, or a
 * trainer repeating the demo, can always sign back in — while texts nobody answers (pumping,
 * a typo, pretended sends to unregistered numbers) stay capped. The rule is the same for
 * every number: only whoever holds the phone can answer, so it reveals nothing about
 * registration. The kiosk-wide cap counts every real text, answered or not. A send is reserved before it goes out and released if it fails, so
 * concurrent requests cannot slip past the caps and a failed send uses up nothing.
 */
export class SendLimits {
  constructor(
    private readonly sends: SendLogRepository,
    private readonly clock: Clock,
  ) {}

  check(phoneKey: string, maxPerKioskPerHour: number): SendAllowance {
    const now = this.clock.now();
    const forNumber = this.sends.sendTimesFor(phoneKey, now - SEND_WINDOW_MS);
    if (forNumber.length >= SENDS_PER_NUMBER) {
      return { allowed: false, reason: 'perNumber', retryAt: forNumber[forNumber.length - SENDS_PER_NUMBER]! + SEND_WINDOW_MS };
    }
    const delivered = this.sends.deliveredTimesSince(now - KIOSK_WINDOW_MS);
    if (delivered.length >= maxPerKioskPerHour) {
      return { allowed: false, reason: 'perKiosk', retryAt: delivered[delivered.length - maxPerKioskPerHour]! + KIOSK_WINDOW_MS };
    }
    return { allowed: true };
  }

  /** The texts to this number since `since` were answered by a sign-in. */
  answered(phoneKey: string, since: number): void {
    this.sends.answered(phoneKey, since, this.clock.now());
  }

  /** Counts a send now; call the returned function to take it back if the send failed. */
  reserve(phoneKey: string, delivered: boolean): () => void {
    const now = this.clock.now();
    this.sends.forgetUntil(now - KIOSK_WINDOW_MS);
    const id = this.sends.add(phoneKey, now, delivered);
    return () => this.sends.remove(id);
  }
}
