import { ok } from '../../../shared/result';
import type { DeviceSession } from '../session/device-session';
import type { CallHandlers } from './contract-dispatch';

/** `session.*`: what the screen shows, and the worker's own sign-out and presence. */
export function sessionHandlers(session: DeviceSession): Pick<CallHandlers, 'session.current' | 'session.signOut' | 'session.activity' | 'session.stillHere'> {
  return {
    'session.current': () => ok(session.view()),
    'session.signOut': () => session.signOut('user'),
    'session.activity': () => session.activity(),
    'session.stillHere': () => session.stillHere(),
  };
}
