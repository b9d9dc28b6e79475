import type { KioskDatabase } from './database';
import { directorySchemaOf } from './directory-schema';
import type { DirectoryDelta } from '../directory/directory-delta';
import {
  kioskSettingsSchema,
  smsMethodPolicySchema,
  type DirectorySnapshot,
  type DirectoryUser,
  type KioskSettings,
  type SmsMethodPolicy,
  type SmsSignInState,
} from '../directory/directory-snapshot';

/** One user holding a given phone number, with what the sign-in rules need to judge them. */
export interface PhoneHolder {
  userId: string;
  displayName: string;
  accountEnabled: boolean;
  isPrivileged: boolean;
  phoneType: 'mobile' | 'alternateMobile' | 'office';
  smsSignInState: SmsSignInState;
  groupIds: string[];
}

interface HolderRow {
  user_id: string;
  display_name: string;
  account_enabled: number;
  is_privileged: number;
  phone_type: PhoneHolder['phoneType'];
  sms_sign_in_state: SmsSignInState;
  group_ids: string | null;
}

/** A user ready to store: numbers already E.164, with the fingerprint of what the directory sent. */
export type StoredUser = DirectoryUser & { fingerprint: string };

export interface DeltaWrite {
  groups: DirectoryDelta['groups'];
  users: { upserted: StoredUser[]; removed: string[] };
  smsMethodPolicy?: SmsMethodPolicy;
  kioskSettings?: KioskSettings;
}

/** A streamed snapshot's header: everything but the users, which are staged (`stage`). */
export interface StagedSnapshotWrite {
  groups: DirectorySnapshot['groups'];
  smsMethodPolicy: SmsMethodPolicy;
  kioskSettings: KioskSettings;
}

/** One staged user: `write` is what to store, or null when the stored rows are already right; `stored`: the store has them now. */
export interface StagedUser {
  id: string;
  write: StoredUser | null;
  stored: boolean;
}

/** A number more than one user holds. */
export interface DuplicateNumber {
  phoneNumber: string;
  userIds: string[];
}

export interface DirectoryWrite {
  usersWritten: number;
  usersRemoved: number;
  /** Shared numbers among those the write touched (a number whose holders changed). */
  duplicates: DuplicateNumber[];
}

export interface DirectoryCounts {
  users: number;
  /** Mobile phone methods in state `ready` after duplicates are demoted: numbers that may get a code. */
  readyPhones: number;
}

/**
 * Reads and replaces the synced directory: users, groups, phone methods, SMS policy,
 * settings, in the directory's own file (`database.ts`): attached to the kiosk file's
 * connection for sign-in's reads, the main file of the sync worker's connection that writes it.
 */
export class DirectoryRepository {
  private readonly holdersByNumber;
  private readonly userById;
  private readonly policyRow;
  private readonly settingsRow;
  /**
   * Parsed once per write, not per sign-in. `data_version` changes when another connection
   * (a sync worker, IT's command line) commits; this connection's own writes clear the cache.
   */
  private settingsCache: { dataVersion: number; settings: KioskSettings | undefined } | null = null;
  private readonly dataVersion;
  private readonly schema: string;
  private readonly countRows;
  private readonly groupExists;
  private readonly upsertGroup;
  private readonly deleteGroup;
  private readonly deleteGroupsNotIn;
  private readonly forgetMembersOf;
  private readonly upsertUser;
  private readonly deleteUser;
  private readonly deletePhonesOf;
  private readonly deleteMembershipsOf;
  private readonly insertMember;
  private readonly insertPhone;
  private readonly upsertPolicy;
  private readonly upsertSettings;
  private readonly settleStates;
  private readonly duplicatesAmong;
  private readonly fingerprintsOf;
  private staging: ReturnType<typeof prepareStaging> | null = null;

