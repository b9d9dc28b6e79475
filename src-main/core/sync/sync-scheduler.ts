import type { Clock, Scheduler } from '../base/clock';
import type { AuditDetails, AuditLog } from '../idp/audit-log';
import { silentLogger, type Logger } from '../base/log';
import type { RandomSource } from '../base/random';
import type { KioskDatabase } from '../store/database';
import type { DirectoryCounts, DirectoryRepository } from '../store/directory-repository';
import { applyDirectoryChange, type AppliedChange } from './apply-change';
import { SyncRefusedError, type DirectoryChange, type DirectorySource, type SetAside } from './directory-source';
import { PeriodicTask, randomUnit, type RetrySchedule, type RunOutcome } from './periodic-task';
import { SyncStateRepository, type SyncError } from '../store/sync-state-repository';

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
}

const DEFAULT_INTERVAL_MS = 15 * 60_000;
const MAX_AUDIT_MESSAGE = 300;
/** Set-aside records listed in the status and audited one by one per sync; the count is always whole. */
const MAX_SET_ASIDE_LISTED = 100;

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
  }

  private async attempt(signal: AbortSignal): Promise<RunOutcome> {
    const { source, directory, audit, clock } = this.deps;
    const cursor = this.state.load().cursor;
    let applied: AppliedChange | null;
    let change: DirectoryChange;
    try {
      change = await source.fetch(cursor, signal);
      if (signal.aborted) return { ok: false };
      applied = directory.transaction(() => {
        const result = change.kind === 'unchanged' ? null : applyDirectoryChange(change, directory, audit);
        this.state.recordSuccess(clock.now(), change.kind === 'unchanged' ? cursor : change.cursor);
        const details: AuditDetails = result
          ? { source: source.kind, kind: result.kind, users: result.counts.users, readyPhones: result.counts.readyPhones, written: result.usersWritten, removed: result.usersRemoved, duplicateNumbers: result.duplicateNumbers, setAside: result.setAside.length }
          : { source: source.kind, kind: 'unchanged', users: this.counts.users, readyPhones: this.counts.readyPhones };
        for (const record of result?.setAside.slice(0, MAX_SET_ASIDE_LISTED) ?? []) {
          audit.record({
            type: 'sync.apply',
            outcome: 'info',
            reason: `setAside:${record.code}`,
            userId: record.record === 'user' ? record.id : record.userId,
            details: { source: source.kind, record: record.record, id: record.id, message: record.reason.slice(0, MAX_AUDIT_MESSAGE) },
          });
        }
        audit.record({ type: 'sync.apply', outcome: 'success', details });
        return result;
      });
    } catch (error) {
      // Stopped: the kiosk is closing, and its database with it.
      if (signal.aborted) return { ok: false };
      return this.fail(error);
    }
    if (applied) {
      this.counts = applied.counts;
      this.setAside = stillSetAside(this.setAside, applied, change);
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
    this.state.recordFailure(clock.now(), { reason: refusal.reason, message: refusal.message });
    audit.record({
      type: 'sync.apply',
      outcome: 'failure',
      reason: refusal.reason,
      details: { source: source.kind, message: refusal.message.slice(0, MAX_AUDIT_MESSAGE) },
    });
    this.log.warn('directory sync refused', { reason: refusal.reason, message: refusal.message });
    return { ok: false, retryAt: refusal.retryAt };
  }
}

/**
 * What is set aside after a change: a snapshot says it all; a delta replaces what it
 * touched (the users it changed or removed, the policy if it came) and keeps the rest.
 */
function stillSetAside(before: readonly SetAsideView[], applied: AppliedChange, change: DirectoryChange): SetAsideView[] {
  if (applied.kind === 'snapshot' || change.kind !== 'delta') return applied.setAside;
  const { users, smsMethodPolicy } = change.delta;
  const touched = new Set([...users.upserted.map((user) => user.id), ...users.removed, ...applied.setAside.map((record) => record.userId ?? record.id)]);
  const kept = before.filter((record) => {
    if (record.record === 'target') return smsMethodPolicy === undefined;
    // Role members are only known to the source that re-reads them on every fetch.
    if (record.record === 'roleMember') return false;
    return !touched.has(record.userId ?? record.id);
  });
  return [...kept, ...applied.setAside];
}
