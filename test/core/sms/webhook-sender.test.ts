import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../src-main/core/secrets/memory-secret-store';
import { SmsSendError } from '../../../src-main/core/sms/sms-sender';
import {
  signWebhook,
  verifyWebhookSignature,
  WebhookSender,
  type WebhookSenderOptions,
  type WebhookSmsPayload,
} from '../../../src-main/core/sms/webhook-sender';
import { FakeClock, seededRandom } from '../../fakes';
import { answerJson, closedPortOrigin, startLoopbackServer, type LoopbackServer } from './loopback-server';

const SIGNING_ENTRY = 'sms-webhook-signing-secret';
const SIGNING_SECRET = 'whsec-4b1d2c3e5f60718293a4';
const BEARER_ENTRY = 'sms-webhook-bearer';
const BEARER = 'gateway-token-0a9b8c7d';
const TO = '+46701234567';
const CODE = '730518';
const TEXT = { to: TO, body: `${CODE} is your Contoso kiosk code. It expires in 5 min. Don't share it.` };

type Answer = number | 'hang';

let secrets: MemorySecretStore;
let clock: FakeClock;
let server: LoopbackServer | undefined;
beforeEach(async () => {
  secrets = new MemorySecretStore();
  await secrets.set(SIGNING_ENTRY, SIGNING_SECRET);
  await secrets.set(BEARER_ENTRY, BEARER);
  clock = new FakeClock();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/**
 * An organisation's gateway on loopback, written as its IT team would from the README:
 * check the bearer token if one is expected, verify the signature over the raw body, then
 * play `answers` in order (the last one repeats).
 */
async function fakeGateway(options: { expectBearer: boolean }, ...answers: Answer[]): Promise<LoopbackServer> {
  let served = 0;
  server = await startLoopbackServer((request, response) => {
    if (options.expectBearer && request.headers.authorization !== `Bearer ${BEARER}`) {
      answerJson(response, 401, { error: 'bad bearer token' });
      return;
    }
    const timestamp = request.headers['x-kiosk-timestamp'];
    const signature = request.headers['x-kiosk-signature'];
    if (!verifyWebhookSignature(SIGNING_SECRET, Array.isArray(timestamp) ? undefined : timestamp, request.body, Array.isArray(signature) ? undefined : signature)) {
      answerJson(response, 401, { error: 'bad signature' });
      return;
    }
    const answer = answers[Math.min(served++, answers.length - 1)] ?? 202;
    if (answer === 'hang') return;
    answerJson(response, answer, answer < 300 ? { accepted: true } : { error: 'gateway trouble' });
  });
  return server;
}

function webhookSender(url: string, options: Partial<WebhookSenderOptions> = {}, fetchImpl?: typeof fetch): WebhookSender {
  return new WebhookSender(
    { url, signingSecret: SIGNING_ENTRY, bearerTokenSecret: BEARER_ENTRY, ...options },
    { secrets, clock, random: seededRandom(), ...(fetchImpl ? { fetch: fetchImpl } : {}) },
  );
}

async function failureOf(sending: Promise<void>): Promise<SmsSendError> {
  const error: unknown = await sending.then(
    () => null,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(SmsSendError);
  return error as SmsSendError;
}

function expectAuditSafe(error: SmsSendError): void {
  for (const secret of [CODE, TEXT.body, TO, TO.slice(1), SIGNING_SECRET, BEARER]) expect(error.message).not.toContain(secret);
}

describe('sending a text through the organisation’s webhook', () => {
  it('posts the number, the text, a message id and the send time as signed JSON', async () => {
    const gateway = await fakeGateway({ expectBearer: true }, 202);
    await webhookSender(`${gateway.origin}/sms`).send(TEXT);

    expect(gateway.requests).toHaveLength(1);
    const [request] = gateway.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/sms');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['x-kiosk-timestamp']).toBe(String(clock.now() / 1000));
    expect(request?.headers.authorization).toBe(`Bearer ${BEARER}`);
    const payload = JSON.parse(request?.body ?? '') as WebhookSmsPayload;
    expect(payload).toEqual({ to: TO, channel: 'sms', body: TEXT.body, messageId: expect.stringMatching(/^[0-9a-f]{32}$/), sentAt: new Date(clock.now()).toISOString() });
  });

  it('asks the gateway to call and say the words, with channel voice and their language, signed the same way', async () => {
    const gateway = await fakeGateway({ expectBearer: true }, 202);
    const words = `Le llama Contoso. Su código del quiosco es: ${[...CODE].join(', ')}. Otra vez: ${[...CODE].join(', ')}.`;
    await webhookSender(`${gateway.origin}/sms`).call({ to: TO, words, language: 'es' });

    const payload = JSON.parse(gateway.requests[0]?.body ?? '') as WebhookSmsPayload;
    expect(payload).toEqual({ to: TO, channel: 'voice', body: words, language: 'es', messageId: expect.stringMatching(/^[0-9a-f]{32}$/), sentAt: new Date(clock.now()).toISOString() });
  });

  it('takes a 4xx as the gateway’s word that it sent nothing (its contract), but not a 5xx, which a proxy may give after it acted', async () => {
    const refused = await fakeGateway({ expectBearer: true }, 422);
    await expect(webhookSender(refused.origin).send(TEXT)).rejects.toMatchObject({ reason: 'http-422', nothingSent: true });
    const refusing = await fakeGateway({ expectBearer: true }, 503);
    await expect(webhookSender(refusing.origin).send(TEXT)).rejects.toMatchObject({ reason: 'http-503', nothingSent: false });
  });

  it('sends no Authorization header when no bearer token is configured', async () => {
    const gateway = await fakeGateway({ expectBearer: false }, 200);
    await secrets.delete(BEARER_ENTRY);
    await webhookSender(gateway.origin, { bearerTokenSecret: undefined }).send(TEXT);

    expect(gateway.requests[0]?.headers).not.toHaveProperty('authorization');
  });

  it('is refused by a gateway that verifies the signature when the body was tampered with on the way', async () => {
    const gateway = await fakeGateway({ expectBearer: true }, 202);
    const tampering: typeof fetch = (input, init) => fetch(input, { ...init, body: String(init?.body).replace(TO, '+46709999999') });
    const error = await failureOf(webhookSender(gateway.origin, {}, tampering).send(TEXT));

    expect(error.reason).toBe('http-401');
    expectAuditSafe(error);
    expect(gateway.requests).toHaveLength(1);
  });

  it('fails with missing-secret and sends nothing when the signing secret is absent', async () => {
    const gateway = await fakeGateway({ expectBearer: true }, 202);
    await secrets.delete(SIGNING_ENTRY);
    const error = await failureOf(webhookSender(gateway.origin).send(TEXT));

    expect(error.reason).toBe('missing-secret');
    expect(error.message).toContain(`The keychain has no entry "${SIGNING_ENTRY}"`);
    expect(gateway.requests).toHaveLength(0);
  });

  it('fails with missing-secret and sends nothing when a configured bearer token is absent', async () => {
    const gateway = await fakeGateway({ expectBearer: true }, 202);
    await secrets.delete(BEARER_ENTRY);
    await expect(webhookSender(gateway.origin).send(TEXT)).rejects.toMatchObject({ reason: 'missing-secret' });
    expect(gateway.requests).toHaveLength(0);
  });

  it('retries a 5xx once with the same code, message id and signature', async () => {
    const gateway = await fakeGateway({ expectBearer: true }, 503, 200);
    await webhookSender(gateway.origin).send(TEXT);

    expect(gateway.requests).toHaveLength(2);
    const [first, second] = gateway.requests;
    expect(second?.body).toBe(first?.body);
    expect(second?.headers['x-kiosk-signature']).toBe(first?.headers['x-kiosk-signature']);
    expect((JSON.parse(second?.body ?? '') as WebhookSmsPayload).body).toContain(CODE);
  });

  it('gives up with http-500 after two 5xx answers', async () => {
    const gateway = await fakeGateway({ expectBearer: true }, 500);
    const error = await failureOf(webhookSender(gateway.origin).send(TEXT));

    expect(error.reason).toBe('http-500');
    expectAuditSafe(error);
    expect(gateway.requests).toHaveLength(2);
  });

  it('does not retry a 4xx', async () => {
    const gateway = await fakeGateway({ expectBearer: true }, 422);
    await expect(webhookSender(gateway.origin).send(TEXT)).rejects.toMatchObject({ reason: 'http-422' });
    expect(gateway.requests).toHaveLength(1);
  });

  it('does not follow a redirect with the signed request', async () => {
    server = await startLoopbackServer((_request, response) => response.writeHead(307, { Location: 'http://127.0.0.1:9/elsewhere' }).end());
    await expect(webhookSender(server.origin).send(TEXT)).rejects.toMatchObject({ reason: 'http-307' });
    expect(server.requests).toHaveLength(1);
  });

  it('reports network after a refused connection and one retry', async () => {
    const attempts: string[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      attempts.push(String(input));
      return fetch(input, init);
    };
    const error = await failureOf(webhookSender(await closedPortOrigin(), {}, countingFetch).send(TEXT));

    expect(error.reason).toBe('network');
    expectAuditSafe(error);
    expect(attempts).toHaveLength(2);
  });

  it('reports timeout without retrying when the gateway does not answer, as it may have sent the text', async () => {
    const gateway = await fakeGateway({ expectBearer: true }, 'hang');
    const error = await failureOf(webhookSender(gateway.origin, { timeoutMs: 200 }).send(TEXT));

    expect(error.reason).toBe('timeout');
    expectAuditSafe(error);
    expect(gateway.requests).toHaveLength(1);
  });

  it('names itself webhook for the audit log', () => {
    expect(webhookSender('https://sms.example.com/send').provider).toBe('webhook');
  });
});

describe('configuring the webhook sender', () => {
  const configure = (url: string) => () => webhookSender(url);

  it('accepts https anywhere and plain http only to this machine', () => {
    expect(configure('https://sms.example.com/send')).not.toThrow();
    expect(configure('http://127.0.0.1:8080/send')).not.toThrow();
    expect(configure('http://localhost:8080/send')).not.toThrow();
  });

  it('refuses plain http to another machine, naming the field', () => {
    expect(configure('http://sms.example.com/send')).toThrow(/url must use https:/);
    expect(configure('http://10.0.0.5/send')).toThrow(/url must use https:/);
  });

  it('refuses something that is not a web address', () => {
    expect(configure('sms.example.com/send')).toThrow(/url is not a valid URL/);
    expect(configure('ftp://sms.example.com/send')).toThrow(/url must use https:/);
  });

  it('refuses credentials written into the URL', () => {
    expect(configure('https://kiosk:hunter2@sms.example.com/send')).toThrow(/keychain/);
  });
});

describe('verifying a webhook signature on the gateway', () => {
  const body = JSON.stringify({ to: TO, body: 'hello', messageId: 'm1', sentAt: '2026-11-22T09:00:00.000Z' });
  const timestamp = '1795338000';
  const header = signWebhook(SIGNING_SECRET, timestamp, body);

  it('accepts the signature the kiosk made, from a string or the raw bytes', () => {
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(SIGNING_SECRET, timestamp, body, header)).toBe(true);
    expect(verifyWebhookSignature(SIGNING_SECRET, timestamp, Buffer.from(body), header)).toBe(true);
  });

  it('refuses a changed body, a changed timestamp or another secret', () => {
    expect(verifyWebhookSignature(SIGNING_SECRET, timestamp, body.replace('hello', 'hellO'), header)).toBe(false);
    expect(verifyWebhookSignature(SIGNING_SECRET, '1795338600', body, header)).toBe(false);
    expect(verifyWebhookSignature('another-secret', timestamp, body, header)).toBe(false);
  });

  it('refuses a missing or malformed header or timestamp', () => {
    expect(verifyWebhookSignature(SIGNING_SECRET, timestamp, body, undefined)).toBe(false);
    expect(verifyWebhookSignature(SIGNING_SECRET, undefined, body, header)).toBe(false);
    expect(verifyWebhookSignature(SIGNING_SECRET, timestamp, body, header.replace('sha256=', 'sha1='))).toBe(false);
    expect(verifyWebhookSignature(SIGNING_SECRET, timestamp, body, header.slice(0, -2))).toBe(false);
    expect(verifyWebhookSignature(SIGNING_SECRET, `${timestamp}.0`, body, header)).toBe(false);
  });
});
