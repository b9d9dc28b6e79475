import { hash } from 'node:crypto';
import type { AuditLog } from '../idp/audit-log';
import { normalisePhoneNumber, withoutExtension } from '../directory/phone-number';
import type { DeltaWrite, DirectoryCounts, DirectoryRepository, StagedSnapshotWrite, StagedUser, StoredUser } from '../store/directory-repository';
import { SyncRefusedError, type DirectoryChange, type SetAside } from './directory-source';
import type { DirectoryDelta } from '../directory/directory-delta';
import type { DirectorySnapshot, DirectoryUser } from '../directory/directory-snapshot';

/** What one applied change did, for the sync status and the audit log. */
export interface AppliedChange {
  kind: 'snapshot' | 'delta';
  usersWritten: number;
  usersRemoved: number;
  /** Numbers held by several users among those the change touched. */
  duplicateNumbers: number;
  /** Records left out, the source's and this apply's own, without their held numbers. */
  setAside: SetAside[];
  /** A delta's reach, so records set aside earlier and not touched now stay listed. */
  touched?: { userIds: string[]; policy: boolean };
  counts: DirectoryCounts;
}

/** The change as a whole is unusable: refused, nothing applied. */
const INVALID = 'invalid-directory';

/**
 * Applies a snapshot or a delta a source fetched, in one transaction: either all of it or
 * nothing. Numbers are re-normalised to E.164 with the directory's default country (office
 * and alternate numbers without their extension); a number several users hold becomes
 * `phoneNumberNotUnique` for each of them and is logged.
 *
 * One record is one record: a user whose mobile number cannot be read, who names a group
 * the directory lacks or holds a phone method id twice is set aside alone — held disabled
 * and privileged, so their readable numbers still count as taken and nothing is granted —
 * and an unreadable office or alternate number is left out alone. Only what makes the whole
 * change untrustworthy (a user id twice, a delta before any snapshot) rejects with a
 * `SyncRefusedError` (reason `invalid-directory`), and then nothing changed.
 */
export function applyDirectoryChange(
  change: HeldChange,
  directory: DirectoryRepository,
  audit: AuditLog,
): AppliedChange {
  return directory.transaction(() => {
    const prepared = prepareDirectoryChange(change, directory);
    try {
      return writePreparedChange(prepared, directory, audit);
    } finally {
      if (prepared.kind === 'staged') directory.endStaging();
    }
  });
}

/** A change held whole in memory (a streamed snapshot is staged instead: `stageStreamedSnapshot`). */
export type HeldChange = Extract<DirectoryChange, { kind: 'snapshot' | 'delta' }>;

/** A change checked, normalised and diffed against the store: what is left is writing it. */
export type PreparedChange = ({ kind: 'delta'; write: DeltaWrite } | { kind: 'staged'; write: StagedSnapshotWrite }) & {
  setAside: SetAside[];
  touched?: AppliedChange['touched'];
};

/**
 * The reading and computing half of `applyDirectoryChange` (checks, E.164, fingerprints,
 * the diff, the records set aside), outside any write transaction: a sync worker holds the
 * write lock only for `writePreparedChange`. Sound where the sync is the directory's only writer.
 */
export function prepareDirectoryChange(change: HeldChange, directory: DirectoryRepository): PreparedChange {
  const setAside = [...(change.setAside ?? [])];
  if (change.kind === 'snapshot') {
    // Staged like a streamed snapshot, a batch at a time: one way to write a snapshot.
    const { users, ...header } = change.snapshot;
    const stager = snapshotStager(header, setAside, directory);
    try {
      for (let from = 0; from < users.length; from += STAGE_BATCH) stager.add(users.slice(from, from + STAGE_BATCH));
      return stager.finish();
    } catch (error) {
      stager.abort();
      throw error;
    }
  }
  const { users, smsMethodPolicy } = change.delta;
  const touched = { userIds: [...users.upserted.map((user) => user.id), ...users.removed], policy: smsMethodPolicy !== undefined };
  return { kind: 'delta', write: prepareDelta(change.delta, setAside, directory), setAside, touched };
}

