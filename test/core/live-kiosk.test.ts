import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionView } from '../../shared/contract';
import type { Result } from '../../shared/result';
import type { DeviceConfigInput } from '../../src-main/core/config/device-config';
import { deviceConfigSchema } from '../../src-main/core/config/device-config';
import { hashAdminPin } from '../../src-main/core/idp/admin-pin';
import { createKiosk, type Kiosk } from '../../src-main/core/kiosk';
import { silentLogger } from '../../src-main/core/base/log';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-secret-store';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from '../../src-main/core/sms/webhook-sender';
import { FakeClock, seededRandom, tempDir } from '../fakes';
import { closedPortOrigin, startLoopbackServer, type LoopbackServer } from './sms/loopback-server';
import { sign, snapshotFeed, trustedPublicPem } from './sync/feed/feed-fixtures';
import { FakeStopwatch } from './kiosk-harness';

// A live kiosk end to end on real parts: a signed feed file, an SMS gateway on loopback
// checking the webhook signature, a real SQLite file; only time and randomness are fake.

const SIGNING_SECRET = 'gateway-shared-secret-for-tests';
let temp: ReturnType<typeof tempDir>;
let gateway: LoopbackServer;
let kiosk: Kiosk;
let clock: FakeClock;
let feedFile: string;

async function publishFeed(cursor: string, change?: Parameters<typeof snapshotFeed>[1]) {
  const signed = await sign(snapshotFeed(cursor, change));
  writeFileSync(feedFile, signed.body);
  writeFileSync(`${feedFile}.jws`, signed.jws!);
}

beforeEach(async () => {
  temp = tempDir('kiosk-live-');
  feedFile = path.join(temp.dir, 'feed.json');
  gateway = await startLoopbackServer((request, response) => {
    const ok = verifyWebhookSignature(SIGNING_SECRET, request.headers[TIMESTAMP_HEADER.toLowerCase()] as string, request.body, request.headers[SIGNATURE_HEADER.toLowerCase()] as string);
    response.writeHead(ok ? 202 : 401).end();
  });
  const config: DeviceConfigInput = {
    deviceName: 'Till 3',
    directory: { source: 'feed', feed: { location: feedFile, publicKey: trustedPublicPem } },
    sms: { provider: 'webhook', url: `${gateway.origin}/sms`, signingSecret: 'sms-gateway-secret' },
  };
  const secrets = new MemorySecretStore();
  await secrets.set('sms-gateway-secret', SIGNING_SECRET);
  await secrets.set('admin-pin-hash', await hashAdminPin('482913', seededRandom('pin')));
  clock = new FakeClock();
  kiosk = await createKiosk(
    { mode: 'live', config: deviceConfigSchema.parse(config) },
    { dataDir: temp.dir, version: 'test', clock, scheduler: clock, random: seededRandom('live'), secrets, stopwatch: new FakeStopwatch(), log: silentLogger },
  );
});

afterEach(async () => {
  kiosk.close();
  await gateway.close();
  temp.remove();
});

const codeFromGateway = () => /\b(\d{6})\b/.exec(JSON.parse(gateway.requests.at(-1)!.body).body as string)![1]!;

async function signIn(phone: string): Promise<Result<SessionView>> {
  const started = await kiosk.handlers['signIn.start']({ phone });
  if (!started.ok || started.value.state !== 'challenge') return started;
  await kiosk._textsSettled();
  return kiosk.handlers['signIn.verify']({ challengeId: started.value.challengeId, code: codeFromGateway() });
}

async function syncNow() {
  await kiosk.handlers['admin.open']({ pin: '482913' });
  return kiosk.handlers['admin.syncNow']({});
}

