import type { RandomSource } from '../base/random';

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

const SMOOTHING = 0.2;

/**
 * Makes "no text sent" take as long as "text sent": the provider's round trip would
 * otherwise tell a patient prober which numbers are registered. Keeps a moving average
 * of real send times and waits about that long (±20 %) when there is nothing to send.
 */
export class SendTiming {
  private averageMs = 0;

  constructor(
    private readonly stopwatch: Stopwatch,
    private readonly random: RandomSource,
  ) {}

  /** Runs a real send and learns how long sends take. */
  async measure<T>(send: () => Promise<T>): Promise<T> {
    const started = this.stopwatch.now();
    try {
      return await send();
    } finally {
      const took = this.stopwatch.now() - started;
      this.averageMs = this.averageMs === 0 ? took : this.averageMs + SMOOTHING * (took - this.averageMs);
    }
  }

  /** Waits as long as a real send would have taken. */
  async imitate(): Promise<void> {
    if (this.averageMs <= 0) return;
    const jitter = 0.8 + 0.4 * (this.random.bytes(2).readUInt16BE(0) / 0xffff);
    await this.stopwatch.sleep(this.averageMs * jitter);
  }

  get typicalSendMs(): number {
    return this.averageMs;
  }
}
