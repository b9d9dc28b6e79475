import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../src-main/core/secrets/memory-secret-store';
import { SmsSendError } from '../../../src-main/core/sms/sms-sender';
import { TwilioSender, type TwilioSenderOptions } from '../../../src-main/core/sms/twilio-sender';
import { answerJson, closedPortOrigin, startLoopbackServer, type LoopbackServer, type ReceivedRequest } from './loopback-server';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const SERVICE_SID = 'MG0123456789abcdef0123456789abcdef';
const TOKEN_ENTRY = 'twilio-auth-token';
const TOKEN = 'tw-secret-9f8e7d6c5b4a';
const FROM = '+12065550199';
const TO = '+12065550100';
const CODE = '482913';
const KEY_SID = 'SK0123456789abcdef0123456789abcdef';
const KEY_SECRET_ENTRY = 'twilio-api-key-secret';
const KEY_SECRET = 'key-secret-1a2b3c4d';
const TEXT = { to: TO, body: `${CODE} is your Contoso kiosk code. It expires in 5 min. Don't share it.` };

type Answer = 'created' | 'hang' | { status: number; json: unknown };

let secrets: MemorySecretStore;
let server: LoopbackServer | undefined;
beforeEach(async () => {
  secrets = new MemorySecretStore();
  await secrets.set(TOKEN_ENTRY, TOKEN);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/**
 * Twilio's Messages API on loopback: checks what Twilio checks (path, basic auth, form
 * fields) and answers like Twilio, then plays `answers` in order (the last one repeats).
 */
async function fakeTwilio(...answers: Answer[]): Promise<LoopbackServer> {
  let served = 0;
  server = await startLoopbackServer((request, response) => {
    if (refused(request, response)) return;
    const answer = answers[Math.min(served++, answers.length - 1)] ?? 'created';
    if (answer === 'hang') return;
    if (answer === 'created') {
      const form = new URLSearchParams(request.body);
      answerJson(response, 201, {
        sid: 'SM0123456789abcdef0123456789abcdef',
        account_sid: ACCOUNT_SID,
        to: form.get('To'),
        from: form.get('From'),
        messaging_service_sid: form.get('MessagingServiceSid'),
        body: form.get('Body'),
        status: 'queued',
      });
      return;
    }
    answerJson(response, answer.status, answer.json);
  });
  return server;
}

function refused(request: ReceivedRequest, response: ServerResponse): boolean {
  const twilioError = (status: number, code: number, message: string) => {
    answerJson(response, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
    return true;
  };
  if (request.method !== 'POST' || request.path !== `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`) {
    return twilioError(404, 20404, 'The requested resource was not found');
  }
  const [scheme, encoded] = (request.headers.authorization ?? '').split(' ');
  // Twilio accepts the account's auth token, or an API key: the key SID as user name, its secret as password.
  const credentials = Buffer.from(encoded ?? '', 'base64').toString();
  if (scheme !== 'Basic' || (credentials !== `${ACCOUNT_SID}:${TOKEN}` && credentials !== `${KEY_SID}:${KEY_SECRET}`)) {
    return twilioError(401, 20003, 'Authenticate');
  }
  if (request.headers['content-type'] !== 'application/x-www-form-urlencoded') return twilioError(400, 21602, 'Message body is required.');
  const form = new URLSearchParams(request.body);
  if (!form.get('To')) return twilioError(400, 21604, "A 'To' phone number is required.");
  if (!form.get('Body')) return twilioError(400, 21602, 'Message body is required.');
  if (!form.get('From') && !form.get('MessagingServiceSid')) return twilioError(400, 21603, "A 'From' phone number is required.");
  return false;
}

function twilioSender(origin: string, options: Partial<TwilioSenderOptions> = {}): TwilioSender {
  return new TwilioSender({ accountSid: ACCOUNT_SID, authTokenSecret: TOKEN_ENTRY, from: FROM, baseUrl: origin, ...options }, { secrets });
}

async function failureOf(sending: Promise<void>): Promise<SmsSendError> {
  const error: unknown = await sending.then(
    () => null,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(SmsSendError);
  return error as SmsSendError;
}

/** The audit log keeps the message: no code, no full number, no token. */
function expectAuditSafe(error: SmsSendError): void {
  for (const secret of [CODE, TEXT.body, TO, TO.slice(1), TOKEN]) expect(error.message).not.toContain(secret);
}

describe('sending a text through Twilio', () => {
  it('authenticates with an API key (SK… SID and secret from the keychain), the account SID still in the path', async () => {
    await secrets.set(KEY_SECRET_ENTRY, KEY_SECRET);
    const twilio = await fakeTwilio('created');
    await twilioSender(twilio.origin, { authTokenSecret: undefined, apiKeySid: KEY_SID, apiKeySecret: KEY_SECRET_ENTRY }).send(TEXT);

    const [request] = twilio.requests;
    expect(request?.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from(`${KEY_SID}:${KEY_SECRET}`).toString('base64')}`);
  });

  it('names the API key secret entry when the keychain lacks it, sending nothing', async () => {
    const twilio = await fakeTwilio('created');
    const error = await failureOf(twilioSender(twilio.origin, { authTokenSecret: undefined, apiKeySid: KEY_SID, apiKeySecret: KEY_SECRET_ENTRY }).send(TEXT));
    expect(error).toMatchObject({ reason: 'missing-secret', message: expect.stringContaining(KEY_SECRET_ENTRY) });
    expect(twilio.requests).toHaveLength(0);
  });

  it('needs exactly one credential: the auth token, or an API key SID and its secret', () => {
    expect(() => twilioSender('https://api.twilio.com', { apiKeySid: KEY_SID, apiKeySecret: KEY_SECRET_ENTRY })).toThrow(/either authTokenSecret or apiKeySid/);
    expect(() => twilioSender('https://api.twilio.com', { authTokenSecret: undefined, apiKeySid: KEY_SID })).toThrow(/apiKeySecret/);
    expect(() => twilioSender('https://api.twilio.com', { authTokenSecret: undefined, apiKeySid: 'AC0123456789abcdef0123456789abcdef', apiKeySecret: KEY_SECRET_ENTRY })).toThrow(/SK/);
  });

  it('names the product and its version in User-Agent', async () => {
    const twilio = await fakeTwilio('created');
    await new TwilioSender({ accountSid: ACCOUNT_SID, authTokenSecret: TOKEN_ENTRY, from: FROM, baseUrl: twilio.origin }, { secrets, version: '1.4.2' }).send(TEXT);
    expect(twilio.requests[0]?.headers['user-agent']).toBe('FrontlineKiosk/1.4.2');
  });

  it('posts To, From and Body as a form to the account’s Messages resource with basic auth', async () => {
    const twilio = await fakeTwilio('created');
    await twilioSender(twilio.origin).send(TEXT);

    expect(twilio.requests).toHaveLength(1);
    const [request] = twilio.requests;
    expect(request?.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({ To: TO, From: FROM, Body: TEXT.body });
  });

  it('sends from a messaging service instead of a number when one is configured', async () => {
    const twilio = await fakeTwilio('created');
    await twilioSender(twilio.origin, { from: undefined, messagingServiceSid: SERVICE_SID }).send(TEXT);

    expect(Object.fromEntries(new URLSearchParams(twilio.requests[0]?.body))).toEqual({ To: TO, MessagingServiceSid: SERVICE_SID, Body: TEXT.body });
  });

  it('reads the auth token from the keychain at each send, so a rotated token is used at once', async () => {
    const twilio = await fakeTwilio('created');
    const sender = twilioSender(twilio.origin);
    await secrets.set(TOKEN_ENTRY, 'an-old-token');
    await expect(sender.send(TEXT)).rejects.toMatchObject({ reason: 'twilio-20003' });

    await secrets.set(TOKEN_ENTRY, TOKEN);
    await sender.send(TEXT);
    expect(twilio.requests).toHaveLength(2);
  });

  it('fails with missing-secret, naming the keychain entry, and sends nothing when the token is absent', async () => {
    const twilio = await fakeTwilio('created');
    await secrets.delete(TOKEN_ENTRY);
    const error = await failureOf(twilioSender(twilio.origin).send(TEXT));

    expect(error.reason).toBe('missing-secret');
    expect(error.message).toContain(`The keychain has no entry "${TOKEN_ENTRY}"`);
    expect(twilio.requests).toHaveLength(0);
  });

  it('reports Twilio’s error code and does not retry a 4xx', async () => {
    const twilio = await fakeTwilio({
      status: 400,
      json: { code: 21211, message: `The 'To' number ${TO} is not a valid phone number.`, more_info: 'https://www.twilio.com/docs/errors/21211', status: 400 },
    });
    const error = await failureOf(twilioSender(twilio.origin).send(TEXT));

    expect(error.reason).toBe('twilio-21211');
    expect(error.message).toContain('21211');
    expectAuditSafe(error);
    expect(twilio.requests).toHaveLength(1);
  });

  it('reports http-<status> for a 4xx without Twilio’s error JSON', async () => {
    const twilio = await fakeTwilio({ status: 403, json: 'Forbidden' });
    await expect(twilioSender(twilio.origin).send(TEXT)).rejects.toMatchObject({ reason: 'http-403' });
    expect(twilio.requests).toHaveLength(1);
  });

  it('retries a 5xx once with the same code', async () => {
    const twilio = await fakeTwilio({ status: 500, json: { code: 20500, message: 'Internal Server Error', status: 500 } }, 'created');
    await twilioSender(twilio.origin).send(TEXT);

    expect(twilio.requests).toHaveLength(2);
    expect(twilio.requests[1]?.body).toBe(twilio.requests[0]?.body);
    expect(new URLSearchParams(twilio.requests[1]?.body).get('Body')).toContain(CODE);
  });

  it('gives up after two 5xx answers with Twilio’s error code, and does not claim nothing was sent: a 5xx may follow the queueing', async () => {
    const twilio = await fakeTwilio({ status: 500, json: { code: 20500, message: 'Internal Server Error', status: 500 } });
    const error = await failureOf(twilioSender(twilio.origin).send(TEXT));

    expect(error).toMatchObject({ reason: 'twilio-20500', nothingSent: false });
    expectAuditSafe(error);
    expect(twilio.requests).toHaveLength(2);
  });

  it('reports http-<status> for a 5xx without Twilio’s error JSON, and does not claim nothing was sent', async () => {
    server = await startLoopbackServer((_request, response) => void response.writeHead(502, { 'Content-Type': 'text/html' }).end('<html>Bad gateway</html>'));
    const error = await failureOf(twilioSender(server.origin).send(TEXT));
    expect(error).toMatchObject({ reason: 'http-502', nothingSent: false });
  });

  it('reports network after a refused connection and one retry', async () => {
    const attempts: string[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      attempts.push(String(input));
      return fetch(input, init);
    };
    const origin = await closedPortOrigin();
    const sender = new TwilioSender({ accountSid: ACCOUNT_SID, authTokenSecret: TOKEN_ENTRY, from: FROM, baseUrl: origin }, { secrets, fetch: countingFetch });
    const error = await failureOf(sender.send(TEXT));

    expect(error.reason).toBe('network');
    expect(error.message).toContain('ECONNREFUSED');
    expectAuditSafe(error);
    expect(attempts).toHaveLength(2);
  });

  it('reports timeout without retrying when Twilio does not answer, as it may have sent the text', async () => {
    const twilio = await fakeTwilio('hang');
    const error = await failureOf(twilioSender(twilio.origin, { timeoutMs: 200 }).send(TEXT));

    expect(error.reason).toBe('timeout');
    expectAuditSafe(error);
    expect(twilio.requests).toHaveLength(1);
  });

  it('names itself twilio for the audit log', () => {
    expect(twilioSender('https://api.twilio.com').provider).toBe('twilio');
  });
});

describe('configuring the Twilio sender', () => {
  const valid: TwilioSenderOptions = { accountSid: ACCOUNT_SID, authTokenSecret: TOKEN_ENTRY, from: FROM };
  const configure = (options: TwilioSenderOptions) => () => new TwilioSender(options, { secrets });

  it('refuses an account SID that is not AC and 32 hex characters', () => {
    expect(configure({ ...valid, accountSid: 'AC123' })).toThrow(/accountSid/);
    expect(configure({ ...valid, accountSid: `SK${ACCOUNT_SID.slice(2)}` })).toThrow(/accountSid/);
  });

  it('needs exactly one of from and messagingServiceSid', () => {
    expect(configure({ ...valid, from: undefined })).toThrow(/from.*messagingServiceSid/);
    expect(configure({ ...valid, messagingServiceSid: SERVICE_SID })).toThrow(/not both/);
    expect(configure({ ...valid, from: undefined, messagingServiceSid: 'MG1' })).toThrow(/messagingServiceSid/);
  });

  it('refuses plain http except to this machine', () => {
    expect(configure({ ...valid, baseUrl: 'http://api.twilio.com' })).toThrow(/baseUrl.*https/);
    expect(configure({ ...valid, baseUrl: 'http://localhost:8080' })).not.toThrow();
  });

  it('refuses a timeout that is not a positive whole number', () => {
    expect(configure({ ...valid, timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});
