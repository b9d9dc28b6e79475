import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../base/clock';
import { randomId, type RandomSource } from '../base/random';
import type { SecretStore } from '../secrets/secret-store';
import { checkTimeoutMs, DEFAULT_TIMEOUT_MS, deliver, parseEndpointUrl, readProviderSecret } from './http-delivery';
import type { Channel, SmsMessage, SmsSender, VoiceMessage } from './sms-sender';

export interface WebhookSenderOptions {
  /** The organisation's SMS gateway: https:, or http: to 127.0.0.1 / localhost only. */
  url: string;
  /** Name of the keychain entry holding the HMAC signing secret. */
  signingSecret: string;
  /** Name of the keychain entry holding a bearer token; no `Authorization` header without one. */
  bearerTokenSecret?: string;
  /** Per attempt. Default 10 000. */
  timeoutMs?: number;
}

export interface WebhookSenderDeps {
  secrets: SecretStore;
  clock: Clock;
  random: RandomSource;
  fetch?: typeof fetch;
}

/** What the gateway receives, as JSON. */
export interface WebhookSmsPayload {
  to: string;
  /** `sms`: text `body` to `to`. `voice`: call `to` and say `body` in `language`. */
  channel: Channel;
  body: string;
  /** BCP 47, voice only: the language `body` is written in. */
  language?: string;
  /** Random, 32 hex characters; the same on a retry, so the gateway can drop a duplicate. */
  messageId: string;
  /** ISO 8601. */
  sentAt: string;
}

export const TIMESTAMP_HEADER = 'X-Kiosk-Timestamp';
export const SIGNATURE_HEADER = 'X-Kiosk-Signature';

/**
 * Texts (and calls) through the organisation's own SMS gateway: a signed JSON POST. The
 * signature covers the timestamp as well as the body, so a captured request cannot be
 * replayed later. By the gateway's contract (README, SMS providers) a 4xx or 5xx answer
 * means it sent nothing, which lets a fallback provider try.
 */
export class WebhookSender implements SmsSender {
  readonly provider = 'webhook';
  private readonly url: string;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;

  constructor(
    private readonly options: WebhookSenderOptions,
    private readonly deps: WebhookSenderDeps,
  ) {
    this.url = parseEndpointUrl('url', options.url).href;
    if (!options.signingSecret) throw new Error('signingSecret must name the keychain entry that holds the webhook signing secret.');
    if (options.bearerTokenSecret === '') throw new Error('bearerTokenSecret, when set, must name a keychain entry.');
    this.timeoutMs = checkTimeoutMs('timeoutMs', options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.fetch = deps.fetch ?? fetch;
  }

  send(message: SmsMessage): Promise<void> {
    return this.post({ to: message.to, channel: 'sms', body: message.body });
  }

  call(message: VoiceMessage): Promise<void> {
    return this.post({ to: message.to, channel: 'voice', body: message.words, language: message.language });
  }

  private async post(what: Pick<WebhookSmsPayload, 'to' | 'channel' | 'body' | 'language'>): Promise<void> {
    const { secrets, clock, random } = this.deps;
    const signingSecret = await readProviderSecret(secrets, this.options.signingSecret, 'the webhook signing secret');
    const bearerToken = this.options.bearerTokenSecret
      ? await readProviderSecret(secrets, this.options.bearerTokenSecret, 'the webhook bearer token')
      : null;

    const now = clock.now();
    const payload: WebhookSmsPayload = { ...what, messageId: randomId(random), sentAt: new Date(now).toISOString() };
    const rawBody = JSON.stringify(payload);
    const timestamp = String(Math.floor(now / 1000));
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: signWebhook(signingSecret, timestamp, rawBody),
    };
    if (bearerToken) headers.Authorization = `Bearer ${bearerToken}`;

    await deliver({ recipient: 'The SMS gateway', url: this.url, headers, body: rawBody, timeoutMs: this.timeoutMs, fetch: this.fetch, errorStatusMeansNotSent: true });
  }
}

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`. */
export function signWebhook(secret: string, timestamp: string, rawBody: string | Buffer): string {
  return `sha256=${webhookMac(secret, timestamp, rawBody).toString('hex')}`;
}

/**
 * What a gateway checks, in constant time: does `header` sign exactly this timestamp and
 * raw body (the bytes received, before any JSON parsing)? Takes the two headers as received;
 * a missing one fails. The gateway should also refuse a
 * timestamp more than a few minutes from its own clock, and a `messageId` it has already
 * seen, or a captured request could be replayed within that window.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | undefined,
  rawBody: string | Buffer,
  header: string | undefined,
): boolean {
  if (typeof timestamp !== 'string' || !/^\d{1,15}$/.test(timestamp) || typeof header !== 'string') return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match?.[1]) return false;
  return timingSafeEqual(Buffer.from(match[1], 'hex'), webhookMac(secret, timestamp, rawBody));
}

function webhookMac(secret: string, timestamp: string, rawBody: string | Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}