/** The writing half: one transaction (or part of the caller's). */
export function writePreparedChange(prepared: PreparedChange, directory: DirectoryRepository, audit: AuditLog): AppliedChange {
  return directory.transaction(() => {
    const written = prepared.kind === 'delta' ? directory.writeDelta(prepared.write) : directory.writeStagedSnapshot(prepared.write);
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
      kind: prepared.kind === 'delta' ? 'delta' : 'snapshot',
      usersWritten: written.usersWritten,
      usersRemoved: written.usersRemoved,
      duplicateNumbers: written.duplicates.length,
      setAside: prepared.setAside.map(({ heldNumbers: _held, ...record }) => record),
      ...(prepared.touched && { touched: prepared.touched }),
      counts: directory.counts(),
    };
  });
}

/**
 * Everything `applyDirectoryChange` would check in a snapshot without a store: unique ids,
 * groups that exist, numbers that normalise. The feed tool runs it before signing; it
 * returns the records a kiosk would set aside.
 */
export function checkSnapshot(snapshot: DirectorySnapshot): SetAside[] {
  uniqueIds(snapshot.groups.map((group) => group.id), 'group');
  uniqueIds(snapshot.users.map((user) => user.id), 'user');
  const groupIds = new Set(snapshot.groups.map((group) => group.id));
  const reader = userReader(snapshot.kioskSettings.defaultCountry, (id) => groupIds.has(id));
  const setAside: SetAside[] = [];
  for (const user of snapshot.users) reader(user, setAside);
  return setAside;
}

/**
 * The streamed counterpart of `prepareDirectoryChange` for a snapshot: reads the users batch
 * by batch as the source streams them and stages them (`snapshotStager`), so memory holds one
 * batch. Only after the last batch — when the source has matched every byte against its
 * signed manifest — does it return; on any refusal it drops the staging and changes nothing.
 */
export async function stageStreamedSnapshot(
  change: Extract<DirectoryChange, { kind: 'streamed-snapshot' }>,
  directory: DirectoryRepository,
  signal: AbortSignal,
): Promise<PreparedChange | 'aborted'> {
  const { stream } = change;
  let stager: ReturnType<typeof snapshotStager> | null = null;
  try {
    stager = snapshotStager(stream.header, stream.setAside, directory);
    // Read by hand: a refusal here must leave the stream open for `settle` to read to the end.
    const batches = stream.batches[Symbol.asyncIterator]();
    for (let next = await batches.next(); !next.done; next = await batches.next()) {
      if (signal.aborted) {
        stager.abort();
        await stream.cancel();
        return 'aborted';
      }
      stager.add(next.value);
    }
    return stager.finish();
  } catch (error) {
    stager?.abort();
    // A user twice, a group twice: the digest first says whether this is the signed file.
    return stream.settle(error);
  }
}

/** Users staged at a time from a snapshot held in memory, as a streamed one arrives. */
const STAGE_BATCH = 500;

/**
 * Checks, normalises and stages a snapshot's users a batch at a time (`DirectoryRepository.stage`):
 * a user whose fingerprint matches the stored one is staged as unchanged; any other is read
 * (numbers to E.164, set aside if unusable) and staged to be written. `finish` stages the
 * users the source set aside as withheld and returns the change to write.
 */
