import { z } from 'zod';
import type { CallName, EventName } from './contract-names';
import { errorCodes, type KioskError } from './result';

export { callNames, eventNames, isCallName, isEventName, type CallName, type EventName } from './contract-names';

/**
 * The one typed surface between the renderer and main. Both transports (Electron IPC and
 * the preview host's loopback HTTP) are generated from these tables, and main parses every
 * input and every result against them: output schemas strip unknown keys, so nothing the
 * contract does not name (a code hash, another user's data) can cross the boundary.
 */

const empty = z.strictObject({});

export const kioskErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  attemptsLeft: z.number().int().min(0).optional(),
  retryAt: z.number().int().optional(),
}) satisfies z.ZodType<KioskError>;

const challengeId = z.string().regex(/^[0-9a-f]{32}$/, 'Expected a challenge id');

export const signOutReasons = ['user', 'idle', 'maxDuration', 'admin', 'suspend', 'revoked', 'crash'] as const;
export type SignOutReason = (typeof signOutReasons)[number];

const signedInUser = z.object({ displayName: z.string() });

/** RFC 8176 amr values: how the worker proved who they are this session. */
export const amrValues = ['sms', 'voice', 'pin', 'otp'] as const;
export const signInMethodValues = ['sms', 'voice', 'shiftPin', 'authenticator'] as const;

/** What the signed-in screen knows of how the worker got in, and what they may set up. */
const signedInProofs = {
  amr: z.array(z.enum(amrValues)),
  /** Offered on the home screen: only after a sign-in by text or call, where policy allows. */
  setUp: z.array(z.enum(['shiftPin', 'authenticator'])),
  /** When the worker's shift PIN on this kiosk ends, if they have one. */
  shiftPinUntil: z.number().int().optional(),
  /** The worker has an authenticator app set up on this kiosk. */
  authenticator: z.boolean(),
};

export const sessionViewSchema = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('ready'),
    /** Why the last session ended, when it just did: the keypad says so briefly. */
    signedOut: z.enum(signOutReasons).optional(),
    /** A code entry was left unfinished and timed out: the typed number is wiped too. */
    abandoned: z.literal(true).optional(),
  }),
  z.object({
    state: z.literal('challenge'),
    challengeId,
    /** The number the code went to, masked: `+1 ••• ••• 0100`. */
    maskedPhone: z.string(),
    expiresAt: z.number().int(),
    /** When "Resend code" may be used. */
    resendAt: z.number().int(),
    /** Kiosk-wide, the same for every number: real texts are failing or hanging just now. */
    textsMayBeLate: z.literal(true).optional(),
    /** When "Call me instead" may be used; absent where this kiosk places no calls. Kiosk-wide. */
    callAt: z.number().int().optional(),
    /** Kiosk-wide: policy sends no texts; the code comes by a call only. */
    textsOff: z.literal(true).optional(),
    /** Why this code can do no more (expired, used up, dead, locked): kept so a reload shows it. */
    refusal: kioskErrorSchema.optional(),
  }),
  z.object({
    state: z.literal('active'),
    user: signedInUser,
    startedAt: z.number().int(),
    ...signedInProofs,
  }),
  z.object({
    state: z.literal('warning'),
    user: signedInUser,
    startedAt: z.number().int(),
    ...signedInProofs,
    /** When the worker will be signed out unless they say they are still here. */
    signOutAt: z.number().int(),
  }),
]);
export type SessionView = z.infer<typeof sessionViewSchema>;

/** A language on screen (BCP 47, the form the kiosk's message templates are keyed by). */
const languageTag = z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'A language is a tag like en, es or es-MX');
const countryCode = z.string().regex(/^[A-Z]{2}$/, 'A country is two capital letters (ISO 3166-1), like US or SE');

