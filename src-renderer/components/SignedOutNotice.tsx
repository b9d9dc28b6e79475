import type { SignOutReason } from '../../shared/contract';
import type { Messages } from '../i18n/messages';

/** A brief word on the keypad about why the last session ended, when the worker did not end it. */
export function SignedOutNotice({ reason, m }: { reason: SignOutReason | undefined; m: Messages }) {
  if (!reason || reason === 'user') return null;
  return (
    <p className="notice" role="status">
      {m.signedOut[reason]}
    </p>
  );
}