function snapshotStager(header: StagedSnapshotWrite, setAside: SetAside[], directory: DirectoryRepository) {
  uniqueIds(header.groups.map((group) => group.id), 'group');
  const groupIds = new Set(header.groups.map((group) => group.id));
  const country = header.kioskSettings.defaultCountry;
  const reader = userReader(country, (id) => groupIds.has(id));
  directory.beginStaging();
  return {
    add(batch: readonly DirectoryUser[]): void {
      const stored = directory.storedFingerprintsOf(batch.map((user) => user.id));
      const staged = batch.map((user): StagedUser => {
        const fingerprint = fingerprintOf(user, country);
        const held = stored.has(user.id);
        // Unchanged since the last sync: already stored, numbers already normalised. A user
        // set aside is stored under another fingerprint, so it is read (and reported) again.
        if (held && stored.get(user.id) === fingerprint) return { id: user.id, write: null, stored: true };
        const read = reader(user, setAside);
        const write = read ? { ...read, fingerprint } : withheldUser(user.id, user.phoneMethods.map((phone) => phone.phoneNumber), country, fingerprint);
        return { id: user.id, write, stored: held };
      });
      const twice = directory.stage(staged);
      if (twice !== null) throw new SyncRefusedError(INVALID, `user id ${twice} appears more than once.`);
    },
    finish(): PreparedChange {
      // Users the source set aside are held withheld, unless the same id was also sent whole.
      const records = sourceSetAsideUsers(setAside, new Set());
      const stored = directory.storedFingerprintsOf(records.map((record) => record.id));
      directory.stage(
        records.map((record) => ({ id: record.id, write: withheldUser(record.id, record.heldNumbers ?? [], country, null), stored: stored.has(record.id) })),
        true,
      );
      return { kind: 'staged', write: header, setAside };
    },
    abort: () => directory.endStaging(),
  };
}

