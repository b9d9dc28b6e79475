import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChallengeRepository } from '../../../src-main/core/store/challenge-repository';
import { SessionRepository } from '../../../src-main/core/store/session-repository';
import { applyDirectoryChange } from '../../../src-main/core/sync/apply-change';
import { directorySnapshotSchema, type DirectorySnapshotInput } from '../../../src-main/core/directory/directory-snapshot';
import { SyncRefusedError } from '../../../src-main/core/sync/directory-source';
import { directoryDeltaSchema, type DirectoryDeltaInput } from '../../../src-main/core/directory/directory-delta';
import { dumpDirectory, openTestStore, statesOf, type TestStore, sixPersonTenant } from './feed/feed-fixtures';

let store: TestStore;
beforeEach(() => {
  store = openTestStore();
});
afterEach(() => store.close());

function applySnapshotInput(input: DirectorySnapshotInput) {
  return applyDirectoryChange({ kind: 'snapshot', snapshot: directorySnapshotSchema.parse(input), cursor: 'c' }, store.directory, store.audit);
}

function applyDeltaInput(input: DirectoryDeltaInput) {
  return applyDirectoryChange({ kind: 'delta', delta: directoryDeltaSchema.parse(input), cursor: 'c' }, store.directory, store.audit);
}

function tenant(change?: (snapshot: DirectorySnapshotInput & { users: NonNullable<DirectorySnapshotInput['users']> }) => void) {
  const snapshot = sixPersonTenant() as DirectorySnapshotInput & { users: NonNullable<DirectorySnapshotInput['users']> };
  change?.(snapshot);
  return snapshot;
}

function refusal(apply: () => unknown): SyncRefusedError {
  try {
    apply();
  } catch (error) {
    expect(error).toBeInstanceOf(SyncRefusedError);
    return error as SyncRefusedError;
  }
  throw new Error('expected the change to be refused');
}

const ALEX = '+12065550100';

describe('applying a directory snapshot', () => {
  it('re-normalises every number to E.164 with the snapshot’s default country', () => {
    applySnapshotInput(tenant((t) => (t.users[0]!.phoneMethods![0]!.phoneNumber = '(206) 555-0100')));
    expect(store.directory.holdersOf(ALEX)).toEqual([expect.objectContaining({ userId: 'u-alex' })]);
  });

  it('makes a number two users hold phoneNumberNotUnique for both, and logs it once', () => {
    const applied = applySnapshotInput(tenant((t) => (t.users[1]!.phoneMethods![0]!.phoneNumber = '206-555-0100')));
    expect(applied.duplicateNumbers).toBe(1);
    expect(statesOf(store.db, ALEX)).toEqual([
      { user_id: 'u-alex', sms_sign_in_state: 'phoneNumberNotUnique' },
      { user_id: 'u-priya', sms_sign_in_state: 'phoneNumberNotUnique' },
    ]);
    expect(applied.counts.readyPhones).toBe(4);
    const logged = store.audit.query({ types: ['sync.apply'], phoneNumber: ALEX, limit: 10 });
    expect(logged).toEqual([
      expect.objectContaining({ outcome: 'info', reason: 'phoneNumberNotUnique', phoneMasked: '+1 ••• ••• 0100', details: { holders: 2, userIds: 'u-alex, u-priya' } }),
    ]);

    // The same directory again: nothing changed, nothing new to log.
    applySnapshotInput(tenant((t) => (t.users[1]!.phoneMethods![0]!.phoneNumber = '206-555-0100')));
    expect(store.audit.query({ types: ['sync.apply'], phoneNumber: ALEX, limit: 10 })).toHaveLength(1);
  });

  it('gives the remaining holder the directory’s own state back once a duplicate is gone', () => {
    applySnapshotInput(tenant((t) => (t.users[1]!.phoneMethods![0]!.phoneNumber = ALEX)));
    applyDeltaInput({ users: { removed: ['u-priya'] } });
    expect(statesOf(store.db, ALEX)).toEqual([{ user_id: 'u-alex', sms_sign_in_state: 'ready' }]);
  });

  it('counts one user holding a number twice as one holder, not a duplicate', () => {
    const applied = applySnapshotInput(
      tenant((t) => t.users[0]!.phoneMethods!.push({ id: 'u-alex-alt', phoneNumber: ALEX, phoneType: 'alternateMobile', smsSignInState: 'ready' })),
    );
    expect(applied.duplicateNumbers).toBe(0);
    expect(statesOf(store.db, ALEX).map((row) => row.sms_sign_in_state)).toEqual(['ready', 'ready']);
  });

  it('rewrites only the users that changed, and removes the ones that left', () => {
    applySnapshotInput(tenant());
    const applied = applySnapshotInput(
      tenant((t) => {
        t.users[2]!.displayName = 'Sam O.';
        t.users.pop();
      }),
    );
    expect(applied).toMatchObject({ usersWritten: 1, usersRemoved: 1, counts: { users: 5 } });
    expect(store.directory.displayNameOf('u-sam')).toBe('Sam O.');
    expect(store.directory.displayNameOf('u-taylor')).toBeUndefined();
  });

  it('rewrites everyone when the default country changes, since numbers may read differently', () => {
    applySnapshotInput(tenant());
    expect(applySnapshotInput(tenant((t) => (t.kioskSettings.defaultCountry = 'CA'))).usersWritten).toBe(6);
  });

  it('lets a phone method move from one user to another', () => {
    applySnapshotInput(tenant());
    applySnapshotInput(
      tenant((t) => {
        t.users[1]!.phoneMethods = t.users[0]!.phoneMethods;
        t.users[0]!.phoneMethods = [];
      }),
    );
    expect(store.directory.holdersOf(ALEX)).toEqual([expect.objectContaining({ userId: 'u-priya' })]);
  });

  it('refuses duplicate user ids whole, naming them, and changes nothing', () => {
    applySnapshotInput(tenant());
    const before = dumpDirectory(store.db);
    expect(refusal(() => applySnapshotInput(tenant((t) => t.users.push(structuredClone(t.users[0]!))))).message).toBe('user id u-alex appears more than once.');
    expect(dumpDirectory(store.db)).toEqual(before);
  });

  it('leaves sign-ins and sessions in progress alone, even for a user it removes', () => {
    applySnapshotInput(tenant());
    const now = store.clock.now();
    new ChallengeRepository(store.db).insert({ id: 'ch1', phoneNumber: ALEX, phoneKey: 'k', phoneMasked: '+1 ••• ••• 0100', userId: 'u-alex', codeHmac: null, createdAt: now, expiresAt: now + 300_000, lastSentAt: now, lockoutSubject: 'user:u-alex' });
    new SessionRepository(store.db).open('s1', 'u-alex', now);
    applySnapshotInput(tenant((t) => t.users.shift()));
    expect(new ChallengeRepository(store.db).find('ch1')).toMatchObject({ userId: 'u-alex' });
    expect(new SessionRepository(store.db).openSessions()).toEqual([{ id: 's1', userId: 'u-alex', startedAt: now }]);
  });
});

