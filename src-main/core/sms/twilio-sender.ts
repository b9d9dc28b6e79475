import type { SecretStore } from '../secrets/secret-store';
import { checkTimeoutMs, DEFAULT_TIMEOUT_MS, deliver, parseEndpointUrl, readProviderSecret } from './http-delivery';
import { SmsSendError, type SmsMessage, type SmsSender, type VoiceMessage } from './sms-sender';

export interface TwilioSenderOptions {
  accountSid: string;
  /** Name of the keychain entry holding the account's auth token; or else an API key. */
  authTokenSecret?: string;
  /** An API key's SID (`SK…`), which Twilio recommends over the auth token: revocable on its own. */
  apiKeySid?: string;
  /** Name of the keychain entry holding the API key's secret. */
  apiKeySecret?: string;
  /** Sender number or alphanumeric sender ID; or else `messagingServiceSid`. */
  from?: string;
  messagingServiceSid?: string;
  /**
   * The number calls come from ("Call me instead"): a Twilio voice number in E.164. Default
   * `from` when that is a number; with neither (an alphanumeric sender ID or a messaging
   * service alone) the kiosk offers no calls.
   */
  callFrom?: string;
  /** Default `https://api.twilio.com`. */
  baseUrl?: string;
  /** Per attempt. Default 10 000. */
  timeoutMs?: number;
}

export interface TwilioSenderDeps {
  secrets: SecretStore;
  fetch?: typeof fetch;
  /** The kiosk's version, named in User-Agent: `FrontlineKiosk/<version>`. */
  version?: string;
}

const accountSidPattern = /^AC[0-9a-fA-F]{32}$/;
const messagingServiceSidPattern = /^MG[0-9a-fA-F]{32}$/;
const apiKeySidPattern = /^SK[0-9a-fA-F]{32}$/;
const e164Pattern = /^\+[1-9][0-9]{6,14}$/;

/**
 * Texts through Twilio's Messages API:
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded, basic auth with the
 * account SID and auth token, or with an API key's SID and secret (the account SID stays in
 * the path). Calls through the Calls API, `POST /2010-04-01/Accounts/{AccountSid}/Calls.json`
 * with `To`, `From` and inline `Twiml` (a `<Say>`), so Twilio needs no URL of ours to fetch.
 */
export class TwilioSender implements SmsSender {
  readonly provider = 'twilio';
  private readonly messagesUrl: string;
  private readonly callsUrl: string;
  /** Only where a voice number is configured. */
  readonly call?: (message: VoiceMessage) => Promise<void>;
  private readonly sender: ['From' | 'MessagingServiceSid', string];
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;
  private readonly credential: { user: string; secret: string; purpose: string };