export const deviceStatusSchema = z.object({
  mode: z.enum(['demo', 'live']),
  /** A live configuration run in the browser preview host (`npm run preview -- --config`), not on a kiosk. */
  preview: z.boolean().optional(),
  deviceName: z.string(),
  version: z.string(),
  organizationName: z.string(),
  defaultCountry: z.string().length(2),
  /** BCP 47 language the screen starts in; the worker may switch on the keypad. */
  defaultLanguage: z.string(),
  branding: z.object({
    primaryColor: z.string().optional(),
    logo: z.string().optional(),
    signInHint: z.string().optional(),
  }),
  /**
   * What this kiosk's shell can do, so the screen never guesses from its surroundings
   * (`window.kiosk`): leave kiosk mode (the desktop app; the browser preview cannot).
   */
  capabilities: z.object({ exit: z.boolean() }),
  /**
   * The walk-away reset (policy): a screen other than a clean keypad goes back to one after
   * this many idle seconds — with something typed, or showing only a notice.
   */
  walkAway: z.object({ typedSeconds: z.number().int(), noticeSeconds: z.number().int() }),
  /** The ways in policy offers here: the phone screen shows only these. */
  signInMethods: z.array(z.enum(signInMethodValues)),
  /** How long a shift PIN works once set (policy). */
  shiftPinHours: z.number().int(),
});
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;

export const appTileSchema = z.object({
  id: z.string(),
  name: z.string(),
  icon: z.string().optional(),
  /** A sensitive app: it asks for an authenticator code first, unless one was given this session. */
  requires: z.literal('authenticator').optional(),
});
export type AppTile = z.infer<typeof appTileSchema>;

/** How many records the last sync set aside, and the first of them with the reason, for IT. */
const setAsideSchema = z.object({
  count: z.number().int(),
  records: z.array(z.object({ record: z.enum(['user', 'phoneMethod', 'target', 'roleMember']), id: z.string(), reason: z.string() })),
});

export const adminStatusSchema = z.object({
  deviceName: z.string(),
  version: z.string(),
  mode: z.enum(['demo', 'live']),
  /** The last directory sync; null in demo mode or before the first. */
  lastSync: z
    .object({ at: z.number().int(), ok: z.boolean(), message: z.string().optional() })
    .nullable(),
  users: z.number().int(),
  readyPhones: z.number().int(),
  /** Directory records the last sync set aside (users, phone methods, targets, role members it could not read). */
  setAside: setAsideSchema.optional(),
  /** The directory's age: its last successful sync; null in the demo (it never ages) or before the first. */
  directorySyncedAt: z.number().int().nullable(),
  /** Older than policy's maxDirectoryAgeHours: sign-in is paused until a sync succeeds. */
  directoryTooOld: z.boolean(),
  /** Each configured SMS provider (`sms`, `sms.fallback`) that has been used: its last success and failures since. */
  smsProviders: z
    .array(
      z.object({
        role: z.enum(['primary', 'fallback']),
        provider: z.string(),
        lastSuccessAt: z.number().int().nullable(),
        lastFailureAt: z.number().int().nullable(),
        lastFailureReason: z.string().nullable(),
        failuresSinceSuccess: z.number().int(),
      }),
    )
    .optional(),
});
export type AdminStatus = z.infer<typeof adminStatusSchema>;

export const auditKinds = ['signIn', 'sms', 'session', 'admin', 'sync'] as const;
export type AuditKind = (typeof auditKinds)[number];

export const auditEventSchema = z.object({
  id: z.number().int(),
  at: z.number().int(),
  type: z.string(),
  outcome: z.enum(['success', 'failure', 'info']),
  reason: z.string().nullable(),
  userId: z.string().nullable(),
  /** The user's display name, when the event names a user the directory still has. */
  userName: z.string().nullable().optional(),
  phoneMasked: z.string().nullable(),
  /** For a send (`sms.send`): a text, or a call that read the code out. */
  channel: z.enum(['sms', 'voice']).optional(),
  /** Sign-in events: how the worker proved who they are (RFC 8176 amr, space-separated), or the method tried. */
  amr: z.string().optional(),
  method: z.string().optional(),
});
export type AuditEventView = z.infer<typeof auditEventSchema>;

export const syncStatusSchema = z.object({
  lastAttemptAt: z.number().int().nullable(),
  lastSuccessAt: z.number().int().nullable(),
  lastError: z.object({ reason: z.string(), message: z.string() }).nullable(),
  users: z.number().int(),
  readyPhones: z.number().int(),
  nextAttemptAt: z.number().int().nullable(),
  setAside: z.array(z.object({ record: z.string(), id: z.string(), code: z.string(), reason: z.string() })).optional(),
  setAsideCount: z.number().int().optional(),
});

