import type { Locale } from '../messages';

const reasonsEn: Record<string, string> = {
  wrongPin: 'wrong PIN',
  noShiftPin: 'no shift PIN',
  notEnrolled: 'no authenticator app',
  policyChanged: 'policy changed',
  wrongCode: 'wrong code',
  codeExpired: 'code expired',
  tooManyAttempts: 'too many wrong codes',
  codeUsed: 'code already used',
  locked: 'locked',
  noCodeSent: 'no code was sent',
  noLongerEligible: 'no longer allowed',
  unknownNumber: 'number not registered',
  accountDisabled: 'account disabled',
  privilegedRole: 'admin role',
  phoneNumberNotUnique: 'number shared by two people',
  policyDisabled: 'SMS sign-in turned off',
  notInPolicyScope: 'not in the sign-in policy',
  excludedByPolicy: 'excluded by policy',
  notUsableForSignIn: 'group not usable for sign-in',
  notMobilePhone: 'not a mobile number',
  callOnlyPhone: 'office phone: calls only',
  waitsForCall: 'no text: waits for a call',
  tooManySends: 'too many texts to this number',
  kioskLimit: 'kiosk text limit',
  temporary: 'for a while',
  untilAdminUnlocks: 'until an admin unlocks',
  notLocked: 'was not locked',
  user: 'by the worker',
  idle: 'idle',
  maxDuration: 'time limit',
  admin: 'by an admin',
  suspend: 'kiosk asleep',
  revoked: 'access changed',
  crash: 'screen problem',
  codeIssued: 'code issued',
  idTokenIssued: 'ID token issued',
  tokensIssued: 'tokens issued',
  login_required: 'nobody signed in at the kiosk',
  invalid_grant: 'code used or expired',
  invalid_request: 'bad request',
  invalid_client: 'unknown app',
};
const adminActionsEn: Record<string, string> = { resetDemo: 'demo reset', syncNow: 'sync now', unlock: 'unlock', exit: 'left kiosk mode', close: 'closed', sendDiagnostics: 'diagnostics sent' };

const amrEn: Record<string, string> = { sms: 'text message', voice: 'phone call', pin: 'shift PIN', otp: 'authenticator app' };

