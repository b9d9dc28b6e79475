import type { Clock } from '../base/clock';
import type { SendLogRepository } from '../store/send-log-repository';

export const SENDS_PER_NUMBER = 5;
export const SEND_WINDOW_MS = 15 * 60_000;
export const KIOSK_WINDOW_MS = 60 * 60_000;

export type SendAllowance = { allowed: true } | { allowed: false; reason: 'perNumber' | 'perKiosk'; retryAt: number };

/**
 * Caps on texts: five unanswered per number per 15 minutes, and a per-kiosk hourly ceiling
 * against SMS pumping. A text whose code was then used to sign in is answered and no longer
 * counts against its number — a worker signed out by idle, or a trainer repeating the demo,
 * can always sign back in — while texts nobody answers (pumping, a typo, pretended sends to
 * numbers that may not sign in, texts the provider failed to take) stay capped. Only whoever
 * holds the phone can answer, so the rule reveals nothing about registration. The kiosk-wide
 * cap counts every send, pretended or failed, answered or not: otherwise a cap, or an outage,
 * would tell a prober which numbers are registered.
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
    const all = this.sends.sendTimesSince(now - KIOSK_WINDOW_MS);
    if (all.length >= maxPerKioskPerHour) {
      return { allowed: false, reason: 'perKiosk', retryAt: all[all.length - maxPerKioskPerHour]! + KIOSK_WINDOW_MS };
    }
    return { allowed: true };
  }

  /** The texts to this number since `since` were answered by a sign-in. */
  answered(phoneKey: string, since: number): void {
    this.sends.answered(phoneKey, since, this.clock.now());
  }

  /**
   * Counts a send now, before anything is awaited, in the caller's transaction: concurrent
   * requests cannot slip past the caps, and nothing gives it back.
   */
  reserve(phoneKey: string, delivered: boolean): void {
    const now = this.clock.now();
    this.sends.add(phoneKey, now, delivered, now - KIOSK_WINDOW_MS);
  }
}
