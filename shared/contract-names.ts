/**
 * The names of every contract call and event, with no schema library attached: the
 * preload and the renderer bundle need the names only. `contract.ts` is checked against
 * these lists at compile time, so they cannot drift apart.
 */
export const callNames = [
  'signIn.start',
  'signIn.resend',
  'signIn.renew',
  'signIn.call',
  'signIn.verify',
  'signIn.cancel',
  'signIn.withShiftPin',
  'signIn.withAuthenticator',
  'shiftPin.set',
  'authenticator.begin',
  'authenticator.confirm',
  'authenticator.stepUp',
  'session.current',
  'session.signOut',
  'session.activity',
  'session.stillHere',
  'apps.list',
  'apps.open',
  'apps.home',
  'admin.open',
  'admin.close',
  'admin.status',
  'admin.audit',
  'admin.syncNow',
  'admin.sendDiagnostics',
  'admin.unlock',
  'admin.locked',
  'admin.unlockWorker',
  'admin.shiftPins',
  'admin.clearShiftPins',
  'admin.session',
  'admin.resetDemo',
  'admin.exit',
  'device.status',
] as const;
export const eventNames = ['session.changed', 'demo.sms', 'sync.status'] as const;

export type CallName = (typeof callNames)[number];
export type EventName = (typeof eventNames)[number];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && (callNames as readonly string[]).includes(name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (eventNames as readonly string[]).includes(name);
}
