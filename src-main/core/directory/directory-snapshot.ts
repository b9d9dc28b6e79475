import { z } from 'zod';

/**
 * A full copy of what the kiosk needs from the organisation's directory. Field names
 * follow Microsoft Graph so an Entra admin recognises them.
 */

export const smsSignInStates = [
  'ready',
  'notSupported',
  'notAllowedByPolicy',
  'notEnabled',
  'phoneNumberNotUnique',
  'notConfigured',
  'unknownFutureValue',
] as const;
export type SmsSignInState = (typeof smsSignInStates)[number];

const id = z.string().min(1).max(128);

/** The SMS policy's and the app list's name for everyone in the organisation (Graph's `all_users`). */
export const ALL_USERS = 'all_users';

export const directoryUserSchema = z.strictObject({
  id,
  displayName: z.string().min(1).max(256),
  userPrincipalName: z.string().min(1).max(256),
  accountEnabled: z.boolean(),
  /** Holds an admin role: never allowed to sign in by SMS. */
  isPrivileged: z.boolean().default(false),
  groupIds: z.array(id).default([]),
  phoneMethods: z
    .array(
      z.strictObject({
        id,
        phoneNumber: z.string().min(1).max(40),
        phoneType: z.enum(['mobile', 'alternateMobile', 'office']),
        smsSignInState: z.enum(smsSignInStates),
      }),
    )
    .default([]),
});
export type DirectoryUser = z.infer<typeof directoryUserSchema>;

export const policyTargetSchema = z.strictObject({
  /** A group id, `all_users`, or a user id (Graph's legacy user targets). */
  id,
  targetType: z.enum(['group', 'user']).default('group'),
  isUsableForSignIn: z.boolean().default(true),
});
export type PolicyTarget = z.infer<typeof policyTargetSchema>;

export const smsMethodPolicySchema = z.strictObject({
  state: z.enum(['enabled', 'disabled']),
  includeTargets: z.array(policyTargetSchema),
  excludeTargets: z.array(policyTargetSchema.omit({ isUsableForSignIn: true })).default([]),
});
export type SmsMethodPolicy = z.infer<typeof smsMethodPolicySchema>;

/** How long a device session may last; policy may set it per group (the strictest wins). */
export const sessionTimeoutsSchema = z.strictObject({
  /** No touch, key or pointer for this long: the warning appears (or a code entry is abandoned). */
  idleTimeoutSeconds: z.number().int().min(15).max(3600).default(300),
  /** The warning's countdown before the worker is signed out. */
  warningSeconds: z.number().int().min(5).max(300).default(60),
  /** Signed out after this long, however busy. */
  maxSessionSeconds: z.number().int().min(300).max(86_400).default(12 * 60 * 60),
});
export type SessionTimeouts = z.infer<typeof sessionTimeoutsSchema>;

/** Pages the kiosk ships itself, for the offline demo: they load with no network at all. */
export const builtInAppPages = ['shift-schedule', 'safety-handbook'] as const;

/** `https://host[:port]`, exactly as `URL.origin` spells it. */
const httpsOrigin = z.string().refine((value) => URL.canParse(value) && new URL(value).protocol === 'https:' && new URL(value).origin === value, 'An origin is https://host (or https://host:port), with no path');
/** Where a built-in page lives, relative to the renderer. */
export const builtInPagePath = (page: string) => `apps/${page}.html`;

/** Scopes an app may ask the kiosk's OpenID Connect provider for; `openid` is always granted. */
export const ssoScopes = ['openid', 'profile', 'phone', 'groups'] as const;
export type SsoScope = (typeof ssoScopes)[number];

/** https; or http to this machine's loopback, for an app a developer runs beside the kiosk. */
const relyingPartyUrl = z
  .url({ protocol: /^https?$/, error: 'An OpenID Connect URL must start with https://' })
  .refine((url) => url.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(url), 'An OpenID Connect URL must start with https:// (http only to 127.0.0.1)');

/**
 * An app that signs its users in through the kiosk (OpenID Connect). `code`: a public
 * client (a single-page app) using authorization code + PKCE. `id_token`: a server-rendered
 * app that takes the ID token by form_post and verifies it against the organisation's JWKS.
 * A built-in demo page needs no redirect URIs: the kiosk knows where it serves them.
 */
