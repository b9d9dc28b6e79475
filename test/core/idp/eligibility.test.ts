import { describe, expect, it } from 'vitest';
import { judgeEligibility } from '../../../src-main/core/idp/eligibility';
import type { PhoneHolder } from '../../../src-main/core/store/directory-repository';
import type { SmsMethodPolicy } from '../../../src-main/core/directory/directory-snapshot';

const worker: PhoneHolder = {
  userId: 'u1',
  displayName: 'Alex',
  accountEnabled: true,
  isPrivileged: false,
  phoneType: 'mobile',
  smsSignInState: 'ready',
  groupIds: ['store'],
};
const allUsers: SmsMethodPolicy = {
  state: 'enabled',
  includeTargets: [{ id: 'all_users', targetType: 'group', isUsableForSignIn: true }],
  excludeTargets: [],
};
const reason = (holders: PhoneHolder[], policy: SmsMethodPolicy = allUsers) => {
  const result = judgeEligibility(holders, policy);
  return result.eligible ? 'eligible' : result.reason;
};

describe('who may sign in by SMS', () => {
  it('lets a ready, enabled worker in a targeted group sign in', () => {
    expect(reason([worker])).toBe('eligible');
    expect(reason([worker], { ...allUsers, includeTargets: [{ id: 'store', targetType: 'group', isUsableForSignIn: true }] })).toBe('eligible');
  });

  it('refuses a number nobody holds', () => expect(reason([])).toBe('unknownNumber'));
  it('refuses a number two users hold, for both', () => expect(reason([worker, { ...worker, userId: 'u2' }])).toBe('phoneNumberNotUnique'));
  it('refuses everyone when the policy is off', () => expect(reason([worker], { ...allUsers, state: 'disabled' })).toBe('policyDisabled'));
  it('refuses a disabled account', () => expect(reason([{ ...worker, accountEnabled: false }])).toBe('accountDisabled'));
  it('never lets a privileged role sign in by SMS', () => expect(reason([{ ...worker, isPrivileged: true }])).toBe('privilegedRole'));
  it('refuses an office phone a text: it takes calls only', () => expect(reason([{ ...worker, phoneType: 'office' }])).toBe('callOnlyPhone'));
  it('refuses a phone method that is not ready', () =>
    expect(reason([{ ...worker, smsSignInState: 'notAllowedByPolicy' }])).toBe('smsSignInState:notAllowedByPolicy'));
  it('refuses a user outside every included group', () =>
    expect(reason([worker], { ...allUsers, includeTargets: [{ id: 'warehouse', targetType: 'group', isUsableForSignIn: true }] })).toBe(
      'notInPolicyScope',
    ));
  it('refuses an excluded group even when all users are included', () =>
    expect(reason([worker], { ...allUsers, excludeTargets: [{ id: 'store', targetType: 'group' }] })).toBe('excludedByPolicy'));
  it('refuses a target that allows SMS only as a second factor', () =>
    expect(reason([worker], { ...allUsers, includeTargets: [{ id: 'store', targetType: 'group', isUsableForSignIn: false }] })).toBe(
      'notUsableForSignIn',
    ));
  it("lets in a user Graph's legacy user target includes, and no one else by it", () => {
    const userTarget: SmsMethodPolicy = { ...allUsers, includeTargets: [{ id: 'u1', targetType: 'user', isUsableForSignIn: true }] };
    expect(reason([worker], userTarget)).toBe('eligible');
    expect(reason([{ ...worker, userId: 'u2' }], userTarget)).toBe('notInPolicyScope');
  });
  it('refuses a user a user target excludes, even when all users are included', () => {
    expect(reason([worker], { ...allUsers, excludeTargets: [{ id: 'u1', targetType: 'user' }] })).toBe('excludedByPolicy');
    expect(reason([{ ...worker, userId: 'u2' }], { ...allUsers, excludeTargets: [{ id: 'u1', targetType: 'user' }] })).toBe('eligible');
  });
  it('never reads a user target naming a group id as that group', () =>
    expect(reason([worker], { ...allUsers, includeTargets: [{ id: 'store', targetType: 'user', isUsableForSignIn: true }] })).toBe('notInPolicyScope'));
});

describe('who may sign in by a call that reads the code out', () => {
  const byCall = (holders: PhoneHolder[], policy: SmsMethodPolicy = allUsers) => {
    const result = judgeEligibility(holders, policy, 'voice');
    return result.eligible ? 'eligible' : result.reason;
  };

  it('calls a mobile number on the same terms as a text', () => {
    expect(byCall([worker])).toBe('eligible');
    expect(byCall([{ ...worker, smsSignInState: 'notEnabled' }])).toBe('smsSignInState:notEnabled');
  });

  it('calls an office number, which Graph reports ready or notSupported for sign-in', () => {
    expect(byCall([{ ...worker, phoneType: 'office' }])).toBe('eligible');
    expect(byCall([{ ...worker, phoneType: 'office', smsSignInState: 'notSupported' }])).toBe('eligible');
    expect(byCall([{ ...worker, phoneType: 'office', smsSignInState: 'notAllowedByPolicy' }])).toBe('smsSignInState:notAllowedByPolicy');
  });

  it('keeps every other rule: the policy, the account, privileged roles, shared numbers, alternate mobiles', () => {
    expect(byCall([{ ...worker, phoneType: 'office' }], { ...allUsers, state: 'disabled' })).toBe('policyDisabled');
    expect(byCall([{ ...worker, phoneType: 'office', isPrivileged: true }])).toBe('privilegedRole');
    expect(byCall([{ ...worker, phoneType: 'office' }, { ...worker, userId: 'u2' }])).toBe('phoneNumberNotUnique');
    expect(byCall([{ ...worker, phoneType: 'alternateMobile' }])).toBe('notMobilePhone');
  });
});
