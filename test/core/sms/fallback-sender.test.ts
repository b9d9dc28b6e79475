import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemorySecretStore } from '../../../src-main/core/secrets/memory-secret-store';
import { FallbackSender, HealthReportingSender } from '../../../src-main/core/sms/fallback-sender';
import { TwilioSender } from '../../../src-main/core/sms/twilio-sender';
import { verifyWebhookSignature, WebhookSender, type WebhookSmsPayload } from '../../../src-main/core/sms/webhook-sender';
import { openKioskStore, type KioskStore } from '../../../src-main/core/store/kiosk-store';
import { FakeClock, seededRandom } from '../../fakes';
import { answerJson, closedPortOrigin, startLoopbackServer, type LoopbackServer } from './loopback-server';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'tw-secret-9f8e7d6c5b4a';
const SIGNING = 'gateway-signing-secret';
const TO = '+12065550100';
const TEXT = { to: TO, body: '482913 is your Contoso kiosk code. It expires in 5 min.' };

let secrets: MemorySecretStore;
let servers: LoopbackServer[] = [];
let dir: string;
let store: KioskStore;
const clock = new FakeClock(Date.UTC(2026, 10, 22, 9, 0, 0));

beforeEach(async () => {
  secrets = new MemorySecretStore();
  await secrets.set('twilio-auth-token', TOKEN);
  await secrets.set('gateway-signing', SIGNING);
  dir = mkdtempSync(path.join(tmpdir(), 'kiosk-fallback-'));
  store = openKioskStore(dir);
});
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Twilio's Messages API answering every request the same way. */
async function twilioAnswering(answer: { status: number; json?: unknown; html?: string } | 'created' | 'reset'): Promise<LoopbackServer> {
  const server = await startLoopbackServer((request, response) => {
    if (request.path !== `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`) return answerJson(response, 404, { code: 20404, message: 'Not found', status: 404 });
    if (answer === 'created') return answerJson(response, 201, { sid: 'SM0123456789abcdef0123456789abcdef', status: 'queued' });
    // The request was read in full, then the connection dropped: Twilio may have queued the text.
    if (answer === 'reset') return void response.socket?.destroy();
    if (answer.html !== undefined) return void response.writeHead(answer.status, { 'Content-Type': 'text/html' }).end(answer.html);
    answerJson(response, answer.status, answer.json);
  });
  servers.push(server);
  return server;
}

/** The organisation's gateway: checks the signature, then accepts. */
async function gateway(): Promise<LoopbackServer> {
  const server = await startLoopbackServer((request, response) => {
    const ok = verifyWebhookSignature(SIGNING, request.headers['x-kiosk-timestamp'] as string, request.body, request.headers['x-kiosk-signature'] as string);
    answerJson(response, ok ? 202 : 401, ok ? { accepted: true } : { error: 'bad signature' });
  });
  servers.push(server);
  return server;
}

function senders(twilioOrigin: string, gatewayOrigin: string): FallbackSender {
  const health = { health: store.providerHealth, clock };
  const primary = new TwilioSender({ accountSid: ACCOUNT_SID, authTokenSecret: 'twilio-auth-token', from: '+12065550199', baseUrl: twilioOrigin, timeoutMs: 300 }, { secrets });
  const fallback = new WebhookSender({ url: `${gatewayOrigin}/sms`, signingSecret: 'gateway-signing' }, { secrets, clock, random: seededRandom() });
  return new FallbackSender(new HealthReportingSender(primary, 'primary', health), new HealthReportingSender(fallback, 'fallback', health));
}

describe('a fallback provider for when the primary provably sent nothing', () => {
  it('sends the same code through the fallback when Twilio refuses with its documented error JSON', async () => {
    const twilio = await twilioAnswering({ status: 400, json: { code: 21610, message: `Attempt to send to unsubscribed recipient ${TO}`, more_info: 'https://www.twilio.com/docs/errors/21610', status: 400 } });
    const backup = await gateway();

    const delivery = await senders(twilio.origin, backup.origin).send(TEXT);

    expect(delivery).toEqual({ provider: 'webhook', failover: { from: 'twilio', reason: 'twilio-21610' } });
    expect(twilio.requests).toHaveLength(1);
    expect(backup.requests).toHaveLength(1);
    const payload = JSON.parse(backup.requests[0]!.body) as WebhookSmsPayload;
    expect(payload).toMatchObject({ to: TO, channel: 'sms', body: TEXT.body });
  });

  it('sends through the fallback when the primary refuses the connection', async () => {
    const backup = await gateway();
    const delivery = await senders(await closedPortOrigin(), backup.origin).send(TEXT);
    expect(delivery).toMatchObject({ provider: 'webhook', failover: { from: 'twilio', reason: 'network' } });
    expect(backup.requests).toHaveLength(1);
  });

  it('does not use the fallback after a timeout, a reset after the request, or any 5xx, even in Twilio’s error JSON: the text may have gone', async () => {
    const backup = await gateway();
    const hanging = await startLoopbackServer(() => undefined);
    servers.push(hanging);
    const twilio500 = await twilioAnswering({ status: 500, json: { code: 20500, message: 'Internal Server Error', status: 500 } });
    for (const origin of [hanging.origin, (await twilioAnswering('reset')).origin, (await twilioAnswering({ status: 502, html: '<html>Bad gateway</html>' })).origin, twilio500.origin]) {
      await expect(senders(origin, backup.origin).send(TEXT)).rejects.toMatchObject({ nothingSent: false });
    }
    expect(backup.requests).toHaveLength(0);
  });

  it('keeps each provider’s health: its last success and its failures since', async () => {
    const refusing = await twilioAnswering({ status: 429, json: { code: 20429, message: 'Too Many Requests', status: 429 } });
    const backup = await gateway();
    const sender = senders(refusing.origin, backup.origin);
    await sender.send(TEXT);
    clock.advance(60_000);
    await sender.send(TEXT);

    expect(store.providerHealth.all()).toEqual([
      { role: 'primary', provider: 'twilio', lastSuccessAt: null, lastFailureAt: clock.now(), lastFailureReason: 'twilio-20429', failuresSinceSuccess: 2 },
      { role: 'fallback', provider: 'webhook', lastSuccessAt: clock.now(), lastFailureAt: null, lastFailureReason: null, failuresSinceSuccess: 0 },
    ]);

    const working = await twilioAnswering('created');
    await senders(working.origin, backup.origin).send(TEXT);
    expect(store.providerHealth.all()[0]).toMatchObject({ role: 'primary', lastSuccessAt: clock.now(), failuresSinceSuccess: 0, lastFailureReason: 'twilio-20429' });
  });

  it('places a call through the fallback gateway too, with channel voice', async () => {
    const backup = await gateway();
    const delivery = await senders(await closedPortOrigin(), backup.origin).call!({ to: TO, words: 'Your kiosk code is: 4, 8.', language: 'en' });
    expect(delivery).toMatchObject({ provider: 'webhook' });
    expect(JSON.parse(backup.requests[0]!.body)).toMatchObject({ to: TO, channel: 'voice', body: 'Your kiosk code is: 4, 8.', language: 'en' });
  });
});
