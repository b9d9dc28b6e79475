import type { DeviceSession } from '../session/device-session';
import type { CallHandlers } from './contract-dispatch';

/** `signIn.*`: a typed number, its code, the code again; the session owns the rules. */
export function signInHandlers(session: DeviceSession): Pick<
  CallHandlers,
  'signIn.start' | 'signIn.resend' | 'signIn.renew' | 'signIn.call' | 'signIn.verify' | 'signIn.cancel'
> {
  return {
    'signIn.start': ({ phone, country, language }) => session.startSignIn(phone, country, language),
    'signIn.resend': ({ challengeId }) => session.resend(challengeId),
    'signIn.renew': ({ challengeId, language }) => session.renew(challengeId, language),
    'signIn.call': ({ challengeId, language }) => session.call(challengeId, language),
    'signIn.verify': ({ challengeId, code }) => session.verify(challengeId, code),
    'signIn.cancel': () => session.cancel(),
  };
}
