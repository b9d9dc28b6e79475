import type { DirectorySnapshotInput } from '../../../src-main/core/directory/directory-snapshot';
import type { DirectoryDeltaInput } from '../../../src-main/core/directory/directory-delta';

/**
 * A big store's directory: `users` people in 50 groups, each with a Swedish mobile number
 * (typed nationally, so every apply really normalises) and some with an office number too.
 */
export function largeSnapshot(users: number): DirectorySnapshotInput {
  return { ...largeHeader(), users: Array.from({ length: users }, (_, i) => largeUser(i, 'Worker')) };
}

/** `largeSnapshot` without its users: what a streamed feed's header line holds. */
export function largeHeader(): Omit<DirectorySnapshotInput, 'users'> {
  const groups = Array.from({ length: 50 }, (_, g) => ({ id: `grp-${g}`, displayName: `Team ${g}` }));
  return {
    groups,
    smsMethodPolicy: { state: 'enabled', includeTargets: [{ id: 'all_users', targetType: 'group', isUsableForSignIn: true }], excludeTargets: [] },
    kioskSettings: { defaultCountry: 'SE', organizationName: 'Big Store' },
  };
}

/** The users of `largeSnapshot(users)`, made one at a time: a million never sit in memory at once. */
export function* largeUsers(users: number): Generator<LargeUser> {
  for (let i = 0; i < users; i += 1) yield largeUser(i, 'Worker');
}

/** `changes` users of a `largeSnapshot`: three in four renamed, one in four removed. */
export function largeDelta(users: number, changes: number): DirectoryDeltaInput {
  const step = Math.max(1, Math.floor(users / changes));
  const picked = Array.from({ length: changes }, (_, k) => k * step);
  return {
    users: {
      upserted: picked.filter((_, k) => k % 4 !== 3).map((i) => largeUser(i, 'Renamed')),
      removed: picked.filter((_, k) => k % 4 === 3).map((i) => `user-${i}`),
    },
  };
}

type LargeUser = DirectorySnapshotInput['users'][number];

function largeUser(i: number, name: string): LargeUser {
  const phoneMethods: NonNullable<LargeUser['phoneMethods']> = [
    { id: `user-${i}-mobile`, phoneNumber: `070-${String(1_000_000 + i).padStart(7, '0')}`, phoneType: 'mobile', smsSignInState: 'ready' },
  ];
  if (i % 10 === 0) {
    phoneMethods.push({ id: `user-${i}-office`, phoneNumber: `08-${String(5_000_000 + i)}`, phoneType: 'office', smsSignInState: 'notSupported' });
  }
  return {
    id: `user-${i}`,
    displayName: `${name} ${i}`,
    userPrincipalName: `worker${i}@bigstore.example`,
    accountEnabled: i % 50 !== 0,
    groupIds: [`grp-${i % 50}`, `grp-${(i * 7) % 50}`],
    phoneMethods,
  };
}
