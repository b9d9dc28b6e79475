import type { PhoneHolder } from '../store/directory-repository';
import { ALL_USERS, type SmsMethodPolicy } from '../directory/directory-snapshot';
import type { Channel } from '../sms/sms-sender';

export type IneligibleReason =
  | 'unknownNumber'
  | 'phoneNumberNotUnique'
  | 'policyDisabled'
  | 'accountDisabled'
  | 'privilegedRole'
  | 'notMobilePhone'
  | 'callOnlyPhone'
  | 'notInPolicyScope'
  | 'excludedByPolicy'
  | 'notUsableForSignIn'
  | `smsSignInState:${string}`;

export type Eligibility = { eligible: true; holder: PhoneHolder } | { eligible: false; reason: IneligibleReason; userId?: string };

/**
 * Who may sign in with this number, by the rules of Entra ID SMS sign-in: the policy on
 * and targeting the user for sign-in, the account enabled, the phone method ready, a
 * number held by exactly one user, and never a privileged role.
 *
 * `voice`: the code read out by a call. A mobile number takes calls on the same terms as
 * texts; an `office` number (a desk phone, which cannot take a text) takes calls only, where
 * Graph reports it `ready` or `notSupported` (what it reports for a phone that cannot text).
 */
export function judgeEligibility(holders: readonly PhoneHolder[], policy: SmsMethodPolicy, channel: Channel = 'sms'): Eligibility {
  if (holders.length === 0) return { eligible: false, reason: 'unknownNumber' };
  if (holders.length > 1) return { eligible: false, reason: 'phoneNumberNotUnique' };
  const holder = holders[0]!;
  const userId = holder.userId;
  if (policy.state !== 'enabled') return { eligible: false, reason: 'policyDisabled', userId };
  if (!holder.accountEnabled) return { eligible: false, reason: 'accountDisabled', userId };
  if (holder.isPrivileged) return { eligible: false, reason: 'privilegedRole', userId };
  const office = channel === 'voice' && holder.phoneType === 'office';
  if (holder.phoneType === 'office' && channel === 'sms') return { eligible: false, reason: 'callOnlyPhone', userId };
  if (holder.phoneType !== 'mobile' && !office) return { eligible: false, reason: 'notMobilePhone', userId };
  const ready = holder.smsSignInState === 'ready' || (office && holder.smsSignInState === 'notSupported');
  if (!ready) return { eligible: false, reason: `smsSignInState:${holder.smsSignInState}`, userId };

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

/**
 * For a way in that sends nothing (the shift PIN, the authenticator app): the holder as a text
 * or a call would sign them in — a text first, else a call, so an office phone's worker, who
 * signs in by call, may use the PIN they set. Both are judged for every number, so the work
 * does not depend on which it is.
 */
export function judgeEligibilityByPhone(holders: readonly PhoneHolder[], policy: SmsMethodPolicy): Eligibility {
  const byText = judgeEligibility(holders, policy, 'sms');
  const byCall = judgeEligibility(holders, policy, 'voice');
  return byText.eligible || !byCall.eligible ? byText : byCall;
}
