import type { SecretStore } from '../secrets/secret-store';
import { SmsSendError } from './sms-sender';

/** What both HTTP senders share: where they may post, how they read a secret, how they deliver. */

export const DEFAULT_TIMEOUT_MS = 10_000;

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Checks a configured endpoint: HTTPS, or plain HTTP to this machine only (the tests and a
 * gateway on the kiosk itself), because every request carries a credential or a code.
 */
export function parseEndpointUrl(field: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${field} is not a valid URL.`);
  }
  if (url.username || url.password) {
    throw new Error(`${field} must not hold a user name or password; keep credentials in the keychain.`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && loopbackHosts.has(url.hostname)) return url;
  if (url.protocol === 'http:') {
    throw new Error(`${field} must use https: (plain http: is allowed only for 127.0.0.1 or localhost), got host "${url.hostname}".`);
  }
  throw new Error(`${field} must use https:, got "${url.protocol}".`);
}

export function checkTimeoutMs(field: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${field} must be a whole number of milliseconds above 0, got ${value}.`);
  return value;
}

/** Reads a provider secret at send time, so a rotated token is used at once. */
export async function readProviderSecret(secrets: SecretStore, name: string, purpose: string): Promise<string> {
  let value: string | null;
  try {
    value = await secrets.get(name);
  } catch {
    throw new SmsSendError('keychain-unavailable', `The keychain could not be read for entry "${name}" (${purpose}).`, true);
  }
  if (!value) {
    throw new SmsSendError('missing-secret', `The keychain has no entry "${name}" (${purpose}). Add it, then try again.`, true);
  }
  return value;
}

export interface HttpDelivery {
  /** Who answers, as the start of a sentence in an error message: `Twilio`, `The SMS gateway`. */
  recipient: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  fetch: typeof fetch;
  /**
   * A provider's own reason for a 4xx or 5xx it explains in its documented error body
   * (Twilio's error JSON); such an answer proves nothing was sent.
   */
  explainRefusal?: (status: number, responseText: string) => SmsSendError | null;
  /**
   * The gateway's contract says any 4xx or 5xx answer means it sent nothing (the webhook's,
   * README, SMS providers); without it an unexplained error status proves nothing.
   */
  errorStatusMeansNotSent?: boolean;
}

type Attempt = { kind: 'answered'; status: number; text: string } | { kind: 'network'; code: string | null } | { kind: 'timeout' };

/**
 * POSTs once, and once more — byte for byte the same request, so the same code — after a
 * network error or a 5xx. The person is standing at the kiosk, so the retry is immediate:
 * it is there for a dropped keep-alive connection or a brief provider hiccup, not an outage.
 * A duplicate text carrying the same code does no harm.
 *
 * A timeout is never retried: the provider may already have accepted the text, and a second
 * attempt would keep the person waiting another full timeout for a text that may be on its way.
 *
 * Rejects with an `SmsSendError`; messages never hold the request or response body (the
 * code, the full number, and in Twilio's error text the number again) nor any secret.
 */
export async function deliver(delivery: HttpDelivery): Promise<void> {
  const first = await attempt(delivery);
  const retried = isWorthRetrying(first);
  const final = retried ? await attempt(delivery) : first;
  if (final.kind === 'answered' && final.status >= 200 && final.status < 300) return;
  const failure = describeFailure(delivery, final, retried ? ' (2 attempts)' : '');
  // After a retry, nothing was sent only if neither attempt could have sent it.
  if (!retried || describeFailure(delivery, first, '').nothingSent) throw failure;
  throw new SmsSendError(failure.reason, failure.message, false);
}

function describeFailure(delivery: HttpDelivery, outcome: Attempt, tries: string): SmsSendError {
  switch (outcome.kind) {
    case 'timeout':
      return new SmsSendError('timeout', `${delivery.recipient} did not answer within ${delivery.timeoutMs} ms${tries}.`);
    case 'network':
      return new SmsSendError(
        'network',
        `${delivery.recipient} could not be reached${outcome.code ? ` (${outcome.code})` : ''}${tries}.`,
        outcome.code !== null && NEVER_CONNECTED.has(outcome.code),
      );
    case 'answered': {
      const explained = outcome.status >= 400 ? delivery.explainRefusal?.(outcome.status, outcome.text) : null;
      // Only a 4xx: a 5xx (or a proxy's 502/504 in front of the gateway) may come after it acted.
      const notSent = outcome.status >= 400 && outcome.status < 500 && delivery.errorStatusMeansNotSent === true;
      return explained ?? new SmsSendError(`http-${outcome.status}`, `${delivery.recipient} answered HTTP ${outcome.status}${tries}.`, notSent);
    }
  }
}

/**
 * Errors that mean no connection was ever made, so no request reached the provider: refused,
 * no such host, no route. A reset (`ECONNRESET`, `EPIPE`) may come after the request was read.
 */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function isWorthRetrying(outcome: Attempt): boolean {
  return outcome.kind === 'network' || (outcome.kind === 'answered' && outcome.status >= 500);
}

async function attempt(delivery: HttpDelivery): Promise<Attempt> {
  try {
    const response = await delivery.fetch(delivery.url, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
      // A request carrying credentials and a code is never forwarded to another address.
      redirect: 'manual',
      signal: AbortSignal.timeout(delivery.timeoutMs),
    });
    if (response.ok) {
      // Accepted: the body is not needed, and waiting for it could turn a success into a timeout.
      await response.body?.cancel().catch(() => undefined);
      return { kind: 'answered', status: response.status, text: '' };
    }
    return { kind: 'answered', status: response.status, text: await response.text() };
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return { kind: 'timeout' };
    return { kind: 'network', code: systemErrorCode(error) };
  }
}

/** `ECONNREFUSED`, `ENOTFOUND`…: safe to show, unlike the cause's message, which names the address. */
function systemErrorCode(error: unknown): string | null {
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  const code: unknown = cause && typeof cause === 'object' && 'code' in cause ? cause.code : undefined;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : null;
}
