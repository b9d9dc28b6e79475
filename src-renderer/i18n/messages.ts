import type { SignOutReason } from '../../shared/contract';
import type { AuditSentence } from './audit-sentence';

/** Formatting for the current language, handed to messages that need numbers or times. */
export interface Formats {
  /** "1 try" / "2 tries": picks the plural form with the language's own rules. */
  plural(count: number, forms: { one: string; other: string }): string;
  number(value: number): string;
  /** A clock time, like 14:05 or 2:05 PM. */
  time(epochMs: number): string;
  /** A date and time for the audit log. */
  dateTime(epochMs: number): string;
  /** Minutes and seconds left, like 4:59. */
  countdown(seconds: number): string;
}

/**
 * Every word the kiosk shows. A language is one file in ./locales exporting a `Locale`
 * whose `messages` satisfy this interface, so a missing string fails the type check.
 */
export interface Messages {
  languageName: string;
  demoBanner: string;
  livePreviewBanner: string;
  demoPhone: string;
  demoPhoneEmpty: string;
  demoTextTo: (masked: string) => string;
  /** A call on the demo phone: to whom, and the words it says. */
  demoCallTo: (masked: string) => string;
  demoCallSays: string;
  /** The trainer's toggle: the demo phone speaks each call aloud (off by default). */
  demoSound: string;

  phoneHeading: string;
  phoneHint: string;
  mobileNumber: string;
  country: string;
  countryOption: (name: string, callingCode: string) => string;
  keypad: string;
  deleteKey: string;
  clearKey: string;
  sendCode: string;
  switchLanguage: string;
  /** The live hint under the number field, by what the typed number needs. */
  phoneHints: {
    empty: string;
    international: string;
    missing: (digits: number, f: Formats) => string;
    extra: (digits: number, f: Formats) => string;
    unknownCallingCode: string;
    notInCountry: (country: string) => string;
    looksRight: string;
  };

  codeHeading: string;
  codeSentTo: (masked: string) => string;
  verificationCode: string;
  signIn: string;
  expiresIn: (countdown: string) => string;
  codeExpired: string;
  resendCode: string;
  resendIn: (seconds: string) => string;
  resendReady: string;
  /** "Call me instead": the same code read out by a call. */
  callMeInstead: string;
  /** Where policy sends no texts: the code comes only by a call. */
  textsOff: string;
  /** Kiosk-wide: real texts are failing or slow just now (the same for every number). */
  textsMayBeLate: string;
  differentNumber: string;
  /** Shown for the first seconds of the code screen, so a typo can be caught. */
  youTyped: (number: string) => string;
  sendNewCode: string;
  /** The code entry's state, as a short title above what to do next. */
  codeStates: { wrong: string; expired: string; dead: string; locked: string };

  /** The ways in without a text (shift PIN, authenticator app), setting them up, and sensitive apps. */
  ways: {
    otherWays: string;
    useShiftPin: string;
    useAuthenticator: string;
    pinHeading: string;
    forNumber: (number: string) => string;
    shiftPin: string;
    authenticatorHeading: string;
    authenticatorCode: string;
    back: string;
    setShiftPin: string;
    setPinHeading: string;
    setPinHint: (hours: number, f: Formats) => string;
    newPin: string;
    repeatPinHeading: string;
    pinsDiffer: string;
    shiftPinUntil: (time: string) => string;
    setUpAuthenticator: string;
    authenticatorSetupHeading: string;
    authenticatorSetupHint: string;
    qrCode: string;
    setupKey: string;
    authenticatorReady: string;
    stepUpHint: (app: string) => string;
    /** RFC 8176 amr values, as IT reads them. */
    amr: { sms: string; voice: string; pin: string; otp: string };
  };

  hello: (name: string) => string;
  homeHint: string;
  yourApps: string;
  noApps: string;
  openedInNewTab: (app: string) => string;
  home: string;
  signOut: string;

  idleHeading: string;
  idleCountdown: (seconds: number, f: Formats) => string;
  stillHere: string;
  signOutNow: string;
  signedOut: Record<Exclude<SignOutReason, 'user'>, string>;

