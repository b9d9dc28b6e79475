import { normalisePhoneNumber } from '../idp/phone-number';
import type { AuditLog } from '../idp/audit-log';
import type { DirectoryRepository } from '../store/directory-repository';
import { directorySnapshotSchema, type DirectorySnapshot } from './directory-snapshot';

export class SnapshotRejectedError extends Error {
  override name = 'SnapshotRejectedError';
}

/**
 * Validates a directory snapshot, normalises every phone number to E.164 with the
 * snapshot's own default country, and replaces the stored directory in one transaction.
 * A snapshot with any error is refused whole and changes nothing.
 */
export function applySnapshot(input: unknown, directory: DirectoryRepository, audit: AuditLog): DirectorySnapshot {
  const parsed = directorySnapshotSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SnapshotRejectedError(`Directory snapshot refused: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const snapshot = parsed.data;
  for (const user of snapshot.users) {
    for (const phone of user.phoneMethods) {
      const normalised = normalisePhoneNumber(phone.phoneNumber, snapshot.kioskSettings.defaultCountry);
      if (!normalised.ok) {
        throw new SnapshotRejectedError(`Directory snapshot refused: user ${user.id} phone method ${phone.id}: ${normalised.error.message}`);
      }
      phone.phoneNumber = normalised.value;
    }
  }
  directory.replaceAll(snapshot);
  audit.record({ type: 'sync.apply', outcome: 'success', details: { users: snapshot.users.length, kind: 'snapshot' } });
  return snapshot;
}
