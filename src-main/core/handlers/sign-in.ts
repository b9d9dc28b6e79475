import type { DeviceSession } from '../session/device-session';
import type { CallHandlers } from './contract-dispatch';

/** `signIn.*`: a typed number, its code, the code again; the session owns the rules. */
export function signInHandlers(session: DeviceSession): Pick<CallHandlers, 'signIn.start' | 'signIn.resend' | 'signIn.verify' | 'signIn.cancel'> {
  return {
    'signIn.start': ({ phone, country }) => session.startSignIn(phone, country),
    'signIn.resend': ({ challengeId }) => session.resend(challengeId),
    'signIn.verify': ({ challengeId, code }) => session.verify(challengeId, code),
    'signIn.cancel': () => session.cancel(),
  };
}