describe('a live kiosk', () => {
  it('says it is waiting for its directory until the first sync, then signs workers in with texts through the gateway', async () => {
    expect(await kiosk.handlers['signIn.start']({ phone: '2065550100' })).toMatchObject({ ok: false, error: { code: 'kiosk.notSynced' } });
    expect(await kiosk.handlers['device.status']({})).toMatchObject({ ok: true, value: { mode: 'live', deviceName: 'Till 3' } });

    await publishFeed('c1');
    expect(await syncNow()).toMatchObject({ ok: true, value: { mode: 'live', users: 6, lastSync: { ok: true } } });

    expect(await signIn('2065550100')).toMatchObject({ ok: true, value: { state: 'active', user: { displayName: 'Alex Rivera' } } });
    expect(gateway.requests).toHaveLength(1);
    expect(JSON.parse(gateway.requests[0]!.body)).toMatchObject({ to: '+12065550100' });
  });

  it('signs a worker out at once when a sync disables their account', async () => {
    await publishFeed('c1');
    await syncNow();
    await signIn('2065550100');
    await publishFeed('c2', (feed) => (feed.users[0]!.accountEnabled = false));
    await syncNow();
    expect(await kiosk.handlers['session.current']({})).toEqual({ ok: true, value: { state: 'ready', signedOut: 'revoked' } });
  });

  it('refuses a tampered feed and keeps serving the last good directory', async () => {
    await publishFeed('c1');
    await syncNow();
    writeFileSync(feedFile, snapshotFeed('c2', (feed) => (feed.users[0]!.displayName = 'Mallory')));
    expect(await syncNow()).toMatchObject({ ok: true, value: { lastSync: { ok: false } } });
    expect(await signIn('2065550100')).toMatchObject({ ok: true, value: { user: { displayName: 'Alex Rivera' } } });
  });

  it('has no default admin PIN and no demo to reset', async () => {
    expect(await kiosk.handlers['admin.open']({ pin: '2468' })).toMatchObject({ ok: false, error: { code: 'admin.wrongPin' } });
    await kiosk.handlers['admin.open']({ pin: '482913' });
    expect(await kiosk.handlers['admin.resetDemo']({})).toMatchObject({ ok: false, error: { code: 'admin.notAvailable' } });
  });
});

describe('a live kiosk with a fallback provider', () => {
  it('texts through the fallback when the primary refuses the connection, audits which provider sent it, and shows both providers’ health', async () => {
    kiosk.close();
    const secrets = new MemorySecretStore();
    await secrets.set('sms-gateway-secret', SIGNING_SECRET);
    await secrets.set('admin-pin-hash', await hashAdminPin('482913', seededRandom('pin')));
    const config: DeviceConfigInput = {
      deviceName: 'Till 3',
      directory: { source: 'feed', feed: { location: feedFile, publicKey: trustedPublicPem } },
      sms: {
        provider: 'twilio',
        accountSid: `AC${'a'.repeat(32)}`,
        authTokenSecret: 'twilio-auth-token',
        from: '+12065550199',
        baseUrl: await closedPortOrigin(),
        fallback: { provider: 'webhook', url: `${gateway.origin}/sms`, signingSecret: 'sms-gateway-secret' },
      },
    };
    await secrets.set('twilio-auth-token', 'tw-token');
    kiosk = await createKiosk(
      { mode: 'live', config: deviceConfigSchema.parse(config) },
      { dataDir: path.join(temp.dir, 'fallback'), version: 'test', clock, scheduler: clock, random: seededRandom('fallback'), secrets, stopwatch: new FakeStopwatch(), log: silentLogger },
    );
    await publishFeed('c1');
    await syncNow();

    expect(await signIn('2065550100')).toMatchObject({ ok: true, value: { state: 'active' } });
    expect(JSON.parse(gateway.requests[0]!.body)).toMatchObject({ to: '+12065550100', channel: 'sms' });
    expect(kiosk.audit.query({ types: ['sms.send'], outcome: 'success', limit: 1 })[0]!.details).toEqual({
      provider: 'webhook',
      channel: 'sms',
      resend: false,
      failoverFrom: 'twilio',
      failoverReason: 'network',
    });
    expect(await kiosk.handlers['admin.status']({})).toMatchObject({
      ok: true,
      value: {
        smsProviders: [
          { role: 'primary', provider: 'twilio', lastSuccessAt: null, failuresSinceSuccess: 1, lastFailureReason: 'network' },
          { role: 'fallback', provider: 'webhook', lastSuccessAt: clock.now(), failuresSinceSuccess: 0 },
        ],
      },
    });
  });
});
