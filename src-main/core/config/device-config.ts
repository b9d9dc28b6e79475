import { z } from 'zod';
import { parseEndpointUrl } from '../sms/http-delivery';
import { auditUploadOptionsSchema } from '../sync/audit-upload';
import { graphSourceOptionsSchema } from '../sync/graph/graph-source';
import { signedFeedOptionsSchema } from '../sync/feed/signed-feed-source';

/**
 * The one file IT writes per kiosk (or per fleet). Secrets are never in it: wherever a
 * secret is needed the file names a keychain entry, filled with `--set-secret <name>`.
 */

const keychainEntry = z
  .string()
  .min(1, 'must name a keychain entry')
  .max(200)
  .regex(/^[A-Za-z0-9._-]+$/, 'must name a keychain entry: letters, digits, dot, dash and underscore');

/** The rule for every configurable endpoint: https, or plain http only to this machine (an on-box gateway, the tests). */
function endpointUrl(field: string) {
  return z
    .string()
    .min(1)
    .max(2048)
    .superRefine((value, context) => {
      try {
        parseEndpointUrl(field, value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message.replace(`${field} `, '') });
      }
    });
}

const e164 = z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'must be a number in E.164: + and digits, like +12065550199');

const twilioFields = {
  provider: z.literal('twilio'),
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be the Twilio account SID: AC followed by 32 hex digits'),
  /** The keychain entry of the account's auth token; or else an API key (recommended by Twilio). */
  authTokenSecret: keychainEntry.optional(),
  /** An API key's SID, SK followed by 32 hex digits; its secret is in the keychain entry `apiKeySecret`. */
  apiKeySid: z.string().regex(/^SK[0-9a-fA-F]{32}$/, 'must be a Twilio API key SID: SK followed by 32 hex digits').optional(),
  apiKeySecret: keychainEntry.optional(),
  /** The sender: a number in E.164 or an alphanumeric sender ID. Or `messagingServiceSid`. */
  from: z.string().min(1).max(32).optional(),
  messagingServiceSid: z.string().regex(/^MG[0-9a-fA-F]{32}$/, 'must be a Messaging Service SID: MG followed by 32 hex digits').optional(),
  /** The Twilio voice number calls come from ("Call me instead"); default `from` when it is a number. */
  callFrom: e164.optional(),
  baseUrl: endpointUrl('baseUrl').optional(),
  timeoutMs: z.number().int().min(100).max(120_000).optional(),
};

type TwilioFields = z.output<z.ZodObject<typeof twilioFields>>;

function checkTwilio(twilio: TwilioFields, context: z.RefinementCtx): void {
  const problem = (message: string, field: string) => context.addIssue({ code: 'custom', message, path: [field] });
  if ((twilio.from === undefined) === (twilio.messagingServiceSid === undefined)) problem('give exactly one of "from" (a sender number) or "messagingServiceSid"', 'from');
  if ((twilio.authTokenSecret === undefined) === (twilio.apiKeySid === undefined && twilio.apiKeySecret === undefined)) {
    problem('give either "authTokenSecret" or an API key ("apiKeySid" and "apiKeySecret"), not both', 'authTokenSecret');
  }
  if ((twilio.apiKeySid === undefined) !== (twilio.apiKeySecret === undefined)) {
    problem('an API key needs both "apiKeySid" and "apiKeySecret" (the keychain entry of its secret)', 'apiKeySecret');
  }
}

const webhookFields = {
  provider: z.literal('webhook'),
  /** Your SMS gateway: https://… */
  url: endpointUrl('url'),
  signingSecret: keychainEntry,
  bearerTokenSecret: keychainEntry.optional(),
  timeoutMs: z.number().int().min(100).max(120_000).optional(),
};

/** One provider: Twilio, or the organisation's own gateway. */
const providerSchema = z.discriminatedUnion('provider', [z.strictObject(twilioFields).superRefine(checkTwilio), z.strictObject(webhookFields)]);
export type SmsProviderConfig = z.output<typeof providerSchema>;

/**
 * The provider, and optionally a second one: when the first refuses in a way that proves it
 * sent nothing, the same code goes through `fallback` (`core/sms/fallback-sender.ts`).
 */
