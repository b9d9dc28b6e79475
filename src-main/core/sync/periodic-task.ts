import type { Clock, Scheduler } from '../base/clock';
import type { RandomSource } from '../base/random';

/** How often a task runs, and how it backs off after a failure. */
export interface RetrySchedule {
  intervalMs: number;
  /**
   * Each wait is moved by up to this fraction either way (0.2: ±20 %), so a fleet that
   * started together does not keep arriving at the server together.
   */
  jitter: number;
  /** The first wait after a failure; each further failure doubles it… */
  backoffBaseMs: number;
  /** …up to this. */
  backoffMaxMs: number;
}

/** How one run went. `retryAt`: the server asked not to be called again before then. */
export type RunOutcome = { ok: true } | { ok: false; retryAt?: number };

/** A wrong or hostile `Retry-After` never holds a task off for longer than this. */
export const MAX_RETRY_AFTER_MS = 6 * 60 * 60_000;

export interface PeriodicTaskDeps {
  clock: Clock;
  scheduler: Scheduler;
  random: RandomSource;
}

/**
 * Runs `run` every interval with jitter, backing off exponentially after failures and
 * honouring a server's `retryAt`; `runNow()` runs it at once (joining a run in progress).
 * Never two runs at a time. `stop()` cancels the timer and aborts a run in progress.
 */
export class PeriodicTask {
  private cancelTimer: (() => void) | null = null;
  private inFlight: Promise<void> | null = null;
  private controller: AbortController | null = null;
  /** `idle` runs only on `runNow()`; `running` also on its timer; `stopped` never again. */
  private mode: 'idle' | 'running' | 'stopped' = 'idle';
  private failures: number;
  private nextAt: number | null = null;

  constructor(
    private readonly schedule: RetrySchedule,
    private readonly run: (signal: AbortSignal) => Promise<RunOutcome>,
    private readonly deps: PeriodicTaskDeps,
    /** Failures in a row before this process started (kept in the database). */
    initialFailures = 0,
    /** After each run, once the next one is planned. */
    private readonly afterRun?: () => void,
  ) {
    this.failures = initialFailures;
  }

  /** Starts the timer: the first run after `firstDelayMs`. */
  start(firstDelayMs: number): void {
    if (this.mode !== 'idle') return;
    this.mode = 'running';
    this.planIn(firstDelayMs);
  }

  /** When the next run is due, ms since the epoch; null before `start()`, while running, and once stopped. */
  nextRunAt(): number | null {
    return this.nextAt;
  }

  /** Runs now, or joins the run in progress; the timer is re-planned from its outcome. */
  runNow(): Promise<void> {
    if (this.mode === 'stopped') return Promise.resolve();
    if (!this.inFlight) {
      this.clearTimer();
      this.inFlight = this.runOnce().finally(() => {
        this.inFlight = null;
      });
    }
    return this.inFlight;
  }

  /** Resolves when no run is in progress. */
  async idle(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  /** Cancels the timer and aborts a run in progress; nothing runs after this. */
  stop(): void {
    this.mode = 'stopped';
    this.clearTimer();
    this.controller?.abort();
  }

  private async runOnce(): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    let outcome: RunOutcome;
    try {
      outcome = await this.run(controller.signal);
    } catch {
      // `run` reports its own failures; an escaped error is still a failure to back off from.
      outcome = { ok: false };
    } finally {
      this.controller = null;
    }
    if (this.mode === 'stopped') return;
    this.failures = outcome.ok ? 0 : this.failures + 1;
    if (this.mode === 'running') this.planIn(outcome.ok ? this.regularDelay() : this.retryDelay(outcome.retryAt));
    this.afterRun?.();
  }

  private regularDelay(): number {
    return this.jittered(this.schedule.intervalMs);
  }

  private retryDelay(retryAt: number | undefined): number {
    const { backoffBaseMs, backoffMaxMs } = this.schedule;
    const backoff = this.jittered(Math.min(backoffMaxMs, backoffBaseMs * 2 ** Math.min(this.failures - 1, 30)));
    const asked = retryAt === undefined ? 0 : Math.min(MAX_RETRY_AFTER_MS, retryAt - this.deps.clock.now());
    return Math.max(backoff, asked);
  }

  /** `ms` moved by a uniformly random fraction in ±jitter. */
  private jittered(ms: number): number {
    return Math.max(0, Math.round(ms * (1 + (2 * randomUnit(this.deps.random) - 1) * this.schedule.jitter)));
  }

  private planIn(ms: number): void {
    this.clearTimer();
    this.nextAt = this.deps.clock.now() + ms;
    this.cancelTimer = this.deps.scheduler.after(ms, () => {
      this.cancelTimer = null;
      void this.runNow();
    });
  }

  private clearTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.nextAt = null;
  }
}

/** A uniformly random number in [0, 1). */
export function randomUnit(random: RandomSource): number {
  return random.bytes(4).readUInt32BE(0) / 2 ** 32;
}