  constructor(
    private readonly options: TwilioSenderOptions,
    private readonly deps: TwilioSenderDeps,
  ) {
    if (!accountSidPattern.test(options.accountSid)) {
      throw new Error(`accountSid must be "AC" followed by 32 hexadecimal characters, got "${options.accountSid}".`);
    }
    if ((options.authTokenSecret === undefined) === (options.apiKeySid === undefined && options.apiKeySecret === undefined)) {
      throw new Error('Set either authTokenSecret or apiKeySid and apiKeySecret (an API key) for Twilio, not both.');
    }
    if (options.authTokenSecret !== undefined) {
      if (!options.authTokenSecret) throw new Error('authTokenSecret must name the keychain entry that holds the Twilio auth token.');
      this.credential = { user: options.accountSid, secret: options.authTokenSecret, purpose: 'the Twilio auth token' };
    } else {
      if (!options.apiKeySid || !apiKeySidPattern.test(options.apiKeySid)) {
        throw new Error(`apiKeySid must be "SK" followed by 32 hexadecimal characters, got "${options.apiKeySid ?? ''}".`);
      }
      if (!options.apiKeySecret) throw new Error('apiKeySecret must name the keychain entry that holds the Twilio API key secret.');
      this.credential = { user: options.apiKeySid, secret: options.apiKeySecret, purpose: 'the Twilio API key secret' };
    }
    if (options.from !== undefined && options.messagingServiceSid !== undefined) {
      throw new Error('Set either from or messagingServiceSid, not both.');
    }
    if (options.messagingServiceSid !== undefined) {
      if (!messagingServiceSidPattern.test(options.messagingServiceSid)) {
        throw new Error(`messagingServiceSid must be "MG" followed by 32 hexadecimal characters, got "${options.messagingServiceSid}".`);
      }
      this.sender = ['MessagingServiceSid', options.messagingServiceSid];
    } else if (options.from) {
      this.sender = ['From', options.from];
    } else {
      throw new Error('Set from (the sender number) or messagingServiceSid.');
    }
    const base = parseEndpointUrl('baseUrl', options.baseUrl ?? 'https://api.twilio.com');
    const account = `${base.origin}${base.pathname.replace(/\/+$/, '')}/2010-04-01/Accounts/${options.accountSid}`;
    this.messagesUrl = `${account}/Messages.json`;
    this.callsUrl = `${account}/Calls.json`;
    if (options.callFrom !== undefined && !e164Pattern.test(options.callFrom)) {
      throw new Error(`callFrom must be a Twilio voice number in E.164 (+ and digits), got "${options.callFrom}".`);
    }
    const callFrom = options.callFrom ?? (options.from !== undefined && e164Pattern.test(options.from) ? options.from : undefined);
    if (callFrom !== undefined) this.call = (message) => this.placeCall(callFrom, message);
    this.timeoutMs = checkTimeoutMs('timeoutMs', options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.fetch = deps.fetch ?? fetch;
  }

  async send(message: SmsMessage): Promise<void> {
    await this.post(this.messagesUrl, new URLSearchParams({ To: message.to, [this.sender[0]]: this.sender[1], Body: message.body }));
  }

  private async placeCall(from: string, message: VoiceMessage): Promise<void> {
    await this.post(this.callsUrl, new URLSearchParams({ To: message.to, From: from, Twiml: sayTwiml(message) }));
  }

  private async post(url: string, form: URLSearchParams): Promise<void> {
    const { user, secret, purpose } = this.credential;
    const password = await readProviderSecret(this.deps.secrets, secret, purpose);
    await deliver({
      recipient: 'Twilio',
      url,
      headers: {
        Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
        'User-Agent': `FrontlineKiosk/${this.deps.version ?? 'unknown'}`,
      },
      body: form.toString(),
      timeoutMs: this.timeoutMs,
      fetch: this.fetch,
      explainRefusal: twilioRefusal,
    });
  }
}

/**
 * `<Say>`'s language and an Amazon Polly voice Twilio offers for it, per language the kiosk
 * speaks; a regional tag Twilio knows (`es-MX`) is kept, a bare one gets its usual region.
 */
const sayVoices: Record<string, { language: string; voice: string }> = {
  en: { language: 'en-US', voice: 'Polly.Joanna' },
  'en-US': { language: 'en-US', voice: 'Polly.Joanna' },
  'en-GB': { language: 'en-GB', voice: 'Polly.Amy' },
  es: { language: 'es-ES', voice: 'Polly.Lucia' },
  'es-ES': { language: 'es-ES', voice: 'Polly.Lucia' },
  'es-MX': { language: 'es-MX', voice: 'Polly.Mia' },
  'es-US': { language: 'es-US', voice: 'Polly.Lupe' },
};

/** The call's TwiML: one `<Say>` of the words (which already hold the code twice). */
export function sayTwiml(message: VoiceMessage): string {
  const own = (tag: string) => (Object.hasOwn(sayVoices, tag) ? sayVoices[tag] : undefined);
  const say = own(message.language) ?? own(message.language.split('-')[0]!) ?? sayVoices.en!;
  return `<Response><Say language="${say.language}" voice="${say.voice}">${escapeXml(message.words)}</Say></Response>`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/**
 * Twilio's error JSON `{ code, message, more_info, status }`. Only the code is kept: the
 * message often quotes the `To` number in full.
 */
function twilioRefusal(status: number, responseText: string): SmsSendError | null {
  let code: unknown;
  try {
    code = (JSON.parse(responseText) as { code?: unknown }).code;
  } catch {
    return null;
  }
  if (!Number.isInteger(code)) return null;
  // A 4xx in this shape refuses the request itself (auth, a bad number, a blocked region):
  // nothing was sent. A 5xx, even in this shape, is a failure on Twilio's side that may come
  // after the message was queued, so it proves nothing: no fallback, no double text.
  return new SmsSendError(
    `twilio-${code as number}`,
    `Twilio refused the request with HTTP ${status}, error ${code as number} (https://www.twilio.com/docs/errors/${code as number}).`,
    status < 500,
  );
}