const fallback = providerSchema.optional();
const smsSchema = z.discriminatedUnion('provider', [
  z.strictObject({ ...twilioFields, fallback }).superRefine(checkTwilio),
  z.strictObject({ ...webhookFields, fallback }),
]);

export const deviceConfigSchema = z.strictObject({
  /** Editors use it to check the file; the kiosk ignores it. */
  $schema: z.string().optional(),
  /** Shown on the admin screen and sent with the audit log. */
  deviceName: z.string().min(1).max(64),
  site: z.string().min(1).max(120).optional(),
  directory: z.discriminatedUnion('source', [
    z.strictObject({ source: z.literal('feed'), feed: signedFeedOptionsSchema }),
    z.strictObject({ source: z.literal('graph'), graph: graphSourceOptionsSchema }),
  ]),
  sms: smsSchema,
  syncIntervalMinutes: z.number().int().min(1).max(1440).default(15),
  /** Where audit events are uploaded (at least once, nothing lost offline); none keeps them on the kiosk. */
  auditUpload: auditUploadOptionsSchema.optional(),
  /** The keychain entry holding the admin PIN's hash (`--set-admin-pin` fills it). */
  adminPinSecret: keychainEntry.default('admin-pin-hash'),
  logLevel: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  /** Single sign-on for the apps on the home screen (docs/single-sign-on.md). */
  sso: z
    .strictObject({
      /**
       * The issuer the apps trust: an https URL the organisation owns, where it hosts the
       * discovery document and JWKS (`feed-tool sso-publish`). Inside the kiosk, requests to
       * it are answered by the kiosk itself.
       */
      issuer: z
        .url({ protocol: /^https$/, error: 'must be an https URL the organisation owns, e.g. https://kiosk-sso.contoso.example' })
        .refine((url) => !/[?#]/.test(url), 'must have no query or fragment'),
    })
    .optional(),
});

export type DeviceConfig = z.output<typeof deviceConfigSchema>;
export type DeviceConfigInput = z.input<typeof deviceConfigSchema>;
export type LogLevel = DeviceConfig['logLevel'];

/** The JSON Schema published for editors and IT tooling (docs/config.schema.json). */
export function deviceConfigJsonSchema(): object {
  return z.toJSONSchema(deviceConfigSchema, { io: 'input', unrepresentable: 'any' });
}

/** Every keychain entry a configuration relies on, with what it is for. */
export function keychainEntriesOf(config: DeviceConfig): Array<{ name: string; purpose: string; optional?: boolean }> {
  const entries: Array<{ name: string; purpose: string; optional?: boolean }> = [];
  const { directory, sms } = config;
  if (directory.source === 'feed' && directory.feed.bearerTokenSecret) entries.push({ name: directory.feed.bearerTokenSecret, purpose: 'the feed server token' });
  if (directory.source === 'graph') {
    if (directory.graph.clientSecret) entries.push({ name: directory.graph.clientSecret, purpose: 'the Microsoft Graph client secret' });
    if (directory.graph.certificate) entries.push({ name: directory.graph.certificate.privateKeySecret, purpose: 'the Microsoft Graph certificate key' });
  }
  entries.push(...providerEntries(sms, ''));
  if (sms.fallback) entries.push(...providerEntries(sms.fallback, ' (fallback provider)'));
  if (config.auditUpload?.bearerTokenSecret) entries.push({ name: config.auditUpload.bearerTokenSecret, purpose: 'the audit upload token' });
  entries.push({ name: config.adminPinSecret, purpose: 'the admin PIN (set with --set-admin-pin)' });
  return entries;
}

function providerEntries(sms: SmsProviderConfig, role: string): Array<{ name: string; purpose: string }> {
  if (sms.provider === 'twilio') {
    return [
      ...(sms.authTokenSecret ? [{ name: sms.authTokenSecret, purpose: `the Twilio auth token${role}` }] : []),
      ...(sms.apiKeySecret ? [{ name: sms.apiKeySecret, purpose: `the Twilio API key secret${role}` }] : []),
    ];
  }
  return [
    { name: sms.signingSecret, purpose: `the SMS webhook signing secret${role}` },
    ...(sms.bearerTokenSecret ? [{ name: sms.bearerTokenSecret, purpose: `the SMS webhook token${role}` }] : []),
  ];
}