function prepareDelta(delta: DirectoryDelta, setAside: SetAside[], directory: DirectoryRepository): DeltaWrite {
  const settings = delta.kioskSettings ?? directory.kioskSettings();
  if (!settings) throw new SyncRefusedError(INVALID, 'A delta arrived but this kiosk has no directory yet: it needs a full snapshot first.');
  const upsertedGroups = checkDeltaReferences(delta);
  const removedGroups = new Set(delta.groups.removed);
  const country = settings.defaultCountry;
  // Each group asked the store once: a delta's users name the same few groups over and over.
  const stored = new Map<string, boolean>();
  const storedGroup = (id: string) => {
    let known = stored.get(id);
    if (known === undefined) stored.set(id, (known = directory.hasGroup(id)));
    return known;
  };
  const reader = userReader(country, (id) => !removedGroups.has(id) && (upsertedGroups.has(id) || storedGroup(id)));
  const upserted: StoredUser[] = [];
  for (const user of delta.users.upserted) {
    const fingerprint = fingerprintOf(user, country);
    const read = reader(user, setAside);
    upserted.push(read ? { ...read, fingerprint } : withheldUser(user.id, user.phoneMethods.map((phone) => phone.phoneNumber), country, fingerprint));
  }
  const touched = new Set(delta.users.upserted.map((user) => user.id));
  const withheld = new Set<string>();
  for (const record of sourceSetAsideUsers(setAside, touched)) {
    withheld.add(record.id);
    upserted.push(withheldUser(record.id, record.heldNumbers ?? [], country, null));
  }
  return {
    groups: delta.groups,
    // A user removed by the source because it set them aside is held withheld instead.
    users: { upserted, removed: delta.users.removed.filter((id) => !withheld.has(id)) },
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

/**
 * Reads one user for the store: every number in E.164, office and alternate numbers without
 * their extension. Returns null, and records why in `setAside`, when the user must be set
 * aside; an unreadable office or alternate number is left out and recorded on its own.
 */
function userReader(defaultCountry: string, groupExists: (id: string) => boolean): (user: DirectoryUser, setAside: SetAside[]) => DirectoryUser | null {
  // A number typed the same way twice (a shared office line) is read once. Bounded: a
  // directory's numbers are mostly unique, and a million of them must not be kept.
  const seen = new Map<string, ReturnType<typeof normalisePhoneNumber>>();
  const normalise = (text: string) => {
    let normalised = seen.get(text);
    if (!normalised) {
      normalised = normalisePhoneNumber(text, defaultCountry);
      if (seen.size >= SEEN_NUMBERS) seen.clear();
      seen.set(text, normalised);
    }
    return normalised;
  };
  return (user, setAside) => {
    const aside = (code: string, reason: string) => {
      setAside.push({ record: 'user', id: user.id, code, reason });
      return null;
    };
    // Phone method ids are unique per user only, as in Graph (every user's mobile shares an id).
    const methodIds = new Set<string>();
    for (const phone of user.phoneMethods) {
      if (methodIds.has(phone.id)) return aside('duplicate-phone-method', `user ${user.id}'s phone method id ${phone.id} appears more than once.`);
      methodIds.add(phone.id);
    }
    const missing = user.groupIds.find((id) => !groupExists(id));
    if (missing !== undefined) return aside('unknown-group', `user ${user.id} is a member of group ${missing}, which the directory does not have.`);
    const phoneMethods: DirectoryUser['phoneMethods'] = [];
    for (const phone of user.phoneMethods) {
      const mobile = phone.phoneType === 'mobile';
      const normalised = normalise(mobile ? phone.phoneNumber : withoutExtension(phone.phoneNumber));
      if (normalised.ok) phoneMethods.push({ ...phone, phoneNumber: normalised.value });
      else if (mobile) return aside('unreadable-mobile', `user ${user.id}: mobile phone method ${phone.id}: ${normalised.error.message}`);
      else {
        setAside.push({
          record: 'phoneMethod',
          id: phone.id,
          userId: user.id,
          code: 'unreadable-number',
          reason: `user ${user.id}: ${phone.phoneType} phone method ${phone.id}: ${normalised.error.message} The number is left out; it is never used for SMS.`,
        });
      }
    }
    return { ...user, phoneMethods };
  };
}

/** Users the source itself set aside, with an id the store can hold and not also sent whole. */
function sourceSetAsideUsers(setAside: readonly SetAside[], sent: ReadonlySet<string>): SetAside[] {
  const ids = new Set<string>();
  return setAside.filter((record) => {
    if (record.record !== 'user' || sent.has(record.id) || ids.has(record.id) || !storableId.test(record.id)) return false;
    ids.add(record.id);
    return true;
  });
}

const storableId = /^[^\s]{1,128}$/;

/** Numbers `userReader` remembers as read, at most. */
const SEEN_NUMBERS = 4096;

/**
 * A user set aside, as stored: disabled, privileged, in no group, so nothing lets them sign
 * in; their numbers that can be read are kept so a number they hold stays
 * `phoneNumberNotUnique` for anyone else holding it. Stored under a fingerprint no user has,
 * so the next sync reads the record (and reports it) again.
 */
function withheldUser(id: string, numbers: readonly string[], defaultCountry: string, fingerprint: string | null): StoredUser {
  const readable = [...new Set(numbers.map((text) => normalisePhoneNumber(withoutExtension(text), defaultCountry)).flatMap((read) => (read.ok ? [read.value] : [])))];
  return {
    id,
    displayName: 'Set aside by directory sync',
    userPrincipalName: id,
    accountEnabled: false,
    isPrivileged: true,
    groupIds: [],
    phoneMethods: readable.map((phoneNumber, index) => ({ id: `set-aside-${index}`, phoneNumber, phoneType: 'office', smsSignInState: 'notAllowedByPolicy' })),
    fingerprint: `set-aside:${fingerprint ?? id}`,
  };
}

function checkDeltaReferences(delta: DirectoryDelta): Set<string> {
  const upsertedUsers = uniqueIds(delta.users.upserted.map((user) => user.id), 'user');
  const both = delta.users.removed.find((id) => upsertedUsers.has(id));
  if (both !== undefined) throw new SyncRefusedError(INVALID, `user ${both} is both changed and removed in the same delta.`);

  const upsertedGroups = uniqueIds(delta.groups.upserted.map((group) => group.id), 'group');
  const bothGroups = delta.groups.removed.find((id) => upsertedGroups.has(id));
  if (bothGroups !== undefined) throw new SyncRefusedError(INVALID, `group ${bothGroups} is both changed and removed in the same delta.`);
  return upsertedGroups;
}

function uniqueIds(ids: readonly string[], what: string): Set<string> {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new SyncRefusedError(INVALID, `${what} id ${id} appears more than once.`);
    seen.add(id);
  }
  return seen;
}
