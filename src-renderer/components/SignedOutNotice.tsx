import type { SignOutReason } from '../../shared/contract';

const because: Record<SignOutReason, string | null> = {
  user: null,
  idle: 'You were signed out because the screen was not used for a while.',
  maxDuration: 'You were signed out because the session reached its time limit.',
  revoked: 'You were signed out because your access to this kiosk changed. Ask your manager if this is unexpected.',
  admin: 'You were signed out by an administrator.',
  suspend: 'You were signed out because the kiosk went to sleep or was locked.',
  crash: 'You were signed out because the screen had a problem. Please sign in again.',
};

/** A brief word on the keypad about why the last session ended, when the worker did not end it. */
export function SignedOutNotice({ reason }: { reason: SignOutReason | undefined }) {
  const text = reason ? because[reason] : null;
  return text ? (
    <p className="notice" role="status">
      {text}
    </p>
  ) : null;
}