export const demoSmsSchema = z.object({
  id: z.string(),
  /** `sms`: a text; `voice`: a call, `body` being the words it says, in `language`. */
  channel: z.enum(['sms', 'voice']),
  maskedTo: z.string(),
  body: z.string(),
  /** BCP 47, calls only: what the demo phone's speech (when the trainer turns sound on) speaks in. */
  language: z.string().optional(),
  sentAt: z.number().int(),
});
export type DemoSms = z.infer<typeof demoSmsSchema>;

function call<I extends z.ZodType, O extends z.ZodType>(input: I, output: O) {
  return { input, output };
}

export const calls = {
  'signIn.start': call(
    z.strictObject({
      phone: z.string().max(40, 'A phone number has at most 40 characters'),
      /** The country picked on the keypad, when not the kiosk's own. */
      country: countryCode.optional(),
      /** The language on screen (BCP 47): the text goes out in it where the kiosk has a template. */
      language: languageTag.optional(),
    }),
    sessionViewSchema,
  ),
  'signIn.verify': call(
    z.strictObject({ challengeId, code: z.string().regex(/^[0-9]{6}$/, 'The code is 6 digits') }),
    sessionViewSchema,
  ),
  'signIn.resend': call(z.strictObject({ challengeId }), sessionViewSchema),
  /**
   * "Send a new code" once the code is expired, used up or dead after five wrong tries: a
   * new code to the same number, counted as a send. While the code still works it is a resend.
   */
  'signIn.renew': call(z.strictObject({ challengeId, language: languageTag.optional() }), sessionViewSchema),
  /** "Call me instead": the same code read out by a call, in the language on screen; counted as a send. */
  'signIn.call': call(z.strictObject({ challengeId, language: languageTag.optional() }), sessionViewSchema),
  'signIn.cancel': call(empty, sessionViewSchema),
  /** "Use shift PIN": number + the six-digit PIN the worker set this shift on this kiosk. */
  'signIn.withShiftPin': call(
    z.strictObject({ phone: z.string().max(40), country: countryCode.optional(), pin: z.string().regex(/^[0-9]{6}$/, 'The PIN is 6 digits') }),
    sessionViewSchema,
  ),
  /** "Use authenticator app": number + the app's current six-digit code. */
  'signIn.withAuthenticator': call(
    z.strictObject({ phone: z.string().max(40), country: countryCode.optional(), code: z.string().regex(/^[0-9]{6}$/, 'The code is 6 digits') }),
    sessionViewSchema,
  ),
  /** "Set a shift PIN" (signed in by text or call). */
  'shiftPin.set': call(z.strictObject({ pin: z.string().regex(/^[0-9]{6}$/, 'The PIN is 6 digits') }), sessionViewSchema),
  /** "Set up authenticator app": a new secret as a QR code (SVG data: URL) and the same as a setup key. */
  'authenticator.begin': call(empty, z.object({ qrCode: z.string().startsWith('data:image/svg+xml;base64,'), setupKey: z.string() })),
  /** The app's first code: the set-up works from now on. */
  'authenticator.confirm': call(z.strictObject({ code: z.string().regex(/^[0-9]{6}$/, 'The code is 6 digits') }), sessionViewSchema),
  /** A current code during the session, before an app that requires one. */
  'authenticator.stepUp': call(z.strictObject({ code: z.string().regex(/^[0-9]{6}$/, 'The code is 6 digits') }), sessionViewSchema),
  'session.current': call(empty, sessionViewSchema),
  'session.signOut': call(empty, sessionViewSchema),
  /** The worker touched the screen: pushes the idle timeout back. */
  'session.activity': call(empty, sessionViewSchema),
  /** "I'm still here" on the idle warning. */
  'session.stillHere': call(empty, sessionViewSchema),
  /** The apps the signed-in worker's groups may use; none when nobody is signed in. */
  'apps.list': call(empty, z.object({ apps: z.array(appTileSchema) })),
  /**
   * Opens an app: inside the kiosk (Electron), or — in the browser preview — by the screen
   * itself, in a new tab at the URL given.
   */
  'apps.open': call(
    z.strictObject({ appId: z.string().min(1).max(128) }),
    z.discriminatedUnion('target', [z.object({ target: z.literal('kiosk') }), z.object({ target: z.literal('tab'), url: z.string() })]),
  ),
  /** Back to the home screen from an app. */
  'apps.home': call(empty, z.object({})),
  /** Opens the admin screen with the admin PIN; it closes itself after five idle minutes. */
  'admin.open': call(z.strictObject({ pin: z.string().regex(/^[0-9]{4,12}$/, 'The admin PIN is 4 to 12 digits') }), z.object({})),
  'admin.close': call(empty, z.object({})),
  'admin.status': call(empty, adminStatusSchema),
  'admin.audit': call(
    z.strictObject({
      outcome: z.enum(['success', 'failure', 'info']).optional(),
      type: z.string().max(40).optional(),
      /** A kind of event: every type in it (`signIn` is start, verify, lockout and abandoned). */
      kind: z.enum(auditKinds).optional(),
      /** One number's events, found through the audit log's keyed hash (numbers are stored only masked). */
      phone: z.string().max(40).optional(),
      sinceHours: z.number().int().min(1).max(24 * 365).optional(),
      limit: z.number().int().min(1).max(200),
    }),
    z.object({ events: z.array(auditEventSchema) }),
  ),
  'admin.syncNow': call(empty, adminStatusSchema),
  /** Sends the diagnostics bundle (what `frontline-kiosk --diagnostics` writes) through the audit upload. */
  'admin.sendDiagnostics': call(empty, z.object({ sentAt: z.number().int() })),
  /** Lifts the SMS sign-in lock of whoever holds this number. */
  'admin.unlock': call(z.strictObject({ phone: z.string().max(40) }), z.object({ unlocked: z.number().int() })),
  /** Who is locked out of SMS sign-in now, and until when (null: until an admin unlocks). */
  'admin.locked': call(
    empty,
    z.object({ workers: z.array(z.object({ userId: z.string(), displayName: z.string(), until: z.number().int().nullable() })) }),
  ),
  /** Lifts one worker's lock, from the Locked workers list. */
  'admin.unlockWorker': call(z.strictObject({ userId: z.string().min(1).max(128) }), z.object({ unlocked: z.number().int() })),
  /** Who has a shift PIN on this kiosk now, and until when. */
  'admin.shiftPins': call(empty, z.object({ workers: z.array(z.object({ userId: z.string(), displayName: z.string(), until: z.number().int() })) })),
  /** Ends one worker's shift PIN, or (no userId) everyone's on this kiosk. */
  'admin.clearShiftPins': call(z.strictObject({ userId: z.string().min(1).max(128).optional() }), z.object({ cleared: z.number().int() })),
  /** Who is signed in now and how they proved it (amr), for IT. */
  'admin.session': call(empty, z.object({ signedIn: z.object({ displayName: z.string(), amr: z.array(z.enum(amrValues)), startedAt: z.number().int() }).nullable() })),
  /** Puts the offline demo back as it started (demo mode only). */
  'admin.resetDemo': call(empty, adminStatusSchema),
  /** Leaves kiosk mode (Electron only). */
  'admin.exit': call(empty, z.object({})),
  'device.status': call(empty, deviceStatusSchema),
} as const satisfies Record<CallName, { input: z.ZodType; output: z.ZodType }>;

export const events = {
  'session.changed': sessionViewSchema,
  /** Demo mode only: a text the kiosk "sent", shown on the on-screen demo phone. */
  'demo.sms': demoSmsSchema,
  /** How the directory sync is doing (live mode): for the admin screen. */
  'sync.status': syncStatusSchema,
} as const satisfies Record<EventName, z.ZodType>;

export type CallInput<K extends CallName> = z.input<(typeof calls)[K]['input']>;
export type CallOutput<K extends CallName> = z.output<(typeof calls)[K]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const resultSchema = <O extends z.ZodType>(value: O) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: kioskErrorSchema }),
  ]);
