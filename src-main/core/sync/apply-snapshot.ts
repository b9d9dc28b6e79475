import type { AuditLog } from '../idp/audit-log';
import type { DirectoryRepository } from '../store/directory-repository';
import { applyDirectoryChange, checkSnapshot, type AppliedChange } from './apply-change';
import { SyncRefusedError } from './directory-source';
import { directorySnapshotSchema } from '../directory/directory-snapshot';

export class SnapshotRejectedError extends Error {
  override name = 'SnapshotRejectedError';
}

/**
 * Validates a directory snapshot that comes from the kiosk itself (the demo tenant) and
 * stores it in one transaction, numbers normalised to E.164 with the snapshot's own
 * default country. A snapshot with any error is refused whole and changes nothing.
 */
export function applySnapshot(input: unknown, directory: DirectoryRepository, audit: AuditLog): AppliedChange {
  const parsed = directorySnapshotSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SnapshotRejectedError(`Directory snapshot refused: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  let applied: AppliedChange;
  try {
    // The kiosk's own snapshot has nothing to set aside: any record it would is a mistake here.
    const setAside = checkSnapshot(parsed.data);
    if (setAside.length > 0) throw new SnapshotRejectedError(`Directory snapshot refused: ${setAside[0]!.reason}`);
    // The change and the event that records it commit together.
    applied = directory.transaction(() => {
      const change = applyDirectoryChange({ kind: 'snapshot', snapshot: parsed.data, cursor: null }, directory, audit);
      audit.record({ type: 'sync.apply', outcome: 'success', details: { users: parsed.data.users.length, kind: 'snapshot' } });
      return change;
    });
  } catch (error) {
    if (error instanceof SyncRefusedError) throw new SnapshotRejectedError(`Directory snapshot refused: ${error.message}`);
    throw error;
  }
  return applied;
}