describe('applying a delta', () => {
  const newcomer = { id: 'u-new', displayName: 'Noor Haddad', userPrincipalName: 'noor@contoso-demo.example', accountEnabled: true, groupIds: ['grp-store'] };

  it('adds, replaces and removes users and groups, and takes new settings', () => {
    applySnapshotInput(tenant());
    const applied = applyDeltaInput({
      users: { upserted: [{ ...newcomer, groupIds: ['grp-night'], phoneMethods: [{ id: 'm1', phoneNumber: '206 555 0150', phoneType: 'mobile', smsSignInState: 'ready' }] }], removed: ['u-sam', 'u-unknown'] },
      groups: { upserted: [{ id: 'grp-night', displayName: 'Night Shift' }], removed: ['grp-warehouse'] },
      kioskSettings: { defaultCountry: 'US', organizationName: 'Contoso Night Store' },
    });
    expect(applied).toMatchObject({ kind: 'delta', usersWritten: 1, usersRemoved: 1, counts: { users: 6 } });
    expect(store.directory.holdersOf('+12065550150')).toEqual([expect.objectContaining({ userId: 'u-new', groupIds: ['grp-night'] })]);
    expect(store.directory.holdersOf('+12065550103')[0]!.groupIds).toEqual(['grp-store']);
    expect(store.directory.kioskSettings()).toMatchObject({ organizationName: 'Contoso Night Store' });
  });

  it('makes a number it shares with a stored user phoneNumberNotUnique for both', () => {
    applySnapshotInput(tenant());
    const applied = applyDeltaInput({ users: { upserted: [{ ...newcomer, phoneMethods: [{ id: 'm1', phoneNumber: '(206) 555-0100', phoneType: 'mobile', smsSignInState: 'ready' }] }] } });
    expect(applied.duplicateNumbers).toBe(1);
    expect(statesOf(store.db, ALEX).map((row) => row.sms_sign_in_state)).toEqual(['phoneNumberNotUnique', 'phoneNumberNotUnique']);
  });

  it('sets aside only the user of a bad record: the good changes beside it are applied', () => {
    applySnapshotInput(tenant());
    const applied = applyDeltaInput({
      users: {
        upserted: [
          { ...newcomer, phoneMethods: [{ id: 'm1', phoneNumber: '206 555 0150', phoneType: 'mobile', smsSignInState: 'ready' }] },
          { ...newcomer, id: 'u-other', phoneMethods: [{ id: 'm2', phoneNumber: '12', phoneType: 'mobile', smsSignInState: 'ready' }] },
        ],
        removed: ['u-alex'],
      },
    });
    expect(applied.setAside).toEqual([
      { record: 'user', id: 'u-other', code: 'unreadable-mobile', reason: expect.stringMatching(/^user u-other: mobile phone method m2: That number is too short/) },
    ]);
    expect(store.directory.holdersOf('+12065550150')).toEqual([expect.objectContaining({ userId: 'u-new', smsSignInState: 'ready' })]);
    expect(store.directory.holdersOf(ALEX)).toEqual([]);
  });

  it('refuses a user both changed and removed, and sets aside a user naming a removed group', () => {
    applySnapshotInput(tenant());
    expect(refusal(() => applyDeltaInput({ users: { upserted: [newcomer], removed: ['u-new'] } })).message).toMatch(/both changed and removed/);
    expect(applyDeltaInput({ users: { upserted: [newcomer] }, groups: { removed: ['grp-store'] } }).setAside).toEqual([
      { record: 'user', id: 'u-new', code: 'unknown-group', reason: 'user u-new is a member of group grp-store, which the directory does not have.' },
    ]);
  });

  it("accepts Graph's per-user phone method ids: every user's mobile may share one id", () => {
    const graphMobileId = '3179e48a-750b-4051-897c-87b9720928f7';
    applySnapshotInput(tenant((t) => t.users.forEach((user) => user.phoneMethods?.forEach((phone) => (phone.id = graphMobileId)))));
    expect(store.directory.holdersOf(ALEX)).toHaveLength(1);
    applyDeltaInput({ users: { upserted: [{ ...newcomer, phoneMethods: [{ id: graphMobileId, phoneNumber: '+1 206 555 0150', phoneType: 'mobile', smsSignInState: 'ready' }] }] } });
    expect(store.directory.holdersOf('+12065550150')).toEqual([expect.objectContaining({ userId: 'u-new', smsSignInState: 'ready' })]);
    expect(store.directory.holdersOf(ALEX)).toEqual([expect.objectContaining({ userId: 'u-alex', smsSignInState: 'ready' })]);
  });

  it('needs a snapshot first', () => {
    expect(refusal(() => applyDeltaInput({ users: { upserted: [newcomer] } })).message).toMatch(/needs a full snapshot first/);
  });

  it('keeps memberships right when a removed group comes back with the next snapshot', () => {
    applySnapshotInput(tenant());
    applyDeltaInput({ groups: { removed: ['grp-warehouse'] } });
    expect(store.directory.holdersOf('+12065550102')[0]!.groupIds).toEqual([]);
    applySnapshotInput(tenant());
    expect(store.directory.holdersOf('+12065550102')[0]!.groupIds).toEqual(['grp-warehouse']);
  });
});

