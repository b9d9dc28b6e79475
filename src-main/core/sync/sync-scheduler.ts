import type { Clock, Scheduler } from '../base/clock';
import type { AuditLog } from '../idp/audit-log';
import { silentLogger, type Logger } from '../base/log';
import type { RandomSource } from '../base/random';
import type { KioskDatabase } from '../store/database';
import type { DirectoryCounts, DirectoryRepository } from '../store/directory-repository';
import type { AppliedChange } from './apply-change';
import { SyncRefusedError, type DirectorySource, type SetAside } from './directory-source';
import { PeriodicTask, randomUnit, type RetrySchedule, type RunOutcome } from './periodic-task';
import { SyncStateRepository, type SyncError } from '../store/sync-state-repository';
import { catchUpWithDirectory, DirectoryCommitRepository } from '../store/directory-commits';
import { inProcessAttempts, MAX_AUDIT_MESSAGE, MAX_SET_ASIDE_LISTED, type SyncAttempts } from './sync-attempt';

/** What the admin screen shows about the directory sync (the `sync.status` event). */
export interface SyncStatus {
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  lastError: SyncError | null;
  users: number;
  /** Mobile numbers that may receive a sign-in code: see `DirectoryCounts`. */
  readyPhones: number;
  /** When the next scheduled sync is due; null while one runs, and once stopped. */
  nextAttemptAt: number | null;
  /** Records the directory holds that the kiosk set aside, as of the last applied change (at most 100 listed). */
  setAside: SetAsideView[];
  setAsideCount: number;
}

export type SetAsideView = Omit<SetAside, 'heldNumbers'>;

export interface SyncScheduleOptions {
  /** Default 15 minutes. */
  intervalMs?: number;
  /** Each wait moves by up to this fraction either way. Default 0.2. */
  jitter?: number;
  /** The first wait after a failure, doubling with each one. Default 30 s. */
  backoffBaseMs?: number;
  /** Default: the interval. */
  backoffMaxMs?: number;
}

export interface SyncSchedulerDeps {
  source: DirectorySource;
  /** Names the source in the stored state (a feed's location); a new one starts from a full snapshot. Default: its kind. */
  sourceId?: string;
  db: KioskDatabase;
  directory: DirectoryRepository;
  audit: AuditLog;
  clock: Clock;
  scheduler: Scheduler;
  random: RandomSource;
  log?: Logger;
  onStatus?: (status: SyncStatus) => void;
  /** After every applied snapshot or delta: the session code ends a session whose worker may no longer sign in. */
  onApplied?: (applied: AppliedChange) => void | Promise<void>;
  /**
   * Who fetches and applies: by default this thread (unit tests, with a fake clock); the
   * live kiosk passes a `SyncWorker`, so a large directory never stalls the contract.
   */
  attempts?: (state: SyncStateRepository) => SyncAttempts;
}

const DEFAULT_INTERVAL_MS = 15 * 60_000;

/**
 * Keeps the directory in step with its source: a sync every interval, jittered so a fleet
 * spreads out, backing off exponentially after failures (never before a server's
 * `Retry-After`), and at once on `syncNow()`. Each sync applies in one transaction together
 * with its new cursor, is audited as `sync.apply`, and reports a `SyncStatus`. A refused or
 * failed sync changes nothing: the last good directory keeps serving.
 */
export class SyncScheduler {
  private readonly task: PeriodicTask;
  private readonly state: SyncStateRepository;
  private readonly schedule: RetrySchedule;
  private readonly log: Logger;
  private readonly attempts: SyncAttempts;
  private counts: DirectoryCounts;
  private setAside: SetAsideView[] = [];
  private started = false;

