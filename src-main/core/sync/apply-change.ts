import { hash } from 'node:crypto';
import type { AuditLog } from '../idp/audit-log';
import { normalisePhoneNumber } from '../directory/phone-number';
import type { DeltaWrite, DirectoryCounts, DirectoryRepository, SnapshotWrite, StoredUser } from '../store/directory-repository';
import { SyncRefusedError, type DirectoryChange } from './directory-source';
import type { DirectoryDelta } from '../directory/directory-delta';
import type { DirectorySnapshot, DirectoryUser } from '../directory/directory-snapshot';

/** What one applied change did, for the sync status and the audit log. */
export interface AppliedChange {
  kind: 'snapshot' | 'delta';
  usersWritten: number;
  usersRemoved: number;
  /** Numbers held by several users among those the change touched. */
  duplicateNumbers: number;
  counts: DirectoryCounts;
}

/** Users whose directory data is not usable: the change is refused whole. */
const INVALID = 'invalid-directory';

/**
 * Applies a snapshot or a delta a source fetched, in one transaction: either all of it or
 * nothing. Numbers are re-normalised to E.164 with the directory's default country; a
 * number several users hold becomes `phoneNumberNotUnique` for each of them and is
 * logged. Rejects with a `SyncRefusedError` (reason `invalid-directory`) naming the user,
 * and then nothing changed.
 */
export function applyDirectoryChange(
  change: Exclude<DirectoryChange, { kind: 'unchanged' }>,
  directory: DirectoryRepository,
  audit: AuditLog,
): AppliedChange {
  return directory.transaction(() => writePreparedChange(prepareDirectoryChange(change, directory), directory, audit));
}

/** A change checked, normalised and diffed against the store: what is left is writing it. */
export type PreparedChange = { kind: 'snapshot'; write: SnapshotWrite } | { kind: 'delta'; write: DeltaWrite };

/**
 * The reading and computing half of `applyDirectoryChange` (checks, E.164, fingerprints,
 * the diff), outside any write transaction: a sync worker holds the write lock only for
 * `writePreparedChange`. Sound where the sync is the directory's only writer.
 */
export function prepareDirectoryChange(change: Exclude<DirectoryChange, { kind: 'unchanged' }>, directory: DirectoryRepository): PreparedChange {
  return change.kind === 'snapshot' ? { kind: 'snapshot', write: prepareSnapshot(change.snapshot, directory) } : { kind: 'delta', write: prepareDelta(change.delta, directory) };
}

/** The writing half: one transaction (or part of the caller's). */
export function writePreparedChange(prepared: PreparedChange, directory: DirectoryRepository, audit: AuditLog): AppliedChange {
  return directory.transaction(() => {
    const written = prepared.kind === 'snapshot' ? directory.writeSnapshot(prepared.write) : directory.writeDelta(prepared.write);
    for (const duplicate of written.duplicates) {
      audit.record({
        type: 'sync.apply',
        outcome: 'info',
        reason: 'phoneNumberNotUnique',
        phoneNumber: duplicate.phoneNumber,
        details: { holders: duplicate.userIds.length, userIds: duplicate.userIds.slice(0, 20).join(', ') },
      });
    }
    return {
      kind: prepared.kind,
      usersWritten: written.usersWritten,
      usersRemoved: written.usersRemoved,
      duplicateNumbers: written.duplicates.length,
      counts: directory.counts(),
    };
  });
}

/**
 * Everything `applyDirectoryChange` would check in a snapshot without a store: unique ids,
 * groups that exist, numbers that normalise. The feed tool runs it before signing.
 */
export function checkSnapshot(snapshot: DirectorySnapshot): void {
  checkSnapshotReferences(snapshot);
  const normaliser = phoneNormaliser(snapshot.kioskSettings.defaultCountry);
  for (const user of snapshot.users) normaliser(user);
}

function prepareSnapshot(snapshot: DirectorySnapshot, directory: DirectoryRepository): SnapshotWrite {
  checkSnapshotReferences(snapshot);
  const country = snapshot.kioskSettings.defaultCountry;
  const stored = directory.userFingerprints();
  const normaliser = phoneNormaliser(country);
  const newUsers: StoredUser[] = [];
  const changedUsers: StoredUser[] = [];
  for (const user of snapshot.users) {
    const fingerprint = fingerprintOf(user, country);
    const storedFingerprint = stored.get(user.id);
    // Unchanged since the last sync: already stored, numbers already normalised.
    if (storedFingerprint === fingerprint) continue;
    (storedFingerprint === undefined ? newUsers : changedUsers).push({ ...normaliser(user), fingerprint });
  }
  const present = new Set(snapshot.users.map((user) => user.id));
  return {
    groups: snapshot.groups,
    newUsers,
    changedUsers,
    removedUserIds: [...stored.keys()].filter((id) => !present.has(id)),
    smsMethodPolicy: snapshot.smsMethodPolicy,
    kioskSettings: snapshot.kioskSettings,
  };
}