const locale: Locale = {
  code: 'en',
  messages: {
    languageName: 'English',
    demoBanner: 'Offline demo mode: no real texts are sent. Codes appear on the demo phone.',
    livePreviewBanner: 'Preview of a live configuration: real directory, real texts.',
    demoPhone: 'Demo phone',
    demoPhoneEmpty: 'Texts and calls the kiosk sends appear here.',
    demoTextTo: (masked) => `To ${masked}`,
    demoCallTo: (masked) => `Incoming call to ${masked}`,
    demoCallSays: 'The call says:',
    demoSound: 'Speak calls aloud',

    phoneHeading: 'Sign in with your mobile number',
    phoneHint: 'We will text you a 6-digit code.',
    mobileNumber: 'Mobile number',
    country: 'Country',
    countryOption: (name, code) => `${name} (+${code})`,
    keypad: 'Keypad',
    deleteKey: 'Delete',
    clearKey: 'Clear',
    sendCode: 'Send code',
    switchLanguage: 'Language',
    phoneHints: {
      empty: 'Type your number on the keypad.',
      international: 'Type the country code after +.',
      missing: (n, f) => f.plural(n, { one: '1 more digit needed.', other: `${f.number(n)} more digits needed.` }),
      extra: (n, f) => f.plural(n, { one: '1 digit too many. Delete one.', other: `${f.number(n)} digits too many. Delete some.` }),
      unknownCallingCode: 'No country uses that code. Check the digits after +.',
      notInCountry: (country) => `That is not a number in ${country}. Check it, or pick the country.`,
      looksRight: 'Check the number, then tap Send code.',
    },

    codeHeading: 'Enter your code',
    codeSentTo: (masked) => `If this number is registered, we sent a code to ${masked}.`,
    verificationCode: 'Verification code',
    signIn: 'Sign in',
    expiresIn: (countdown) => `The code expires in ${countdown}.`,
    codeExpired: 'The code has expired. Ask for a new one.',
    resendCode: 'Resend code',
    resendIn: (seconds) => `You can ask for the code again in ${seconds} s.`,
    resendReady: 'No text? You can ask for the code again.',
    callMeInstead: 'Call me instead',
    textsOff: 'This kiosk sends no texts: tap Call me instead to hear your code.',
    textsMayBeLate: 'Texts are slow right now: the code may be late. You can ask for it again.',
    differentNumber: 'Use a different number',
    youTyped: (number) => `You typed ${number}. Wrong number? Use a different number.`,
    sendNewCode: 'Send a new code',
    codeStates: { wrong: 'Wrong code', expired: 'Code expired', dead: 'Code used up', locked: 'Sign-in locked' },

    ways: {
      otherWays: 'Other ways to sign in',
      useShiftPin: 'Use shift PIN',
      useAuthenticator: 'Use authenticator app',
      pinHeading: 'Enter your shift PIN',
      forNumber: (number) => `For ${number}.`,
      shiftPin: 'Shift PIN',
      authenticatorHeading: 'Enter the code from your authenticator app',
      authenticatorCode: 'Code from the app',
      back: 'Back',
      setShiftPin: 'Set a shift PIN',
      setPinHeading: 'Choose a 6-digit shift PIN',
      setPinHint: (hours, f) => `Until your shift ends (${f.plural(hours, { one: '1 hour', other: `${f.number(hours)} hours` })}), sign in on this kiosk with your number and this PIN, no text needed. Avoid 111111 or 123456.`,
      newPin: 'New PIN',
      repeatPinHeading: 'Type the same PIN again',
      pinsDiffer: 'The two PINs were not the same. Start again.',
      shiftPinUntil: (time) => `Your shift PIN works on this kiosk until ${time}.`,
      setUpAuthenticator: 'Set up authenticator app',
      authenticatorSetupHeading: 'Set up your authenticator app',
      authenticatorSetupHint: 'In Microsoft or Google Authenticator, add an account and scan this code, or type the setup key. Then type the code the app shows.',
      qrCode: 'QR code for your authenticator app',
      setupKey: 'Setup key',
      authenticatorReady: 'Your authenticator app is set up on this kiosk.',
      stepUpHint: (app) => `${app} asks for a code from your authenticator app.`,
      amr: { sms: 'text message', voice: 'phone call', pin: 'shift PIN', otp: 'authenticator app' },
    },

    hello: (name) => `Hello, ${name}`,
    homeHint: 'Sign out when you are done so the next person starts fresh.',
    yourApps: 'Your apps',
    noApps: 'No apps are set up for you here yet. Ask your manager if you need one.',
    openedInNewTab: (app) => `${app} opened in a new tab.`,
    home: 'Home',
    signOut: 'Sign out',

    idleHeading: 'Are you still there?',
    idleCountdown: (seconds, f) => `Signing out in ${f.plural(seconds, { one: `${f.number(seconds)} second`, other: `${f.number(seconds)} seconds` })}`,
    stillHere: "I'm still here",
    signOutNow: 'Sign out now',
    signedOut: {
      idle: 'You were signed out because the screen was not used for a while.',
      maxDuration: 'You were signed out because the session reached its time limit.',
      revoked: 'You were signed out because your access to this kiosk changed. Ask your manager if this is unexpected.',
      admin: 'You were signed out by an administrator.',
      suspend: 'You were signed out because the kiosk went to sleep or was locked.',
      crash: 'You were signed out because the screen had a problem. Please sign in again.',
    },

    adminPinHeading: 'Admin',
    adminPin: 'Admin PIN',
    adminOpen: 'Open admin',
    cancel: 'Cancel',
    admin: {
      heading: 'Kiosk admin',
      close: 'Close admin',
      device: 'This kiosk',
      deviceName: 'Device name',
      version: 'Version',
      mode: 'Mode',
      modeDemo: 'Offline demo',
      modeLive: 'Live',
      lastSync: 'Last directory sync',
      neverSynced: 'Not synced (demo mode has no directory)',
      directoryAge: 'Directory age',
      directoryNeverAges: 'Never ages (demo)',
      directorySynced: (when) => `Up to date as of ${when}`,
      directoryTooOld: (when) => `Too old: last updated ${when}. Sign-in is paused until a sync succeeds.`,
      syncOk: (when) => `Succeeded ${when}`,
      syncFailed: (when, why) => `Failed ${when}: ${why}`,
      setAsideLabel: 'Set aside by the last sync',
      setAside: (count, reasons, f) => `${f.plural(count, { one: '1 record set aside', other: `${f.number(count)} records set aside` })}: ${reasons}`,
      users: 'Users',
      readyPhones: 'Phones ready for sign-in',
      smsProviders: 'Text and call providers',
      providerHealth: (p, f) => {
        const name = p.fallback ? `${p.provider} (fallback)` : p.provider;
        const worked = p.lastSuccess ? `last worked ${p.lastSuccess}` : 'has not worked yet';
        if (p.failures === 0) return `${name}: ${worked}.`;
        return `${name}: ${worked}; ${f.plural(p.failures, { one: '1 failure', other: `${f.number(p.failures)} failures` })} since, the last ${p.lastFailure} (${p.reason}).`;
      },
      syncNow: 'Sync now',
      synced: 'The directory was synced.',
      sendDiagnostics: 'Send diagnostics',
      diagnosticsSent: 'Diagnostics sent to your IT team.',
      tabs: { activity: 'Activity', unlock: 'Unlock a worker', device: 'This kiosk' },
      signedInNow: 'Signed in now',
      nobodySignedIn: 'Nobody',
      signedInAs: (name, how) => `${name}, by ${how}`,
      shiftPinsHeading: 'Shift PINs on this kiosk',
      noShiftPins: 'Nobody has a shift PIN here.',
      shiftPinUntil: (time) => `until ${time}`,
      clearShiftPin: (name) => `Clear ${name}'s shift PIN`,
      clearAllShiftPins: 'Clear all shift PINs',
      shiftPinsCleared: (count, f) => f.plural(count, { one: '1 shift PIN cleared.', other: `${f.number(count)} shift PINs cleared.` }),
      lockedHeading: 'Locked workers',
      noneLocked: 'Nobody is locked out.',
      lockedUntil: (time) => `locked until ${time}`,
      lockedUntilAdmin: 'locked until an admin unlocks',
      unlockWorker: (name) => `Unlock ${name}`,
      unlockHeading: 'Unlock a worker',
      unlockNumber: 'Their mobile number',
      unlock: 'Unlock',
      unlocked: (count, f) => (count === 0 ? 'Nobody with that number was locked.' : f.plural(count, { one: 'Unlocked.', other: `Unlocked ${f.number(count)} people.` })),
      auditHeading: 'Recent activity',
      filterOutcome: 'Outcome',
      filterTime: 'Time',
      anyOutcome: 'Any',
      outcomes: { success: 'Success', failure: 'Failure', info: 'Info' },
      filterKind: 'Kind',
      anyKind: 'Any',
      kinds: { signIn: 'Sign-in', sms: 'Texts', session: 'Sign-out', admin: 'Admin', sync: 'Directory sync' },
      page: (page, pages, f) => `Page ${f.number(page)} of ${f.number(pages)}`,
      previousPage: 'Previous page',
      nextPage: 'Next page',
      exportCsv: 'Export CSV',
      showActivity: 'Show their activity',
      allNumbers: (phone) => `Only ${phone}: show all`,
      event: (e) => {
        const who = e.who ?? 'Someone';
        const why = e.reason ? ` (${reasonsEn[e.reason] ?? e.reason})` : '';
        switch (e.what) {
          case 'codeRequested': return `${who} asked for a code`;
          case 'codeRefused': return `Code refused${why}`;
          case 'textSent': return `Text sent`;
          case 'textFailed': return `Text not sent${why}`;
          case 'callPlaced': return `Call placed`;
          case 'callFailed': return `Call not placed${why}`;
          case 'signedIn': return `${who} signed in${e.amr.length > 0 ? ` (${e.amr.map((value) => amrEn[value]).join(' + ')})` : ''}`;
          case 'signInFailed': return `Sign-in failed${why}`;
          case 'lockedOut': return `${who} locked out${why}`;
          case 'unlocked': return `${who} unlocked`;
          case 'abandoned': return 'Code entry left unfinished';
          case 'signedOut': return `${who} signed out${why}`;
          case 'adminOpened': return 'Admin screen opened';
          case 'adminWrongPin': return 'Wrong admin PIN';
          case 'adminAction': return `Admin: ${adminActionsEn[e.action ?? ''] ?? e.action ?? ''}`;
          case 'synced': return 'Directory synced';
          case 'syncFailed': return `Directory sync failed${why}`;
          case 'appSignedIn': return `${who} signed in to an app${why}`;
          case 'appSignInRefused': return `App sign-in refused${why}`;
          case 'appToldOfSignOut': return `An app was told ${who} signed out`;
          case 'appNotToldOfSignOut': return `An app could not be told ${who} signed out (will retry)`;
          case 'heartbeat': return 'Status sent to IT';
          case 'shiftPinSet': return `${who} set a shift PIN`;
          case 'shiftPinEnded': return `Shift PIN ended${why}`;
          case 'authenticatorSetUp': return `${who} set up an authenticator app`;
          case 'steppedUp': return `${who} gave an authenticator code`;
          default: return 'Other event';
        }
      },
      lastHours: (hours, f) => f.plural(hours, { one: 'Last hour', other: `Last ${f.number(hours)} hours` }),
      columns: { when: 'When', event: 'Event', outcome: 'Outcome', phone: 'Number' },
      noEvents: 'Nothing matches these filters.',
      exitKiosk: 'Exit kiosk',
      resetDemo: 'Reset demo',
      demoReset: 'The demo is back as it started.',
    },

    errors: {
      generic: 'Something went wrong. Please try again.',
      phoneEmpty: 'Enter your mobile number.',
      phoneInvalidCharacters: 'Use only the digits 0–9, and + at the start.',
      phoneTooShort: 'That number is too short. Check it and try again.',
      phoneTooLong: 'That number is too long. Check it and try again.',
      phoneInvalidCountry: 'That country code does not exist. Check the digits after +.',
      phoneInvalid: 'That is not a valid mobile number. Check it and try again.',
      phoneNotRegistered: 'This number is not set up for sign-in here. Ask your manager to add it.',
      challengeEnded: 'That sign-in has ended. Enter your number again.',
      codeWrong: (left, f) => `That code is not right. ${f.plural(left, { one: '1 try left', other: `${f.number(left)} tries left` })}.`,
      codeExpired: 'That code has expired. Ask for a new code.',
      codeUsed: 'That code has already been used. Ask for a new code.',
      codeTooManyAttempts: 'Too many wrong tries for this code. Ask for a new code.',
      lockedFor: (minutes, until, f) =>
        `Too many wrong codes. Try again in ${f.plural(minutes, { one: '1 minute', other: `${f.number(minutes)} minutes` })} (at ${until}).`,
      lockedUntilAdmin: 'Sign-in with this number is locked after too many wrong codes. Ask a manager to unlock it.',
      sendFailed: 'We could not send a text right now. Wait a moment and try again.',
      callsOff: 'This kiosk does not place calls. Use the texted code.',
      codesOff: 'Sign-in by code is switched off on this kiosk. Ask a manager.',
      resendTooSoon: (seconds, f) => `Wait ${f.plural(seconds, { one: '1 second', other: `${f.number(seconds)} seconds` })} before asking again.`,
      tooManySends: (minutes, f) => `Too many codes were sent to this number. Try again in ${f.plural(minutes, { one: '1 minute', other: `${f.number(minutes)} minutes` })}.`,
      kioskLimit: (minutes, f) =>
        `This kiosk has sent too many texts this hour. Try again in ${f.plural(minutes, { one: '1 minute', other: `${f.number(minutes)} minutes` })}, or ask a manager.`,
      busy: 'Someone is already signed in on this kiosk.',
      notSynced: 'This kiosk has not received its list of people yet. Try again in a few minutes, or ask IT.',
      directoryTooOld: 'This kiosk could not update its list of people for too long, so sign-in is paused. Ask a manager or IT.',
      appNotFound: 'That app is not available to you here.',
      adminWrongPin: (left, f) => `That PIN is not right. ${f.plural(left, { one: '1 try left', other: `${f.number(left)} tries left` })}.`,
      adminLocked: 'Too many wrong PINs. Wait a few minutes and try again.',
      adminNotSet: 'No admin PIN is set on this kiosk.',
      adminNotAvailable: 'That is not available on this kiosk.',
      adminDiagnosticsFailed: 'The diagnostics could not be sent. Check the network and try again.',
      adminClosed: 'The admin screen closed. Enter the PIN again.',
      offline: 'The kiosk service is not responding. Please try again.',
      pinWrong: (left, f) => `That PIN is not right. ${f.plural(left, { one: '1 try left', other: `${f.number(left)} tries left` })}.`,
      pinGuessable: 'That PIN is too easy to guess. Avoid repeated digits and runs like 123456.',
      pinTooManyAttempts: 'Too many wrong PINs, so the shift PIN was cleared. Sign in with a text and set a new one.',
      authenticatorTooManyAttempts: 'Too many wrong codes. Sign in with a text to use the authenticator app again.',
      authenticatorCodeUsed: 'That code was used already. Wait for the app to show the next one.',
      authenticatorNotStarted: 'Start the authenticator set-up again.',
      appNeedsAuthenticator: 'This app needs a code from your authenticator app first.',
      appAuthenticatorNotSetUp: 'This app needs a code from an authenticator app, which is not set up for you on this kiosk. Sign in with a text, then tap "Set up authenticator app".',
      methodOff: 'That way of signing in is switched off on this kiosk. Sign in with a text.',
      forbidden: 'Sign in with a text first to set this up.',
    },
  },
};

export default locale;