export const appSsoSchema = z.strictObject({
  clientId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'A client id: letters, digits and . _ : -'),
  responseType: z.enum(['code', 'id_token']).default('code'),
  redirectUris: z.array(relyingPartyUrl).max(10).default([]),
  postLogoutRedirectUris: z.array(relyingPartyUrl).max(10).default([]),
  /** OIDC Back-Channel Logout 1.0: where the kiosk POSTs a logout token at sign-out. */
  backchannelLogoutUri: relyingPartyUrl.optional(),
  /** Front-channel logout: a page the kiosk loads in the app's own partition before the wipe. */
  frontchannelLogoutUri: relyingPartyUrl.optional(),
  scopes: z.array(z.enum(ssoScopes)).min(1).max(ssoScopes.length).default(['openid', 'profile']),
});
export type AppSso = z.infer<typeof appSsoSchema>;

/** An app the kiosk offers on the home screen to the groups named (or `all_users`). */
export const kioskAppSchema = z
  .strictObject({
    id,
    name: z.string().min(1).max(60),
    /** Opened inside the kiosk; https only, so nothing is fetched in the clear. */
    url: z.url({ protocol: /^https$/, error: 'An app URL must start with https://' }).optional(),
    /** Or one of the pages the kiosk ships (demo mode). */
    page: z.enum(builtInAppPages).optional(),
    /** A small image as a data: URL (png, svg, webp), shown on the tile; none means a lettered tile. */
    icon: z
      .string()
      .max(100_000)
      .regex(/^data:image\/(png|svg\+xml|webp);base64,[A-Za-z0-9+/=]+$/, 'An app icon must be a base64 data: URL of a png, svg or webp image')
      .optional(),
    groupIds: z.array(id).min(1),
    /**
     * The https origins the app's view may navigate to (single sign-on hops between some);
     * default: the app's own origin only. Anything else is blocked.
     */
    allowedOrigins: z.array(httpsOrigin).max(20).optional(),
    /** The client certificate the kiosk presents to an origin that asks, by subject name; none otherwise. */
    clientCertificates: z.array(z.strictObject({ origin: httpsOrigin, subjectName: z.string().min(1).max(256) })).max(20).optional(),
    /** Native print dialogs (window.print) in this app; off by default. */
    allowPrint: z.boolean().optional(),
    /** Native file choosers (<input type=file>) in this app; off by default. */
    allowFileChooser: z.boolean().optional(),
    /** Single sign-on: the app is a relying party of the kiosk's OpenID Connect provider. */
    oidc: appSsoSchema.optional(),
    /**
     * `authenticator`: a sensitive app (Entra's guidance keeps SMS sign-in away from them):
     * it opens only once the worker has given a current authenticator app code this session.
     * Absent: `any` way in will do.
     */
    requires: z.enum(['any', 'authenticator']).optional(),
  })
  .refine((app) => (app.url === undefined) !== (app.page === undefined), 'An app has either a url or a built-in page, not both')
  .refine((app) => !app.oidc || app.page !== undefined || app.oidc.redirectUris.length > 0, {
    message: 'An app with oidc and a url must list its redirectUris',
    path: ['oidc', 'redirectUris'],
  });
export type KioskApp = z.infer<typeof kioskAppSchema>;

/**
 * Ways a worker may prove who they are at the kiosk: a texted code, a call that reads the
 * code out, a shift PIN, an authenticator app. Policy (`signInMethods`) may switch any off.
 */
export const signInMethods = ['sms', 'voice', 'shiftPin', 'authenticator'] as const;
export type SignInMethod = (typeof signInMethods)[number];

/** How much audit history a kiosk keeps unless policy says otherwise. */
export const defaultAuditRetention = { days: 90, maxRows: 200_000 };