  adminPinHeading: string;
  adminPin: string;
  adminOpen: string;
  cancel: string;
  admin: {
    heading: string;
    close: string;
    device: string;
    deviceName: string;
    version: string;
    mode: string;
    modeDemo: string;
    modeLive: string;
    lastSync: string;
    neverSynced: string;
    directoryAge: string;
    directoryNeverAges: string;
    directorySynced: (when: string) => string;
    directoryTooOld: (when: string) => string;
    syncOk: (when: string) => string;
    syncFailed: (when: string, why: string) => string;
    setAsideLabel: string;
    setAside: (count: number, reasons: string, f: Formats) => string;
    users: string;
    readyPhones: string;
    smsProviders: string;
    /** One provider's health: when it last worked and how often it has failed since. */
    providerHealth: (p: { provider: string; fallback: boolean; lastSuccess: string | null; failures: number; lastFailure: string | null; reason: string | null }, f: Formats) => string;
    syncNow: string;
    synced: string;
    sendDiagnostics: string;
    diagnosticsSent: string;
    tabs: { activity: string; unlock: string; device: string };
    signedInNow: string;
    nobodySignedIn: string;
    signedInAs: (name: string, how: string) => string;
    shiftPinsHeading: string;
    noShiftPins: string;
    shiftPinUntil: (time: string) => string;
    clearShiftPin: (name: string) => string;
    clearAllShiftPins: string;
    shiftPinsCleared: (count: number, f: Formats) => string;
    lockedHeading: string;
    noneLocked: string;
    lockedUntil: (time: string) => string;
    lockedUntilAdmin: string;
    unlockWorker: (name: string) => string;
    unlockHeading: string;
    unlockNumber: string;
    unlock: string;
    unlocked: (count: number, f: Formats) => string;
    auditHeading: string;
    filterOutcome: string;
    filterTime: string;
    anyOutcome: string;
    outcomes: { success: string; failure: string; info: string };
    filterKind: string;
    anyKind: string;
    kinds: { signIn: string; sms: string; session: string; admin: string; sync: string };
    page: (page: number, pages: number, f: Formats) => string;
    previousPage: string;
    nextPage: string;
    exportCsv: string;
    showActivity: string;
    /** Clears the number search: "Only 2065550100 ✕". */
    allNumbers: (phone: string) => string;
    /** An audit event as a sentence: who did what, and why it failed. */
    event: (event: AuditSentence) => string;
    lastHours: (hours: number, f: Formats) => string;
    columns: { when: string; event: string; outcome: string; phone: string };
    noEvents: string;
    exitKiosk: string;
    resetDemo: string;
    demoReset: string;
  };

  /** What went wrong and what to do next, by the error's code. */
  errors: {
    generic: string;
    phoneEmpty: string;
    phoneInvalidCharacters: string;
    phoneTooShort: string;
    phoneTooLong: string;
    phoneInvalidCountry: string;
    phoneInvalid: string;
    phoneNotRegistered: string;
    challengeEnded: string;
    codeWrong: (attemptsLeft: number, f: Formats) => string;
    codeExpired: string;
    codeUsed: string;
    codeTooManyAttempts: string;
    lockedFor: (minutes: number, until: string, f: Formats) => string;
    lockedUntilAdmin: string;
    sendFailed: string;
    callsOff: string;
    codesOff: string;
    resendTooSoon: (seconds: number, f: Formats) => string;
    tooManySends: (minutes: number, f: Formats) => string;
    kioskLimit: (minutes: number, f: Formats) => string;
    busy: string;
    notSynced: string;
    directoryTooOld: string;
    appNotFound: string;
    adminWrongPin: (attemptsLeft: number, f: Formats) => string;
    adminLocked: string;
    adminNotSet: string;
    adminNotAvailable: string;
    adminDiagnosticsFailed: string;
    adminClosed: string;
    offline: string;
    pinWrong: (attemptsLeft: number, f: Formats) => string;
    pinGuessable: string;
    pinTooManyAttempts: string;
    authenticatorTooManyAttempts: string;
    authenticatorNotStarted: string;
    authenticatorCodeUsed: string;
    appNeedsAuthenticator: string;
    appAuthenticatorNotSetUp: string;
    methodOff: string;
    forbidden: string;
  };
}

export interface Locale {
  /** BCP 47, like `en` or `es`. */
  code: string;
  messages: Messages;
}