  constructor(
    options: SyncScheduleOptions,
    private readonly deps: SyncSchedulerDeps,
  ) {
    const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.schedule = {
      intervalMs,
      jitter: options.jitter ?? 0.2,
      backoffBaseMs: options.backoffBaseMs ?? 30_000,
      backoffMaxMs: options.backoffMaxMs ?? intervalMs,
    };
    if (!(intervalMs > 0) || !(this.schedule.jitter >= 0 && this.schedule.jitter < 1)) {
      throw new Error('Sync schedule: intervalMs must be above 0 and jitter in [0, 1).');
    }
    this.state = new SyncStateRepository(deps.db, deps.sourceId ?? deps.source.kind);
    this.counts = deps.directory.counts();
    this.log = deps.log ?? silentLogger;
    this.attempts =
      deps.attempts?.(this.state) ??
      inProcessAttempts({
        ...deps,
        sourceId: deps.sourceId ?? deps.source.kind,
        state: this.state,
        commits: new DirectoryCommitRepository(deps.db),
        catchUp: (commit) => catchUpWithDirectory(deps.db, commit),
      });
    this.task = new PeriodicTask(this.schedule, (signal) => this.attempt(signal), deps, this.state.load().consecutiveFailures, () =>
      deps.onStatus?.(this.status()),
    );
  }

  /**
   * Starts the timer. A kiosk that has never synced syncs at once; one that has waits a
   * random part of the jitter window, so kiosks switched on together do not sync together.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    const neverSynced = this.state.load().lastSuccessAt === null;
    this.task.start(neverSynced ? 0 : Math.round(randomUnit(this.deps.random) * this.schedule.intervalMs * this.schedule.jitter));
    this.deps.onStatus?.(this.status());
  }

  /** Syncs now (or joins the sync in progress) and resolves with the status after it. */
  async syncNow(): Promise<SyncStatus> {
    await this.task.runNow();
    return this.status();
  }

  status(): SyncStatus {
    const { lastAttemptAt, lastSuccessAt, lastError } = this.state.load();
    return {
      lastAttemptAt,
      lastSuccessAt,
      lastError,
      ...this.counts,
      nextAttemptAt: this.task.nextRunAt(),
      setAside: this.setAside.slice(0, MAX_SET_ASIDE_LISTED),
      setAsideCount: this.setAside.length,
    };
  }

  /** Resolves when no sync is in progress. */
  idle(): Promise<void> {
    return this.task.idle();
  }

  /** Cancels the timer and aborts a sync in progress, which then changes nothing. */
  stop(): void {
    this.task.stop();
    this.attempts.close?.();
  }

  private async attempt(signal: AbortSignal): Promise<RunOutcome> {
    let applied: AppliedChange | null | 'aborted';
    try {
      applied = await this.attempts.attempt(this.counts, signal);
    } catch (error) {
      // Stopped: the kiosk is closing, and its database with it.
      if (signal.aborted) return { ok: false };
      return this.fail(error);
    }
    if (applied === 'aborted') return { ok: false };
    if (applied) {
      this.counts = applied.counts;
      this.setAside = stillSetAside(this.setAside, applied);
      try {
        await this.deps.onApplied?.(applied);
      } catch (error) {
        this.log.error('directory applied, but reacting to it failed', { error: error instanceof Error ? error.message : String(error) });
      }
    }
    return { ok: true };
  }

  private fail(error: unknown): RunOutcome {
    const { source, audit, clock } = this.deps;
    const refusal =
      error instanceof SyncRefusedError
        ? error
        : new SyncRefusedError('internal', `The sync failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
    this.deps.directory.transaction(() => {
      this.state.recordFailure(clock.now(), { reason: refusal.reason, message: refusal.message });
      audit.record({
        type: 'sync.apply',
        outcome: 'failure',
        reason: refusal.reason,
        details: { source: source.kind, message: refusal.message.slice(0, MAX_AUDIT_MESSAGE) },
      });
    });
    this.log.warn('directory sync refused', { reason: refusal.reason, message: refusal.message });
    return { ok: false, retryAt: refusal.retryAt };
  }
}

/**
 * What is set aside after a change: a snapshot says it all; a delta replaces what it
 * touched (the users it changed or removed, the policy if it came) and keeps the rest.
 */
function stillSetAside(before: readonly SetAsideView[], applied: AppliedChange): SetAsideView[] {
  if (applied.kind === 'snapshot' || !applied.touched) return applied.setAside;
  const touched = new Set([...applied.touched.userIds, ...applied.setAside.map((record) => record.userId ?? record.id)]);
  const kept = before.filter((record) => {
    if (record.record === 'target') return !applied.touched!.policy;
    // Role members are only known to the source that re-reads them on every fetch.
    if (record.record === 'roleMember') return false;
    return !touched.has(record.userId ?? record.id);
  });
  return [...kept, ...applied.setAside];
}