export const kioskSettingsSchema = z.strictObject({
  /** ISO 3166-1 alpha-2: the country assumed for numbers typed without `+`. */
  defaultCountry: z.string().regex(/^[A-Z]{2}$/),
  /** How long a texted code stays valid. Policy range 1–10 minutes. */
  codeValiditySeconds: z.number().int().min(60).max(600).default(300),
  organizationName: z.string().min(1).max(120),
  /** The language the screen starts in (BCP 47); the renderer falls back to English if it has none. */
  defaultLanguage: z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'A language tag like en or es').default('en'),
  branding: z
    .strictObject({
      /** Buttons and accents; text on it is black or white, whichever reads better. */
      primaryColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'A colour like #0b5cad').optional(),
      logo: z
        .string()
        .max(200_000)
        .regex(/^data:image\/(png|svg\+xml|webp);base64,[A-Za-z0-9+/=]+$/, 'The logo must be a base64 data: URL of a png, svg or webp image')
        .optional(),
      /** Shown under the keypad's heading, e.g. "Use the mobile number on your staff badge." */
      signInHint: z.string().min(1).max(200).optional(),
    })
    .default({}),
  /**
   * Off (the default), every number reaches the code screen so nobody can probe which
   * numbers are registered. On, an unregistered number is told so: friendlier, less private.
   */
  revealUnregisteredNumbers: z.boolean().default(false),
  /** The sign-in methods this kiosk offers (default: all). Without `sms` no code is texted; without `voice` no call is offered; without `shiftPin` or `authenticator` those ways in are not shown. */
  signInMethods: z
    .array(z.enum(signInMethods))
    .max(signInMethods.length)
    .refine((methods) => new Set(methods).size === methods.length, 'A sign-in method is listed twice')
    .default([...signInMethods]),
  /**
   * "Call me instead" is ready as soon as the code screen shows, instead of after the resend
   * wait: for sites where many workers have office phones, which take only calls.
   */
  offerCallAtOnce: z.boolean().default(false),
  /** Texts (and calls: they share the caps) this kiosk may send in any hour: a ceiling on SMS pumping fraud. */
  maxSmsPerKioskPerHour: z.number().int().min(1).max(10_000).default(60),
  /**
   * Past this many hours without a successful sync, sign-in stops: a revoked worker must
   * not sign in forever because the feed was cut. null: no limit. The demo never ages.
   */
  maxDirectoryAgeHours: z.number().int().min(1).max(24 * 365).nullable().default(72),
  /** The text sent. `{code}` is required; `{organization}` and `{minutes}` are filled in. */
  messageTemplate: z
    .string()
    .max(300)
    .refine((text) => text.includes('{code}'), 'The message template must contain {code}')
    .default("{code} is your {organization} kiosk code. It expires in {minutes} min. Don't share it."),
  /** The text per language (BCP 47 → template, each with `{code}`), chosen by the language on screen at send time. */
  messageTemplates: z
    .record(
      z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'A language tag like en or es'),
      z.string().max(300).refine((text) => text.includes('{code}'), 'Each message template must contain {code}'),
    )
    .default({}),
  /**
   * The walk-away reset: a screen other than a clean keypad (something typed, a code entry,
   * the admin PIN or screen) goes back to one after `typedSeconds` idle, a notice after
   * `noticeSeconds`, so nothing of one person reaches the next.
   */
  walkAway: z
    .strictObject({
      typedSeconds: z.number().int().min(5).max(600).default(60),
      noticeSeconds: z.number().int().min(5).max(600).default(15),
    })
    .default({ typedSeconds: 60, noticeSeconds: 15 }),
  session: sessionTimeoutsSchema.default(sessionTimeoutsSchema.parse({})),
  /** Per group: stricter (or looser) timeouts; a worker in several groups gets the strictest. */
  sessionByGroup: z.record(id, sessionTimeoutsSchema.partial()).default({}),
  /** During the warning, any touch counts as "I'm still here" (default: only the button does). */
  anyTouchDismissesWarning: z.boolean().default(false),
  apps: z
    .array(kioskAppSchema)
    .max(100)
    .default([])
    .refine((apps) => {
      const ids = apps.flatMap((app) => (app.oidc ? [app.oidc.clientId] : []));
      return new Set(ids).size === ids.length;
    }, 'Two apps have the same oidc clientId'),
  /** A shift PIN works this long after it is set, on this kiosk only (a shift: 12 h; at most a day). */
  shiftPinHours: z.number().int().min(1).max(24).default(12),
  auditRetentionDays: z.number().int().min(1).max(3650).default(defaultAuditRetention.days),
  auditMaxRows: z.number().int().min(1000).max(10_000_000).default(defaultAuditRetention.maxRows),
});
export type KioskSettings = z.infer<typeof kioskSettingsSchema>;

export const directorySnapshotSchema = z.strictObject({
  groups: z.array(z.strictObject({ id, displayName: z.string().min(1).max(256) })),
  users: z.array(directoryUserSchema),
  smsMethodPolicy: smsMethodPolicySchema,
  kioskSettings: kioskSettingsSchema,
});
export type DirectorySnapshot = z.infer<typeof directorySnapshotSchema>;
export type DirectorySnapshotInput = z.input<typeof directorySnapshotSchema>;
