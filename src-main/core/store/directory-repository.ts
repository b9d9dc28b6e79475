import type { KioskDatabase } from './database';
import {
  kioskSettingsSchema,
  smsMethodPolicySchema,
  type DirectorySnapshot,
  type KioskSettings,
  type SmsMethodPolicy,
  type SmsSignInState,
} from '../sync/directory-snapshot';

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

/** Reads and replaces the synced directory: users, groups, phone methods, SMS policy, settings. */
export class DirectoryRepository {
  private readonly holdersByNumber;
  private readonly userById;
  private readonly policyRow;
  private readonly settingsRow;

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
    const row = this.settingsRow.get();
    return row ? kioskSettingsSchema.parse(JSON.parse(row.settings)) : undefined;
  }

  /**
   * Replaces the whole directory in one transaction: on any error nothing changes. Phone
   * numbers must already be E.164.
   */
  replaceAll(snapshot: DirectorySnapshot): void {
    const db = this.db;
    db.transaction(() => {
      db.exec('DELETE FROM group_members; DELETE FROM phone_methods; DELETE FROM users; DELETE FROM groups;');
      const insertGroup = db.prepare('INSERT INTO groups (id, display_name) VALUES (?, ?)');
      const insertUser = db.prepare(
        'INSERT INTO users (id, display_name, user_principal_name, account_enabled, is_privileged) VALUES (?, ?, ?, ?, ?)',
      );
      const insertMember = db.prepare('INSERT INTO group_members (group_id, user_id) VALUES (?, ?)');
      const insertPhone = db.prepare(
        'INSERT INTO phone_methods (id, user_id, phone_number, phone_type, sms_sign_in_state) VALUES (?, ?, ?, ?, ?)',
      );
      for (const group of snapshot.groups) insertGroup.run(group.id, group.displayName);
      for (const user of snapshot.users) {
        insertUser.run(user.id, user.displayName, user.userPrincipalName, user.accountEnabled ? 1 : 0, user.isPrivileged ? 1 : 0);
        for (const groupId of user.groupIds) insertMember.run(groupId, user.id);
        for (const phone of user.phoneMethods) {
          insertPhone.run(phone.id, user.id, phone.phoneNumber, phone.phoneType, phone.smsSignInState);
        }
      }
      const policy = snapshot.smsMethodPolicy;
      db.prepare(
        `INSERT INTO sms_method_policy (id, state, include_targets, exclude_targets) VALUES (1, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, include_targets = excluded.include_targets,
           exclude_targets = excluded.exclude_targets`,
      ).run(policy.state, JSON.stringify(policy.includeTargets), JSON.stringify(policy.excludeTargets));
      db.prepare(
        'INSERT INTO kiosk_settings (id, settings) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET settings = excluded.settings',
      ).run(JSON.stringify(snapshot.kioskSettings));
    })();
  }
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