  constructor(private readonly db: KioskDatabase) {
    this.holdersByNumber = db.prepare<[string], HolderRow>(`
      SELECT u.id AS user_id, u.display_name, u.account_enabled, u.is_privileged,
             p.phone_type, p.sms_sign_in_state,
             (SELECT json_group_array(g.group_id) FROM group_members g WHERE g.user_id = u.id) AS group_ids
      FROM phone_methods p JOIN users u ON u.id = p.user_id
      WHERE p.phone_number = ?`);
    this.userById = db.prepare<[string], { display_name: string }>('SELECT display_name FROM users WHERE id = ?');
    this.policyRow = db.prepare<[], { state: string; include_targets: string; exclude_targets: string }>(
      'SELECT state, include_targets, exclude_targets FROM sms_method_policy WHERE id = 1',
    );
    this.settingsRow = db.prepare<[], { settings: string }>('SELECT settings FROM kiosk_settings WHERE id = 1');
    // The directory file's own version: on the kiosk file's connection it is attached.
    this.schema = directorySchemaOf(db);
    this.dataVersion = db.prepare<[], number>(`PRAGMA ${this.schema}.data_version`).pluck();
    this.countRows = db.prepare<[], DirectoryCounts>(`
      SELECT (SELECT count(*) FROM users) AS users,
             (SELECT count(*) FROM phone_methods WHERE phone_type = 'mobile' AND sms_sign_in_state = 'ready') AS readyPhones`);
    this.groupExists = db.prepare<[string], { id: string }>('SELECT id FROM groups WHERE id = ?');
    this.upsertGroup = db.prepare<[string, string]>(
      `INSERT INTO groups (id, display_name) VALUES (?, ?)
       ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name WHERE display_name IS NOT excluded.display_name`,
    );
    this.deleteGroup = db.prepare<[string]>('DELETE FROM groups WHERE id = ?');
    this.deleteGroupsNotIn = db.prepare<[string]>('DELETE FROM groups WHERE id NOT IN (SELECT value FROM json_each(?))');
    this.forgetMembersOf = db.prepare<[string]>(
      'UPDATE users SET sync_fingerprint = NULL WHERE id IN (SELECT user_id FROM group_members WHERE group_id = ?)',
    );
    this.upsertUser = db.prepare<[string, string, string, number, number, string]>(
      `INSERT INTO users (id, display_name, user_principal_name, account_enabled, is_privileged, sync_fingerprint)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, user_principal_name = excluded.user_principal_name,
         account_enabled = excluded.account_enabled, is_privileged = excluded.is_privileged, sync_fingerprint = excluded.sync_fingerprint`,
    );
    this.deleteUser = db.prepare<[string]>('DELETE FROM users WHERE id = ?');
    this.deletePhonesOf = db.prepare<[string], string>('DELETE FROM phone_methods WHERE user_id = ? RETURNING phone_number').pluck();
    this.deleteMembershipsOf = db.prepare<[string]>('DELETE FROM group_members WHERE user_id = ?');
    this.insertMember = db.prepare<[string, string]>('INSERT INTO group_members (group_id, user_id) VALUES (?, ?)');
    this.insertPhone = db.prepare<[string, string, string, string, string, string]>(
      `INSERT INTO phone_methods (id, user_id, phone_number, phone_type, sms_sign_in_state, directory_sms_sign_in_state)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.upsertPolicy = db.prepare<[string, string, string]>(
      `INSERT INTO sms_method_policy (id, state, include_targets, exclude_targets) VALUES (1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET state = excluded.state, include_targets = excluded.include_targets,
         exclude_targets = excluded.exclude_targets`,
    );
    this.upsertSettings = db.prepare<[string]>(
      'INSERT INTO kiosk_settings (id, settings) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET settings = excluded.settings',
    );
    // json_each: one statement for any number of touched numbers, with no temporary table.
    this.settleStates = db.prepare<[string]>(SETTLE_FROM('SELECT value FROM json_each(?)'));
    this.fingerprintsOf = db.prepare<[string], { id: string; sync_fingerprint: string | null }>(
      'SELECT u.id, u.sync_fingerprint FROM json_each(?) AS j JOIN users AS u ON u.id = j.value',
    );
    this.duplicatesAmong = db.prepare<[string], { phone_number: string; holders: string }>(DUPLICATES_AMONG('SELECT value FROM json_each(?)'));
  }

  /**
   * Everyone whose phone methods hold this E.164 number, once each (more than one means
   * not unique). A user holding the number twice (mobile and alternateMobile) is one
   * holder, judged by their best method: a ready mobile if they have one.
   */
  holdersOf(phoneNumber: string): PhoneHolder[] {
    const byUser = new Map<string, PhoneHolder>();
    for (const holder of this.holdersByNumber.all(phoneNumber).map(toHolder)) {
      const seen = byUser.get(holder.userId);
      if (!seen || rank(holder) > rank(seen)) byUser.set(holder.userId, holder);
    }
    return [...byUser.values()];
  }


  displayNameOf(userId: string): string | undefined {
    return this.userById.get(userId)?.display_name;
  }

  isEmpty(): boolean {
    return this.settingsRow.get() === undefined;
  }

  /** The SMS method policy; with no directory synced yet, SMS sign-in is off. */
  smsMethodPolicy(): SmsMethodPolicy {
    const row = this.policyRow.get();
    if (!row) return { state: 'disabled', includeTargets: [], excludeTargets: [] };
    return smsMethodPolicySchema.parse({
      state: row.state,
      includeTargets: JSON.parse(row.include_targets),
      excludeTargets: JSON.parse(row.exclude_targets),
    });
  }

  kioskSettings(): KioskSettings | undefined {
    const dataVersion = this.dataVersion.get()!;
    if (this.settingsCache?.dataVersion !== dataVersion) {
      const row = this.settingsRow.get();
      this.settingsCache = { dataVersion, settings: row ? kioskSettingsSchema.parse(JSON.parse(row.settings)) : undefined };
    }
    return this.settingsCache.settings;
  }

  /** How many users the kiosk knows, and how many mobile numbers may receive a sign-in code. */
  counts(): DirectoryCounts {
    return this.countRows.get()!;
  }

  /** The fingerprints stored for these users, by id (one statement: one read of the file); absent: not stored. */
  storedFingerprintsOf(ids: readonly string[]): Map<string, string | null> {
    return new Map(this.fingerprintsOf.all(JSON.stringify(ids)).map((row) => [row.id, row.sync_fingerprint]));
  }

  /**
   * Starts staging a streamed snapshot's users in a temporary table of this connection:
   * no other connection (sign-in's) ever sees it, and a process that dies takes it along.
   * Anything staged before is dropped.
   */
  beginStaging(): void {
    this.staging ??= prepareStaging(this.db);
    this.staging.clear();
  }

  /**
   * Stages users, in one transaction of the temporary tables: shaped like the live ones, so
   * the write is a few set-based statements. Returns the first id already staged (a user
   * twice: the feed is refused) unless `keepFirst`, where a later one is simply left out
   * (a user the source set aside, also sent whole).
   */
  stage(users: readonly StagedUser[], keepFirst = false): string | null {
    const staging = this.staging;
    if (!staging) throw new Error('stage() before beginStaging()');
    return this.db.transaction(() => {
      for (const { id, write, stored } of users) {
        // A user's groups and phone methods ride along as JSON: one insert per user, unpacked by the write.
        const added = write
          ? staging.addUser.run(
              id,
              write.displayName,
              write.userPrincipalName,
              write.accountEnabled ? 1 : 0,
              write.isPrivileged ? 1 : 0,
              write.fingerprint,
              JSON.stringify([...new Set(write.groupIds)]),
              JSON.stringify(write.phoneMethods.map((phone) => [phone.id, phone.phoneNumber, phone.phoneType, phone.smsSignInState])),
              stored ? 1 : 0,
            ).changes
          : staging.addUser.run(id, null, null, null, null, null, null, null, stored ? 1 : 0).changes;
        if (added === 0 && !keepFirst) return id;
      }
      return null;
    })();
  }

  /** Drops what was staged. */
  endStaging(): void {
    this.staging?.clear();
  }

  hasGroup(id: string): boolean {
    return this.groupExists.get(id) !== undefined;
  }

  /** Runs `work` in one transaction, or as part of the caller's when one is open: all of it or none. */
  transaction<T>(work: () => T): T {
    return this.db.inTransaction ? work() : this.db.transaction(work)();
  }

  /**
   * Runs a sync's `work` in one transaction that takes the write lock at once (BEGIN
   * IMMEDIATE). On its own connection beside the contract's, a deferred transaction that
   * read first could not write once the other connection had committed (SQLITE_BUSY: its
   * snapshot is stale); this one waits its turn instead, for busy_timeout.
   */
  syncTransaction<T>(work: () => T): T {
    if (this.db.inTransaction) return work();
    // Its commit must not also fold the write-ahead log back into the file (SQLite's
    // automatic checkpoint, inside the commit that crosses 1,000 pages): that copy is for
    // after, off the path that makes the new directory current (`checkpoint`).
    const automatic = this.db.pragma('wal_autocheckpoint', { simple: true }) as number;
    this.db.pragma('wal_autocheckpoint = 0');
    try {
      return this.db.transaction(work).immediate();
    } finally {
      this.db.pragma(`wal_autocheckpoint = ${automatic}`);
    }
  }

  /**
   * Folds the directory file's write-ahead log back into it, after a sync's commit, on the
   * connection that wrote it (PASSIVE: it never waits for a reader, so sign-in never waits).
   * Skipped on a closed connection or inside a transaction.
   */
  checkpoint(): void {
    if (this.db.open && !this.db.inTransaction) this.db.pragma(`${this.schema}.wal_checkpoint(PASSIVE)`);
  }

  /**
   * Makes the store hold the staged snapshot (`beginStaging`, `stage`): users not staged
   * are removed, staged users with something to write are rewritten whole, a batch at a
   * time, and the rest are left as stored. One transaction. The numbers it touches are
   * kept in a temporary table too, so memory stays one batch whatever the directory's size.
   */
  writeStagedSnapshot(write: StagedSnapshotWrite): DirectoryWrite {
    const staging = this.staging;
    if (!staging) throw new Error('writeStagedSnapshot() before beginStaging()');
    return this.transaction(() => {
      // Into an empty store (a first sync) every number is new: judged all at once below.
      const first = staging.storeIsEmpty.get() === 1;
      for (const group of write.groups) this.upsertGroup.run(group.id, group.displayName);
      // The numbers of stored users who go or are rewritten: their holders change.
      staging.touchGoing.run();
      staging.touchRewritten.run();
      staging.dropGoing.phones.run();
      staging.dropGoing.members.run();
      const removed = staging.dropGoing.users.run().changes;
      staging.clearRewritten.phones.run();
      staging.clearRewritten.members.run();
      const written = staging.writeUsers.run().changes;
      staging.writeMembers.run();
      staging.writePhones.run();
      if (!first) staging.touchWritten.run();
      this.deleteGroupsNotIn.run(JSON.stringify(write.groups.map((group) => group.id)));
      this.writePolicy(write.smsMethodPolicy);
      this.writeSettings(write.kioskSettings);
      // Every row was written in the directory's own state; only shared numbers change.
      if (first) staging.settleShared.run();
      else staging.settleTouched.run();
      const duplicates = (first ? staging.duplicatesAll : staging.duplicatesTouched)
        .all()
        .map((row) => ({ phoneNumber: row.phone_number, userIds: (JSON.parse(row.holders) as string[]).sort() }));
      return { usersWritten: written, usersRemoved: removed, duplicates };
    });
  }

  /** Applies changes since the last sync in one transaction. Phone numbers must be E.164. */
  writeDelta(write: DeltaWrite): DirectoryWrite {
    return this.transaction(() => {
      const touched = new Set<string>();
      for (const group of write.groups.upserted) this.upsertGroup.run(group.id, group.displayName);
      let removed = 0;
      for (const id of write.users.removed) removed += this.removeUser(id, touched);
      for (const user of write.users.upserted) this.clearUser(user.id, touched);
      for (const id of write.groups.removed) {
        // Memberships go with the group; the members' fingerprints no longer describe them.
        this.forgetMembersOf.run(id);
        this.deleteGroup.run(id);
      }
      for (const user of write.users.upserted) this.insertUser(user, touched);
      if (write.smsMethodPolicy) this.writePolicy(write.smsMethodPolicy);
      if (write.kioskSettings) this.writeSettings(write.kioskSettings);
      return { usersWritten: write.users.upserted.length, usersRemoved: removed, duplicates: this.settle(touched) };
    });
  }

  private removeUser(id: string, touched: Set<string>): number {
    for (const number of this.deletePhonesOf.all(id)) touched.add(number);
    return this.deleteUser.run(id).changes;
  }

  private clearUser(id: string, touched: Set<string>): void {
    for (const number of this.deletePhonesOf.all(id)) touched.add(number);
    this.deleteMembershipsOf.run(id);
  }

  private insertUser(user: StoredUser, touched: Set<string>): void {
    this.upsertUser.run(user.id, user.displayName, user.userPrincipalName, user.accountEnabled ? 1 : 0, user.isPrivileged ? 1 : 0, user.fingerprint);
    for (const groupId of new Set(user.groupIds)) this.insertMember.run(groupId, user.id);
    for (const phone of user.phoneMethods) {
      this.insertPhone.run(phone.id, user.id, phone.phoneNumber, phone.phoneType, phone.smsSignInState, phone.smsSignInState);
      touched.add(phone.phoneNumber);
    }
  }

  private writePolicy(policy: SmsMethodPolicy): void {
    this.upsertPolicy.run(policy.state, JSON.stringify(policy.includeTargets), JSON.stringify(policy.excludeTargets));
  }

  private writeSettings(settings: KioskSettings): void {
    // Read again on next use: a transaction that rolls back leaves the stored ones in force.
    this.settingsCache = null;
    this.upsertSettings.run(JSON.stringify(settings));
  }

  /**
   * Re-judges the numbers a write touched: held by several users, each holder's method is
   * `phoneNumberNotUnique`; held by one, it is what the directory said again.
   */
  private settle(touched: Set<string>): DuplicateNumber[] {
    if (touched.size === 0) return [];
    const numbers = JSON.stringify([...touched]);
    this.settleStates.run(numbers);
    return this.duplicatesAmong.all(numbers).map((row) => ({ phoneNumber: row.phone_number, userIds: (JSON.parse(row.holders) as string[]).sort() }));
  }
}

/** Re-judges the phone methods of the numbers `numbers` (a subquery) gives: see `settle`. */
const SETTLE_FROM = (numbers: string) => `
  UPDATE phone_methods SET sms_sign_in_state = settled.state
  FROM (
    SELECT p.user_id AS user_id, p.id AS id,
           CASE WHEN (SELECT count(DISTINCT q.user_id) FROM phone_methods q WHERE q.phone_number = p.phone_number) > 1
                THEN 'phoneNumberNotUnique'
                ELSE coalesce(p.directory_sms_sign_in_state, p.sms_sign_in_state) END AS state
    FROM phone_methods p WHERE p.phone_number IN (${numbers})
  ) AS settled
  WHERE phone_methods.user_id = settled.user_id AND phone_methods.id = settled.id
    AND phone_methods.sms_sign_in_state IS NOT settled.state`;

/** The numbers among `numbers` (a subquery) that several users hold, with their holders. */
const DUPLICATES_AMONG = (numbers: string) => `
  SELECT phone_number, json_group_array(DISTINCT user_id) AS holders FROM phone_methods
  WHERE phone_number IN (${numbers})
  GROUP BY phone_number HAVING count(DISTINCT user_id) > 1 ORDER BY phone_number`;

/**
 * The staging's temporary tables (this connection's `temp` schema), shaped like the live
 * ones, and the set-based statements that apply them; made on first use. `stored`: the
 * store holds the user now.
 */
function prepareStaging(db: KioskDatabase) {
  // Staged rows are written once and read back once: a small cache does, and keeps a
  // million-user sync's memory down (the default is 16 MiB per schema).
  db.pragma('temp.cache_size = -2048');
  db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS staged_users (
      id TEXT PRIMARY KEY, display_name TEXT, user_principal_name TEXT, account_enabled INTEGER, is_privileged INTEGER,
      sync_fingerprint TEXT, group_ids TEXT, phones TEXT, stored INTEGER NOT NULL);
    CREATE TEMP TABLE IF NOT EXISTS touched_numbers (number TEXT PRIMARY KEY) WITHOUT ROWID;`);
  // `group_ids` and `phones` (JSON, [id, number, type, state] each) are null when nothing is to be written.
  const going = 'SELECT id FROM users EXCEPT SELECT id FROM temp.staged_users';
  const rewritten = 'SELECT id FROM temp.staged_users WHERE phones IS NOT NULL AND stored = 1';
  const phones = 'FROM temp.staged_users AS s, json_each(s.phones) AS p WHERE s.phones IS NOT NULL';
  const clears = ['staged_users', 'touched_numbers'].map((table) => db.prepare(`DELETE FROM temp.${table}`));
  return {
    clear: () => clears.forEach((statement) => statement.run()),
    addUser: db.prepare<[string, string | null, string | null, number | null, number | null, string | null, string | null, string | null, number]>(
      `INSERT INTO temp.staged_users (id, display_name, user_principal_name, account_enabled, is_privileged, sync_fingerprint, group_ids, phones, stored)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    ),
    touchGoing: db.prepare(`INSERT INTO temp.touched_numbers (number) SELECT phone_number FROM phone_methods WHERE user_id IN (${going}) ON CONFLICT DO NOTHING`),
    touchRewritten: db.prepare(`INSERT INTO temp.touched_numbers (number) SELECT phone_number FROM phone_methods WHERE user_id IN (${rewritten}) ON CONFLICT DO NOTHING`),
    touchWritten: db.prepare(`INSERT INTO temp.touched_numbers (number) SELECT p.value ->> 1 ${phones} ON CONFLICT DO NOTHING`),
    dropGoing: {
      phones: db.prepare(`DELETE FROM phone_methods WHERE user_id IN (${going})`),
      members: db.prepare(`DELETE FROM group_members WHERE user_id IN (${going})`),
      users: db.prepare(`DELETE FROM users WHERE id IN (${going})`),
    },
    clearRewritten: {
      phones: db.prepare(`DELETE FROM phone_methods WHERE user_id IN (${rewritten})`),
      members: db.prepare(`DELETE FROM group_members WHERE user_id IN (${rewritten})`),
    },
    writeUsers: db.prepare(`
      INSERT INTO users (id, display_name, user_principal_name, account_enabled, is_privileged, sync_fingerprint)
      SELECT id, display_name, user_principal_name, account_enabled, is_privileged, sync_fingerprint FROM temp.staged_users WHERE phones IS NOT NULL
      ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, user_principal_name = excluded.user_principal_name,
        account_enabled = excluded.account_enabled, is_privileged = excluded.is_privileged, sync_fingerprint = excluded.sync_fingerprint`),
    writeMembers: db.prepare('INSERT INTO group_members (group_id, user_id) SELECT g.value, s.id FROM temp.staged_users AS s, json_each(s.group_ids) AS g WHERE s.phones IS NOT NULL'),
    writePhones: db.prepare(`
      INSERT INTO phone_methods (id, user_id, phone_number, phone_type, sms_sign_in_state, directory_sms_sign_in_state)
      SELECT p.value ->> 0, s.id, p.value ->> 1, p.value ->> 2, p.value ->> 3, p.value ->> 3 ${phones}`),
    storeIsEmpty: db.prepare<[], number>('SELECT NOT EXISTS (SELECT 1 FROM users)').pluck(),
    settleTouched: db.prepare(SETTLE_FROM('SELECT number FROM temp.touched_numbers')),
    settleShared: db.prepare(`
      UPDATE phone_methods SET sms_sign_in_state = 'phoneNumberNotUnique'
      WHERE phone_number IN (SELECT phone_number FROM phone_methods GROUP BY phone_number HAVING count(DISTINCT user_id) > 1)`),
    duplicatesAll: db.prepare<[], { phone_number: string; holders: string }>(`
      SELECT phone_number, json_group_array(DISTINCT user_id) AS holders FROM phone_methods
      GROUP BY phone_number HAVING count(DISTINCT user_id) > 1 ORDER BY phone_number`),
    duplicatesTouched: db.prepare<[], { phone_number: string; holders: string }>(DUPLICATES_AMONG('SELECT number FROM temp.touched_numbers')),
  };
}

function toHolder(row: HolderRow): PhoneHolder {
  return {
    userId: row.user_id,
    displayName: row.display_name,
    accountEnabled: row.account_enabled === 1,
    isPrivileged: row.is_privileged === 1,
    phoneType: row.phone_type,
    smsSignInState: row.sms_sign_in_state,
    groupIds: row.group_ids ? (JSON.parse(row.group_ids) as string[]) : [],
  };
}

/** Which of one user's methods for a number speaks for them: a ready mobile first. */
function rank(holder: PhoneHolder): number {
  return (holder.phoneType === 'mobile' ? 2 : 0) + (holder.smsSignInState === 'ready' ? 1 : 0);
}
