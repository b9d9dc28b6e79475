import type { Clock } from '../base/clock';
import type { AuditDetails, AuditLog } from '../idp/audit-log';
import type { DirectoryCounts, DirectoryRepository } from '../store/directory-repository';
import type { SyncStateRepository } from '../store/sync-state-repository';
import { prepareDirectoryChange, writePreparedChange, type AppliedChange, type PreparedChange } from './apply-change';
import type { DirectorySource } from './directory-source';

/**
 * One sync attempt: fetch a change from the source and apply it. Resolves with what was
 * applied (null: the source had nothing new), or 'aborted'; rejects with a
 * `SyncRefusedError` (or any error) when nothing was applied. The scheduler records
 * failures and reacts to what was applied; the attempt itself does the heavy part, so it may
 * run on another thread (`SyncWorker`) with its own connection to the same store.
 */
export interface SyncAttempts {
  attempt(known: DirectoryCounts, signal: AbortSignal): Promise<AppliedChange | null | 'aborted'>;
  /** Releases what the attempts hold (a worker thread); nothing runs after it. */
  close?(): void;
}

export interface SyncAttemptDeps {
  source: DirectorySource;
  state: SyncStateRepository;
  directory: DirectoryRepository;
  audit: AuditLog;
  clock: Clock;
}

/**
 * Fetches, then applies in one transaction together with the new cursor and the
 * `sync.apply` audit event: all of it or none. The sync is the directory's only writer,
 * so what it read before taking the write lock is still what the store holds.
 */
export async function fetchAndApply(deps: SyncAttemptDeps, known: DirectoryCounts, signal: AbortSignal): Promise<AppliedChange | null | 'aborted'> {
  const { source, state, directory, audit, clock } = deps;
  const cursor = state.load().cursor;
  const { prepared, nextCursor } = await fetchAndPrepare(deps, cursor, signal);
  if (signal.aborted) return 'aborted';
  return directory.syncTransaction(() => {
    const result = prepared ? writePreparedChange(prepared, directory, audit) : null;
    state.recordSuccess(clock.now(), nextCursor);
    const details: AuditDetails = result
      ? { source: source.kind, kind: result.kind, users: result.counts.users, readyPhones: result.counts.readyPhones, written: result.usersWritten, removed: result.usersRemoved, duplicateNumbers: result.duplicateNumbers }
      : { source: source.kind, kind: 'unchanged', users: known.users, readyPhones: known.readyPhones };
    audit.record({ type: 'sync.apply', outcome: 'success', details });
    return result;
  });
}

/**
 * Checked, normalised and diffed before the write lock, so the contract's connection's
 * writes (sign-ins) wait only for the writing. Only the prepared change outlives this
 * function: the fetched one (as the directory sent it) is garbage before the write.
 */
async function fetchAndPrepare(deps: SyncAttemptDeps, cursor: string | null, signal: AbortSignal): Promise<{ prepared: PreparedChange | null; nextCursor: string | null }> {
  const change = await deps.source.fetch(cursor, signal);
  if (change.kind === 'unchanged' || signal.aborted) return { prepared: null, nextCursor: cursor };
  return { prepared: prepareDirectoryChange(change, deps.directory), nextCursor: change.cursor };
}

/** Attempts on the calling thread: the default, and what unit tests with a fake clock use. */
export function inProcessAttempts(deps: SyncAttemptDeps): SyncAttempts {
  return { attempt: (known, signal) => fetchAndApply(deps, known, signal) };
}
