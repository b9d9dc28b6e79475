import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../src-main/core/secrets/memory-secret-store';
import { SmsSendError } from '../../../src-main/core/sms/sms-sender';
import { TwilioSender, type TwilioSenderOptions } from '../../../src-main/core/sms/twilio-sender';
import { answerJson, startLoopbackServer, type LoopbackServer, type ReceivedRequest } from './loopback-server';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const SERVICE_SID = 'MG0123456789abcdef0123456789abcdef';
const TOKEN_ENTRY = 'twilio-auth-token';
const TOKEN = 'tw-secret-9f8e7d6c5b4a';
const FROM = '+12065550199';
const TO = '+12065550100';
const WORDS = 'Le llama Contoso. Su código del quiosco es: 4, 8, 2, 9, 1, 3. Otra vez: 4, 8, 2, 9, 1, 3.';

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
 * Twilio's Calls API on loopback (api_v2010 `CreateCall`): `POST
 * /2010-04-01/Accounts/{AccountSid}/Calls.json`, form-encoded `To`, `From` and one of
 * `Url`, `Twiml` or `ApplicationSid`; answers 201 with the call resource, or Twilio's error JSON.
 */
async function fakeTwilioCalls(answer: 'created' | { status: number; json: unknown } = 'created'): Promise<LoopbackServer> {
  server = await startLoopbackServer((request, response) => {
    if (refused(request, response)) return;
    if (answer !== 'created') return answerJson(response, answer.status, answer.json);
    const form = new URLSearchParams(request.body);
    answerJson(response, 201, {
      sid: 'CA0123456789abcdef0123456789abcdef',
      account_sid: ACCOUNT_SID,
      to: form.get('To'),
      from: form.get('From'),
      status: 'queued',
      direction: 'outbound-api',
      api_version: '2010-04-01',
    });
  });
  return server;
}

function refused(request: ReceivedRequest, response: ServerResponse): boolean {
  const twilioError = (status: number, code: number, message: string) => {
    answerJson(response, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
    return true;
  };
  if (request.method !== 'POST' || request.path !== `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`) return twilioError(404, 20404, 'The requested resource was not found');
  if (request.headers.authorization !== `Basic ${Buffer.from(`${ACCOUNT_SID}:${TOKEN}`).toString('base64')}`) return twilioError(401, 20003, 'Authenticate');
  if (request.headers['content-type'] !== 'application/x-www-form-urlencoded') return twilioError(400, 21205, 'Url parameter is required.');
  const form = new URLSearchParams(request.body);
  if (!form.get('To')) return twilioError(400, 21201, 'No called number is specified');
  if (!form.get('From')) return twilioError(400, 21213, 'No caller ID specified');
  if (!form.get('Twiml') && !form.get('Url') && !form.get('ApplicationSid')) return twilioError(400, 21205, 'Url parameter is required.');
  if ((form.get('Twiml') ?? '').length > 4000) return twilioError(400, 21220, 'Invalid call state');
  return false;
}

function twilioSender(origin: string, options: Partial<TwilioSenderOptions> = {}): TwilioSender {
  return new TwilioSender({ accountSid: ACCOUNT_SID, authTokenSecret: TOKEN_ENTRY, from: FROM, baseUrl: origin, ...options }, { secrets });
}

/** The one `<Say>` of a call's TwiML: its attributes and what it says, unescaped. */
function sayOf(twiml: string): { language: string; voice: string; words: string } {
  const match = /^<Response><Say language="([^"]+)" voice="([^"]+)">([^<]*)<\/Say><\/Response>$/.exec(twiml);
  expect(match, twiml).not.toBeNull();
  const unescape = (text: string) => text.replace(/&lt;|&gt;|&quot;|&apos;|&amp;/g, (e) => ({ '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&amp;': '&' })[e]!);
  return { language: match![1]!, voice: match![2]!, words: unescape(match![3]!) };
}

describe('calling through Twilio to read a code out', () => {
  it('posts To, From and inline Twiml to the account’s Calls resource, with basic auth', async () => {
    const twilio = await fakeTwilioCalls();
    await twilioSender(twilio.origin).call!({ to: TO, words: WORDS, language: 'es' });

    expect(twilio.requests).toHaveLength(1);
    const form = new URLSearchParams(twilio.requests[0]!.body);
    expect([...form.keys()].sort()).toEqual(['From', 'To', 'Twiml']);
    expect(form.get('To')).toBe(TO);
    expect(form.get('From')).toBe(FROM);
    expect(sayOf(form.get('Twiml')!)).toEqual({ language: 'es-ES', voice: 'Polly.Lucia', words: WORDS });
  });

  it('speaks in the worker’s language: English, Spanish, and a regional Spanish Twilio knows', async () => {
    const twilio = await fakeTwilioCalls();
    const sender = twilioSender(twilio.origin);
    await sender.call!({ to: TO, words: 'This is Contoso. Your kiosk code is: 1, 2.', language: 'en' });
    await sender.call!({ to: TO, words: WORDS, language: 'es-MX' });
    const says = twilio.requests.map((request) => sayOf(new URLSearchParams(request.body).get('Twiml')!));
    expect(says.map(({ language, voice }) => ({ language, voice }))).toEqual([
      { language: 'en-US', voice: 'Polly.Joanna' },
      { language: 'es-MX', voice: 'Polly.Mia' },
    ]);
  });

  it('escapes the words as XML, so an organisation name cannot change the TwiML', async () => {
    const twilio = await fakeTwilioCalls();
    const words = 'This is Smith & Sons <Hangup/>. Your kiosk code is: 1, 2.';
    await twilioSender(twilio.origin).call!({ to: TO, words, language: 'en' });
    const twiml = new URLSearchParams(twilio.requests[0]!.body).get('Twiml')!;
    expect(twiml).not.toContain('<Hangup/>');
    expect(sayOf(twiml).words).toBe(words);
  });

  it('calls from callFrom when set, which a messaging service needs (it cannot place calls)', async () => {
    const twilio = await fakeTwilioCalls();
    const sender = twilioSender(twilio.origin, { from: undefined, messagingServiceSid: SERVICE_SID, callFrom: '+12065550142' });
    await sender.call!({ to: TO, words: WORDS, language: 'es' });
    expect(new URLSearchParams(twilio.requests[0]!.body).get('From')).toBe('+12065550142');
  });

  it('offers no calls with only an alphanumeric sender ID or a messaging service', () => {
    expect(twilioSender('https://api.twilio.com', { from: 'CONTOSO' }).call).toBeUndefined();
    expect(twilioSender('https://api.twilio.com', { from: undefined, messagingServiceSid: SERVICE_SID }).call).toBeUndefined();
    expect(() => twilioSender('https://api.twilio.com', { callFrom: 'CONTOSO' })).toThrow(/callFrom must be a Twilio voice number/);
  });

  it('reports Twilio’s error code for a refused call, which proves no call was placed', async () => {
    const twilio = await fakeTwilioCalls({ status: 400, json: { code: 21215, message: `Geo permission for ${TO}`, more_info: 'https://www.twilio.com/docs/errors/21215', status: 400 } });
    const error: unknown = await twilioSender(twilio.origin).call!({ to: TO, words: WORDS, language: 'es' }).catch((rejection: unknown) => rejection);
    expect(error).toBeInstanceOf(SmsSendError);
    expect(error).toMatchObject({ reason: 'twilio-21215', nothingSent: true });
    expect((error as Error).message).not.toContain(TO);
  });
});
