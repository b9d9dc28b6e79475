import type { KioskError } from '../../shared/result';
import type { Formats, Locale, Messages } from './messages';

// Adding a language is adding one file to ./locales: they are all found here.
const found = import.meta.glob<{ default: Locale }>('./locales/*.ts', { eager: true });
export const locales: Locale[] = Object.values(found)
  .map((module) => module.default)
  .sort((a, b) => a.code.localeCompare(b.code));

const fallback = locales.find((locale) => locale.code === 'en')!;

/** The locale for a language tag: exact, then by language (`es-MX` → `es`), else English. */
export function localeFor(tag: string): Locale {
  return locales.find((l) => l.code === tag) ?? locales.find((l) => l.code === tag.split('-')[0]) ?? fallback;
}

export function formatsFor(code: string): Formats {
  const plurals = new Intl.PluralRules(code);
  const numbers = new Intl.NumberFormat(code);
  const times = new Intl.DateTimeFormat(code, { hour: 'numeric', minute: '2-digit' });
  const dateTimes = new Intl.DateTimeFormat(code, { dateStyle: 'short', timeStyle: 'medium' });
  return {
    plural: (count, forms) => (plurals.select(count) === 'one' ? forms.one : forms.other),
    number: (value) => numbers.format(value),
    time: (epochMs) => times.format(epochMs),
    dateTime: (epochMs) => dateTimes.format(epochMs),
    countdown: (seconds) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`,
  };
}

/** What went wrong, in the worker's language, with what to do next. */
export function describeError(error: KioskError, m: Messages, f: Formats, now: number): string {
  const e = m.errors;
  const minutesUntil = (at: number | undefined) => Math.max(1, Math.ceil(((at ?? now) - now) / 60_000));
  switch (error.code) {
    case 'phone.empty':
      return e.phoneEmpty;
    case 'phone.invalidCharacters':
      return e.phoneInvalidCharacters;
    case 'phone.tooShort':
      return e.phoneTooShort;
    case 'phone.tooLong':
      return e.phoneTooLong;
    case 'phone.invalidCountry':
      return e.phoneInvalidCountry;
    case 'phone.invalid':
      return e.phoneInvalid;
    case 'phone.notRegistered':
      return e.phoneNotRegistered;
    case 'challenge.notFound':
      return e.challengeEnded;
    case 'code.wrong':
      return e.codeWrong(error.attemptsLeft ?? 0, f);
    case 'code.expired':
      return e.codeExpired;
    case 'code.used':
      return e.codeUsed;
    case 'code.tooManyAttempts':
      return e.codeTooManyAttempts;
    case 'signIn.locked':
      return error.retryAt === undefined ? e.lockedUntilAdmin : e.lockedFor(minutesUntil(error.retryAt), f.time(error.retryAt), f);
    case 'sms.sendFailed':
      return e.sendFailed;
    case 'signIn.callsOff':
      return e.callsOff;
    case 'signIn.codesOff':
      return e.codesOff;
    case 'sms.resendTooSoon':
      return e.resendTooSoon(Math.max(1, Math.ceil(((error.retryAt ?? now) - now) / 1000)), f);
    case 'sms.tooManySends':
      return e.tooManySends(minutesUntil(error.retryAt), f);
    case 'sms.kioskLimit':
      return e.kioskLimit(minutesUntil(error.retryAt), f);
    case 'session.busy':
      return e.busy;
    case 'kiosk.notSynced':
      return e.notSynced;
    case 'kiosk.directoryTooOld':
      return e.directoryTooOld;
    case 'app.notFound':
      return e.appNotFound;
    case 'admin.wrongPin':
      return e.adminWrongPin(error.attemptsLeft ?? 0, f);
    case 'admin.locked':
      return e.adminLocked;
    case 'admin.notSet':
      return e.adminNotSet;
    case 'admin.notAvailable':
      return e.adminNotAvailable;
    case 'admin.diagnosticsFailed':
      return e.adminDiagnosticsFailed;
    case 'admin.closed':
      return e.adminClosed;
    case 'internal':
      return e.offline;
    case 'pin.wrong':
      return e.pinWrong(error.attemptsLeft ?? 0, f);
    case 'pin.guessable':
      return e.pinGuessable;
    case 'pin.tooManyAttempts':
      return e.pinTooManyAttempts;
    case 'authenticator.tooManyAttempts':
      return e.authenticatorTooManyAttempts;
    case 'authenticator.codeUsed':
      return e.authenticatorCodeUsed;
    case 'authenticator.notStarted':
      return e.authenticatorNotStarted;
    case 'app.needsAuthenticator':
      return e.appNeedsAuthenticator;
    case 'app.authenticatorNotSetUp':
      return e.appAuthenticatorNotSetUp;
    case 'signIn.methodOff':
      return e.methodOff;
    case 'forbidden':
      return e.forbidden;
    default:
      return e.generic;
  }
}
