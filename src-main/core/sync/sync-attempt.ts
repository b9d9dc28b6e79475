import type { Clock } from '../base/clock';
import type { AuditDetails, AuditLog } from '../idp/audit-log';
import type { AuditInsert } from '../store/audit-repository';
import type { DirectoryCommit, DirectoryCommitRepository } from '../store/directory-commits';
import type { DirectoryCounts, DirectoryRepository } from '../store/directory-repository';
import type { SyncStateRepository } from '../store/sync-state-repository';
import { prepareDirectoryChange, stageStreamedSnapshot, writePreparedChange, type AppliedChange, type PreparedChange } from './apply-change';
import type { DirectorySource } from './directory-source';

/** Audit messages are capped: a source's error text can be long. */
export const MAX_AUDIT_MESSAGE = 300;
/** Records set aside listed by name in the status and the audit log; the count is always whole. */
export const MAX_SET_ASIDE_LISTED = 100;

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
  /** Names the source in the commit and the sync state. */
  sourceId: string;
  /** In the kiosk file: where the next fetch starts. */
  state: SyncStateRepository;
  /** The directory file, and its commit record, on the connection that writes them. */
  directory: DirectoryRepository;
  commits: DirectoryCommitRepository;
  /** The kiosk file's short transaction for a directory commit (`catchUpWithDirectory`). */
  catchUp: (commit: DirectoryCommit) => void;
  audit: AuditLog;
  clock: Clock;
}

/**
 * Fetches, then applies in two transactions. The first, in the directory file, writes the
 * directory with its commit record: the new cursor and the `sync.apply` audit events, all
 * of it or none. The second, short, in the kiosk file (which sign-in writes), copies the
 * cursor and events there; a kiosk killed between the two does it when it next opens the
 * database (`catchUpWithDirectory`), so either way the kiosk ends with the whole old or the
 * whole new directory and its record. The sync is the directory's only writer, so what it
 * read before taking the write lock is still what the store holds.
 */
export async function fetchAndApply(deps: SyncAttemptDeps, known: DirectoryCounts, signal: AbortSignal): Promise<AppliedChange | null | 'aborted'> {
  const { state, directory, commits } = deps;
  deps.catchUp(commits.latest());
  const cursor = state.load().cursor;
  const fetched = await fetchAndPrepare(deps, cursor, signal);
  if (fetched === 'aborted') return 'aborted';
  try {
    return write(deps, known, fetched, signal);
  } finally {
    if (fetched.prepared?.kind === 'staged') directory.endStaging();
  }
}

function write(deps: SyncAttemptDeps, known: DirectoryCounts, { prepared, nextCursor }: Fetched, signal: AbortSignal): AppliedChange | null | 'aborted' {
  const { source, sourceId, directory, commits, clock } = deps;
  if (signal.aborted) return 'aborted';
  const events: AuditInsert[] = [];
  const audit = deps.audit.collecting(events);
  const { result, commit } = directory.syncTransaction(() => {
    const result = prepared ? writePreparedChange(prepared, directory, audit) : null;
    const details: AuditDetails = result
      ? { source: source.kind, kind: result.kind, users: result.counts.users, readyPhones: result.counts.readyPhones, written: result.usersWritten, removed: result.usersRemoved, duplicateNumbers: result.duplicateNumbers, setAside: result.setAside.length }
      : { source: source.kind, kind: 'unchanged', users: known.users, readyPhones: known.readyPhones };
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
    return { result, commit: commits.record({ sourceId, cursor: nextCursor, at: clock.now(), auditEvents: events }) };
  });
  deps.catchUp(commit);
  return result;
}

/**
 * Checked, normalised and diffed before the write lock, so the contract's connection's
 * writes (sign-ins) wait only for the writing. Only the prepared change outlives this
 * function: the fetched one (as the directory sent it) is garbage before the write.
 */
async function fetchAndPrepare(deps: SyncAttemptDeps, cursor: string | null, signal: AbortSignal): Promise<Fetched | 'aborted'> {
  const change = await deps.source.fetch(cursor, signal);
  if (signal.aborted) {
    if (change.kind === 'streamed-snapshot') await change.stream.cancel();
    return 'aborted';
  }
  if (change.kind === 'unchanged') return { prepared: null, nextCursor: cursor };
  if (change.kind === 'streamed-snapshot') {
    // Staged on the directory's connection, batch by batch, as the source authenticates it.
    const prepared = await stageStreamedSnapshot(change, deps.directory, signal);
    return prepared === 'aborted' ? 'aborted' : { prepared, nextCursor: change.cursor };
  }
  return { prepared: prepareDirectoryChange(change, deps.directory), nextCursor: change.cursor };
}

interface Fetched {
  prepared: PreparedChange | null;
  nextCursor: string | null;
}

/** Attempts on the calling thread: the default, and what unit tests with a fake clock use. */
export function inProcessAttempts(deps: SyncAttemptDeps): SyncAttempts {
  return {
    attempt: async (known, signal) => {
      const applied = await fetchAndApply(deps, known, signal);
      // As the worker thread does, once the change is current: the log copied back after.
      if (applied && applied !== 'aborted') setImmediate(() => deps.directory.checkpoint());
      return applied;
    },
  };
}
