import type { PhoneHolder } from '../store/directory-repository';
import { ALL_USERS, type SmsMethodPolicy } from '../directory/directory-snapshot';

export type IneligibleReason =
  | 'unknownNumber'
  | 'phoneNumberNotUnique'
  | 'policyDisabled'
  | 'accountDisabled'
  | 'privilegedRole'
  | 'notMobilePhone'
  | 'notInPolicyScope'
  | 'excludedByPolicy'
  | 'notUsableForSignIn'
  | `smsSignInState:${string}`;

export type Eligibility = { eligible: true; holder: PhoneHolder } | { eligible: false; reason: IneligibleReason; userId?: string };

/**
 * Who may sign in with this number, by the rules of Entra ID SMS sign-in: the policy on
 * and targeting the user for sign-in, the account enabled, the phone method ready, a
 * number held by exactly one user, and never a privileged role.
 */
export function judgeEligibility(holders: readonly PhoneHolder[], policy: SmsMethodPolicy): Eligibility {
  if (holders.length === 0) return { eligible: false, reason: 'unknownNumber' };
  if (holders.length > 1) return { eligible: false, reason: 'phoneNumberNotUnique' };
  const holder = holders[0]!;
  const userId = holder.userId;
  if (policy.state !== 'enabled') return { eligible: false, reason: 'policyDisabled', userId };
  if (!holder.accountEnabled) return { eligible: false, reason: 'accountDisabled', userId };
  if (holder.isPrivileged) return { eligible: false, reason: 'privilegedRole', userId };
  if (holder.phoneType !== 'mobile') return { eligible: false, reason: 'notMobilePhone', userId };
  if (holder.smsSignInState !== 'ready') return { eligible: false, reason: `smsSignInState:${holder.smsSignInState}`, userId };

  // Graph's legacy user targets name the user; group targets a group, or everyone.
  const targets = (target: SmsMethodPolicy['excludeTargets'][number]) =>
    target.targetType === 'user' ? target.id === userId : target.id === ALL_USERS || holder.groupIds.includes(target.id);
  if (policy.excludeTargets.some(targets)) return { eligible: false, reason: 'excludedByPolicy', userId };
  const matching = policy.includeTargets.filter(targets);
  if (matching.length === 0) return { eligible: false, reason: 'notInPolicyScope', userId };
  // A target with isUsableForSignIn false allows SMS only as a second factor.
  if (!matching.some((target) => target.isUsableForSignIn)) return { eligible: false, reason: 'notUsableForSignIn', userId };
  return { eligible: true, holder };
}