describe('one record is one record', () => {
  const graphOffice = (phoneNumber: string) => ({ id: 'u-mei-office', phoneNumber, phoneType: 'office' as const, smsSignInState: 'notSupported' as const });

  it("reads an office number with an extension, as Graph documents it (+1 2065550150x123), without the extension", () => {
    const applied = applySnapshotInput(tenant((t) => t.users[3]!.phoneMethods!.push(graphOffice('+1 2065550150x123'))));
    expect(applied.setAside).toEqual([]);
    expect(store.directory.holdersOf('+12065550150')).toEqual([expect.objectContaining({ userId: 'u-mei', phoneType: 'office' })]);
    expect(store.directory.holdersOf('+12065550103')).toEqual([expect.objectContaining({ userId: 'u-mei', smsSignInState: 'ready' })]);
  });

  it("sets aside only the office number Graph's own example gives (+1 5555551234x123: no such area code), keeping its user", () => {
    const applied = applySnapshotInput(
      tenant((t) => t.users[3]!.phoneMethods!.push(graphOffice('+1 5555551234x123'), { id: 'u-mei-alt', phoneNumber: '+1 206 555 0151 ext. 9', phoneType: 'alternateMobile', smsSignInState: 'notEnabled' })),
    );
    expect(applied.setAside).toEqual([
      { record: 'phoneMethod', id: 'u-mei-office', userId: 'u-mei', code: 'unreadable-number', reason: expect.stringMatching(/^user u-mei: office phone method u-mei-office: .*left out; it is never used for SMS/) },
    ]);
    expect(store.directory.holdersOf('+12065550103')).toEqual([expect.objectContaining({ userId: 'u-mei', smsSignInState: 'ready' })]);
    expect(store.directory.holdersOf('+12065550151')).toEqual([expect.objectContaining({ userId: 'u-mei', phoneType: 'alternateMobile' })]);
  });

  it('sets aside a user whose mobile number cannot be read: only that user, who then cannot sign in', () => {
    applySnapshotInput(tenant());
    const applied = applySnapshotInput(tenant((t) => (t.users[0]!.phoneMethods![0]!.phoneNumber = '+1 206 555 0100x7')));
    expect(applied.setAside).toEqual([
      { record: 'user', id: 'u-alex', code: 'unreadable-mobile', reason: expect.stringMatching(/^user u-alex: mobile phone method u-alex-mobile: /) },
    ]);
    const withheld = { accountEnabled: false, isPrivileged: true, groupIds: [] };
    expect(store.directory.holdersOf(ALEX)).toEqual([expect.objectContaining({ userId: 'u-alex', ...withheld })]);
    expect(store.directory.holdersOf('+12065550102')).toEqual([expect.objectContaining({ userId: 'u-sam', smsSignInState: 'ready' })]);
    // Reported again on the next sync of the same directory, though nothing changed.
    expect(applySnapshotInput(tenant((t) => (t.users[0]!.phoneMethods![0]!.phoneNumber = '+1 206 555 0100x7'))).setAside).toHaveLength(1);
  });

  it("keeps a set-aside user's readable numbers taken: nobody else gains sign-in from a record set aside", () => {
    const applied = applySnapshotInput(
      tenant((t) => {
        t.users[1]!.displayName = 'Priya';
        t.users[1]!.phoneMethods = [
          { id: 'p-mobile', phoneNumber: 'not a number', phoneType: 'mobile', smsSignInState: 'ready' },
          { id: 'p-office', phoneNumber: '206-555-0100', phoneType: 'office', smsSignInState: 'notSupported' },
        ];
      }),
    );
    expect(applied.setAside.map((record) => record.id)).toEqual(['u-priya']);
    expect(statesOf(store.db, ALEX)).toEqual([
      { user_id: 'u-alex', sms_sign_in_state: 'phoneNumberNotUnique' },
      { user_id: 'u-priya', sms_sign_in_state: 'phoneNumberNotUnique' },
    ]);
    expect(store.directory.holdersOf('+12065550100').find((holder) => holder.userId === 'u-priya')).toMatchObject({ accountEnabled: false, isPrivileged: true });
  });

  it('sets aside a user naming a group the directory lacks, or holding one phone method id twice', () => {
    const applied = applySnapshotInput(
      tenant((t) => {
        t.users[5]!.groupIds = ['grp-gone'];
        t.users[3]!.phoneMethods!.push(structuredClone(t.users[3]!.phoneMethods![0]!));
      }),
    );
    expect(applied.setAside).toEqual([
      { record: 'user', id: 'u-mei', code: 'duplicate-phone-method', reason: "user u-mei's phone method id u-mei-mobile appears more than once." },
      { record: 'user', id: 'u-taylor', code: 'unknown-group', reason: 'user u-taylor is a member of group grp-gone, which the directory does not have.' },
    ]);
    expect(store.directory.holdersOf('+12065550103')).toEqual([expect.objectContaining({ userId: 'u-mei', accountEnabled: false, isPrivileged: true })]);
    expect(store.directory.holdersOf('+12065550100')).toEqual([expect.objectContaining({ userId: 'u-alex', smsSignInState: 'ready' })]);
  });

  it('withholds a stored user whom a delta sets aside, rather than keep their old record', () => {
    applySnapshotInput(tenant());
    const alex = tenant().users[0]!;
    const applied = applyDeltaInput({ users: { upserted: [{ ...alex, phoneMethods: [{ id: 'u-alex-mobile', phoneNumber: '0', phoneType: 'mobile', smsSignInState: 'ready' }] }] } });
    expect(applied.setAside).toHaveLength(1);
    expect(store.directory.holdersOf(ALEX)).toEqual([]);
  });

  it('holds a user a source set aside as withheld, with the numbers it could still read', () => {
    applySnapshotInput(tenant());
    const snapshot = directorySnapshotSchema.parse(tenant((t) => t.users.splice(0, 1)));
    const applied = applyDirectoryChange(
      { kind: 'snapshot', snapshot, cursor: 'c', setAside: [{ record: 'user', id: 'u-alex', code: 'invalid-user', reason: 'user u-alex: displayName: too long', heldNumbers: ['+1 206 555 0100'] }] },
      store.directory,
      store.audit,
    );
    expect(applied.setAside).toEqual([{ record: 'user', id: 'u-alex', code: 'invalid-user', reason: 'user u-alex: displayName: too long' }]);
    expect(store.directory.holdersOf(ALEX)).toEqual([expect.objectContaining({ userId: 'u-alex', accountEnabled: false, isPrivileged: true })]);
  });
});
