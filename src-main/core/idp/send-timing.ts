import type { Clock } from '../base/clock';
import type { SendLogRepository } from '../store/send-log-repository';

/** Elapsed time and waiting, injected so tests never sleep. */
export interface Stopwatch {
  /** Monotonic milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realStopwatch: Stopwatch = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A start never answers sooner than this, even before the first real text. */
export const START_DEADLINE_FLOOR_MS = 800;
/** Nor later: past this the code screen shows anyway, and the text may be late. */
export const START_DEADLINE_CEILING_MS = 4_000;
const SAMPLES = 50;
const PERCENTILE = 0.95;
/** Real texts that failed in a row, among the newest, before every start says texts may be late. */
const FAILURES_FOR_NOTICE = 1;

/**
 * When a start (or resend) answers, and whether texts look late. A start answers at a
 * deadline that is the same for every number at that moment: the 95th percentile of the
 * last 50 real send times (kept in SQLite, so a restart does not reset it to a tell-tale
 * zero), between a floor and a ceiling. The text itself goes out beside it and never
 * holds the answer back, so a slow, failing or hanging provider looks the same whether
 * or not the number may sign in.
 */
export class SendTiming {
  /** Real sends still waiting for the provider: stopwatch time each began. */
  private readonly inFlight = new Set<{ startedAt: number }>();

  constructor(
    private readonly stopwatch: Stopwatch,
    private readonly sends: SendLogRepository,
    private readonly clock: Clock,
  ) {}

  /** How long a start waits before it answers, in ms. */
  deadlineMs(): number {
    const took = this.sends
      .recentSendTimes(SAMPLES)
      .map((s) => s.tookMs)
      .sort((a, b) => a - b);
    const high = took.length === 0 ? 0 : took[Math.min(took.length - 1, Math.floor(PERCENTILE * took.length))]!;
    return Math.round(Math.min(START_DEADLINE_CEILING_MS, Math.max(START_DEADLINE_FLOOR_MS, high)));
  }

  /** Waits until the deadline; what the answer waits for, whatever was or was not sent. */
  waitForDeadline(deadlineMs: number): Promise<void> {
    return this.stopwatch.sleep(deadlineMs);
  }

  /**
   * Whether real texts are failing or hanging now: the newest failed, or one has waited
   * longer than the ceiling. Every start alike then shows the kiosk-wide notice.
   */
  textsMayBeLate(): boolean {
    const now = this.stopwatch.now();
    for (const send of this.inFlight) if (now - send.startedAt > START_DEADLINE_CEILING_MS) return true;
    const newest = this.sends.recentSendTimes(FAILURES_FOR_NOTICE);
    return newest.length === FAILURES_FOR_NOTICE && newest.every((s) => !s.delivered);
  }

  /** Runs a real send and records how long it took and whether the provider took it. */
  async measure(send: () => Promise<void>): Promise<void> {
    const entry = { startedAt: this.stopwatch.now() };
    this.inFlight.add(entry);
    let delivered = false;
    try {
      await send();
      delivered = true;
    } finally {
      this.inFlight.delete(entry);
      this.sends.addSendTime(this.clock.now(), this.stopwatch.now() - entry.startedAt, delivered, SAMPLES);
    }
  }
}