function prepareDelta(delta: DirectoryDelta, directory: DirectoryRepository): DeltaWrite {
  const settings = delta.kioskSettings ?? directory.kioskSettings();
  if (!settings) throw new SyncRefusedError(INVALID, 'A delta arrived but this kiosk has no directory yet: it needs a full snapshot first.');
  checkDeltaReferences(delta, directory);
  const country = settings.defaultCountry;
  const normaliser = phoneNormaliser(country);
  return {
    groups: delta.groups,
    users: {
      upserted: delta.users.upserted.map((user) => ({ ...normaliser(user), fingerprint: fingerprintOf(user, country) })),
      removed: delta.users.removed,
    },
    smsMethodPolicy: delta.smsMethodPolicy,
    kioskSettings: delta.kioskSettings,
  };
}

/**
 * What the directory sent for one user, hashed: with the same default country, the same
 * fingerprint means the stored rows are already right.
 */
function fingerprintOf(user: DirectoryUser, defaultCountry: string): string {
  return hash('sha256', `${defaultCountry}\n${JSON.stringify(user)}`, 'base64url');
}

/** Returns a copy of the user with every number in E.164, or refuses the change naming them. */
function phoneNormaliser(defaultCountry: string): (user: DirectoryUser) => DirectoryUser {
  const seen = new Map<string, ReturnType<typeof normalisePhoneNumber>>();
  return (user) => ({
    ...user,
    phoneMethods: user.phoneMethods.map((phone) => {
      let normalised = seen.get(phone.phoneNumber);
      if (!normalised) {
        normalised = normalisePhoneNumber(phone.phoneNumber, defaultCountry);
        seen.set(phone.phoneNumber, normalised);
      }
      if (!normalised.ok) {
        throw new SyncRefusedError(INVALID, `user ${user.id} phone method ${phone.id}: ${normalised.error.message}`);
      }
      return { ...phone, phoneNumber: normalised.value };
    }),
  });
}

function checkSnapshotReferences(snapshot: DirectorySnapshot): void {
  const groupIds = uniqueIds(snapshot.groups.map((group) => group.id), 'group');
  uniqueIds(snapshot.users.map((user) => user.id), 'user');
  for (const user of snapshot.users) {
    // Phone method ids are unique per user only, as in Graph (every user's mobile shares an id).
    uniqueIds(user.phoneMethods.map((phone) => phone.id), `user ${user.id}'s phone method`);
    const missing = user.groupIds.find((id) => !groupIds.has(id));
    if (missing !== undefined) throw missingGroup(user.id, missing);
  }
}

function checkDeltaReferences(delta: DirectoryDelta, directory: DirectoryRepository): void {
  const upsertedUsers = uniqueIds(delta.users.upserted.map((user) => user.id), 'user');
  const both = delta.users.removed.find((id) => upsertedUsers.has(id));
  if (both !== undefined) throw new SyncRefusedError(INVALID, `user ${both} is both changed and removed in the same delta.`);

  const upsertedGroups = uniqueIds(delta.groups.upserted.map((group) => group.id), 'group');
  const removedGroups = new Set(delta.groups.removed);
  const bothGroups = delta.groups.removed.find((id) => upsertedGroups.has(id));
  if (bothGroups !== undefined) throw new SyncRefusedError(INVALID, `group ${bothGroups} is both changed and removed in the same delta.`);
  for (const user of delta.users.upserted) {
    const missing = user.groupIds.find((id) => removedGroups.has(id) || (!upsertedGroups.has(id) && !directory.hasGroup(id)));
    if (missing !== undefined) throw missingGroup(user.id, missing);
  }

  for (const user of delta.users.upserted) uniqueIds(user.phoneMethods.map((phone) => phone.id), `user ${user.id}'s phone method`);
}

function uniqueIds(ids: readonly string[], what: string): Set<string> {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new SyncRefusedError(INVALID, `${what} id ${id} appears more than once.`);
    seen.add(id);
  }
  return seen;
}

function missingGroup(userId: string, groupId: string): SyncRefusedError {
  return new SyncRefusedError(INVALID, `user ${userId} is a member of group ${groupId}, which the directory does not have (FOREIGN KEY from groupIds to groups).`);
}
