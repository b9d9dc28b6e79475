import type { DeviceSession } from '../session/device-session';
import type { CallHandlers } from './contract-dispatch';

/**
 * `signIn.*`: a typed number, its code, the code again, or number + shift PIN or authenticator
 * code; and setting those two up (`shiftPin.*`, `authenticator.*`). The session owns the rules.
 */
export function signInHandlers(session: DeviceSession): Pick<
  CallHandlers,
  | 'signIn.start'
  | 'signIn.resend'
  | 'signIn.renew'
  | 'signIn.call'
  | 'signIn.verify'
  | 'signIn.cancel'
  | 'signIn.withShiftPin'
  | 'signIn.withAuthenticator'
  | 'shiftPin.set'
  | 'authenticator.begin'
  | 'authenticator.confirm'
  | 'authenticator.stepUp'
> {
  return {
    'signIn.start': ({ phone, country, language }) => session.startSignIn(phone, country, language),
    'signIn.resend': ({ challengeId }) => session.resend(challengeId),
    'signIn.renew': ({ challengeId, language }) => session.renew(challengeId, language),
    'signIn.call': ({ challengeId, language }) => session.call(challengeId, language),
    'signIn.verify': ({ challengeId, code }) => session.verify(challengeId, code),
    'signIn.cancel': () => session.cancel(),
    'signIn.withShiftPin': ({ phone, country, pin }) => session.signInWithShiftPin(phone, country, pin),
    'signIn.withAuthenticator': ({ phone, country, code }) => session.signInWithAuthenticator(phone, country, code),
    'shiftPin.set': ({ pin }) => session.setShiftPin(pin),
    'authenticator.begin': () => session.beginAuthenticator(),
    'authenticator.confirm': ({ code }) => session.confirmAuthenticator(code),
    'authenticator.stepUp': ({ code }) => session.stepUp(code),
  };
}
