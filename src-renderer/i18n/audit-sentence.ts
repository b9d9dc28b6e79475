import type { AuditEventView } from '../../shared/contract';

/**
 * An audit event in the shape the locales put into words: main's identifiers
 * (`signIn.verify`, `open:wrongPin`) become a fixed set of what happened and why.
 */
export type AuditSentence = {
  who: string | null;
  what:
    | 'codeRequested'
    | 'codeRefused'
    | 'textSent'
    | 'textFailed'
    | 'callPlaced'
    | 'callFailed'
    | 'signedIn'
    | 'signInFailed'
    | 'lockedOut'
    | 'unlocked'
    | 'abandoned'
    | 'signedOut'
    | 'adminOpened'
    | 'adminWrongPin'
    | 'adminAction'
    | 'synced'
    | 'syncFailed'
    | 'appSignedIn'
    | 'appSignInRefused'
    | 'appToldOfSignOut'
    | 'appNotToldOfSignOut'
    | 'heartbeat'
    | 'shiftPinSet'
    | 'shiftPinEnded'
    | 'authenticatorSetUp'
    | 'steppedUp'
    | 'other';
  /** Main's reason, a stable identifier the locales may name (`wrongCode`, `idle`, …). */
  reason: string | null;
  /** The admin action, for `adminAction`: `resetDemo`, `unlock`, … */
  action: string | null;
  /** How the worker proved who they are (RFC 8176 amr values), on sign-ins that succeeded. */
  amr: Array<'sms' | 'voice' | 'pin' | 'otp'>;
};

const amrValues = ['sms', 'voice', 'pin', 'otp'] as const;
const amrOf = (event: AuditEventView) => (event.amr ?? '').split(' ').filter((v): v is (typeof amrValues)[number] => (amrValues as readonly string[]).includes(v));

export function auditSentence(event: AuditEventView): AuditSentence {
  const who = event.userName ?? null;
  const [action, detail] = (event.reason ?? '').split(':') as [string, string | undefined];
  const base = { who, reason: event.reason, action: null, amr: amrOf(event) };
  const failed = event.outcome === 'failure';
  switch (event.type) {
    case 'signIn.start':
      return { ...base, what: failed ? 'codeRefused' : 'codeRequested' };
    case 'sms.send':
      if (event.channel === 'voice') return { ...base, what: failed ? 'callFailed' : 'callPlaced' };
      return { ...base, what: failed ? 'textFailed' : 'textSent' };
    case 'signIn.verify':
      return { ...base, what: failed ? 'signInFailed' : 'signedIn' };
    case 'signIn.lockout':
      return { ...base, what: 'lockedOut' };
    case 'admin.unlock':
      return { ...base, what: 'unlocked' };
    case 'signIn.abandoned':
      return { ...base, what: 'abandoned' };
    case 'session.signOut':
      return { ...base, what: 'signedOut' };
    case 'admin.action':
      if (detail === 'wrongPin') return { ...base, what: 'adminWrongPin', reason: null };
      if (action === 'open') return { ...base, what: 'adminOpened', reason: null };
      return { ...base, what: 'adminAction', reason: null, action };
    case 'sync.apply':
      return { ...base, what: failed ? 'syncFailed' : 'synced' };
    case 'sso.signIn':
      return { ...base, what: failed ? 'appSignInRefused' : 'appSignedIn' };
    case 'sso.backchannelLogout':
      return { ...base, what: failed ? 'appNotToldOfSignOut' : 'appToldOfSignOut', reason: null };
    case 'kiosk.heartbeat':
      return { ...base, what: 'heartbeat' };
    case 'shiftPin.set':
      return { ...base, what: 'shiftPinSet' };
    case 'shiftPin.ended':
      return { ...base, what: 'shiftPinEnded', reason: action };
    case 'authenticator.enrolled':
      return { ...base, what: 'authenticatorSetUp' };
    case 'authenticator.stepUp':
      return { ...base, what: failed ? 'signInFailed' : 'steppedUp' };
    default:
      return { ...base, what: 'other' };
  }
}
