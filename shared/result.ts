/** Every way a call can fail, with a stable code the UI can act on. */
export const errorCodes = [
  'call.unknown',
  'input.invalid',
  'forbidden',
  'phone.empty',
  'phone.invalidCharacters',
  'phone.tooShort',
  'phone.tooLong',
  'phone.invalidCountry',
  'phone.invalid',
  'phone.notRegistered',
  'challenge.notFound',
  'code.wrong',
  'code.expired',
  'code.used',
  'code.tooManyAttempts',
  'signIn.locked',
  'signIn.callsOff',
  'signIn.codesOff',
  'signIn.methodOff',
  'pin.wrong',
  'pin.guessable',
  'pin.tooManyAttempts',
  'authenticator.tooManyAttempts',
  'authenticator.notStarted',
  'authenticator.codeUsed',
  'app.needsAuthenticator',
  'app.authenticatorNotSetUp',
  'session.busy',
  'kiosk.notSynced',
  'kiosk.directoryTooOld',
  'session.notActive',
  'sms.sendFailed',
  'sms.resendTooSoon',
  'sms.tooManySends',
  'sms.kioskLimit',
  'app.notFound',
  'admin.wrongPin',
  'admin.locked',
  'admin.notSet',
  'admin.notAvailable',
  'admin.diagnosticsFailed',
  'admin.closed',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface KioskError {
  code: ErrorCode;
  message: string;
  /** Present with `code.wrong`: how many tries this code has left. */
  attemptsLeft?: number;
  /**
   * When trying again can work (ms since the epoch): a lockout's end, a send limit's
   * window. Absent on `signIn.locked` means locked until an admin unlocks.
   */
  retryAt?: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: KioskError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, details: Omit<KioskError, 'code' | 'message'> = {}): { ok: false; error: KioskError } {
  return { ok: false, error: { code, message, ...details } };
}
