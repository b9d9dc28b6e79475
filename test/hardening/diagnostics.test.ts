import { appendFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runKioskCli } from '../../src-main/cli/kiosk-cli';
import { silentLogger } from '../../src-main/core/base/log';
import { deviceConfigSchema, type DeviceConfigInput } from '../../src-main/core/config/device-config';
import { hashAdminPin } from '../../src-main/core/idp/admin-pin';
import { createKiosk } from '../../src-main/core/kiosk';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-secret-store';
import { CODE_HMAC_KEY, PHONE_HMAC_KEY } from '../../src-main/core/secrets/secret-store';
import { FakeStopwatch } from '../core/kiosk-harness';
import { startLoopbackServer, type LoopbackServer } from '../core/sms/loopback-server';
import { sign, snapshotFeed, trustedPublicPem } from '../core/sync/feed/feed-fixtures';
import { FakeClock, seededRandom, tempDir } from '../fakes';

/**
 * The diagnostics bundle leaves the kiosk for whoever supports it, so it is searched, as
 * secrets.test.ts searches the database and the logs, for every secret, code and full phone
 * number this test planted: in the keychain, in the configuration's URLs, in the directory,
 * in a sign-in, and in log lines written carelessly.
 */

const SECRETS = {
  'sms-gateway-secret': 'whsec-planted-gateway-secret-7Qx',
  'feed-bearer-token': 'feed-token-planted-5Kd2',
  'audit-backend-token': 'audit-token-planted-9Zp',
};
const URL_SECRET = 'url-planted-secret-3Jm';

let temp: ReturnType<typeof tempDir>;
let gateway: LoopbackServer;

beforeEach(async () => {
  temp = tempDir('kiosk-diagnostics-');
  gateway = await startLoopbackServer((_request, response) => response.writeHead(202).end());
});
afterEach(async () => {
  await gateway.close();
  temp.remove();
});

describe('the diagnostics bundle', () => {
  it('holds status, configuration, log, sync history and the integrity check, and no secret, code or full phone number', async () => {
    const userData = path.join(temp.dir, 'user-data');
    const logDir = path.join(temp.dir, 'logs');
    mkdirSync(logDir, { recursive: true });
    const feedFile = path.join(temp.dir, 'feed.json');
    const feedText = snapshotFeed('c1');
    const signed = await sign(feedText);
    writeFileSync(feedFile, signed.body);
    writeFileSync(`${feedFile}.jws`, signed.jws!);
    const numbers = (JSON.parse(feedText) as { users: Array<{ phoneMethods: Array<{ phoneNumber: string }> }> }).users.flatMap((user) => user.phoneMethods.map((phone) => phone.phoneNumber));

    const config: DeviceConfigInput = {
      deviceName: 'Till 3',
      site: 'Store 0142',
      directory: { source: 'feed', feed: { location: feedFile, publicKey: trustedPublicPem } },
      sms: { provider: 'webhook', url: `${gateway.origin}/sms?key=${URL_SECRET}`, signingSecret: 'sms-gateway-secret' },
      auditUpload: { url: `${gateway.origin}/audit?sig=${URL_SECRET}`, bearerTokenSecret: 'audit-backend-token' },
    };
    const configFile = path.join(temp.dir, 'config.json');
    writeFileSync(configFile, JSON.stringify(config));
    const secrets = new MemorySecretStore();
    for (const [name, value] of Object.entries(SECRETS)) await secrets.set(name, value);
    const pinHash = await hashAdminPin('482913', seededRandom('pin'));
    await secrets.set('admin-pin-hash', pinHash);

    const clock = new FakeClock();
    const kiosk = await createKiosk(
      { mode: 'live', config: deviceConfigSchema.parse(config) },
      { dataDir: path.join(userData, 'live'), version: 'test', clock, scheduler: clock, random: seededRandom('live'), secrets, stopwatch: new FakeStopwatch(), log: silentLogger },
    );
    await kiosk.handlers['admin.open']({ pin: '482913' });
    await kiosk.handlers['admin.syncNow']({});
    const started = await kiosk.handlers['signIn.start']({ phone: numbers[0]! });
    expect(started).toMatchObject({ ok: true, value: { state: 'challenge' } });
    await kiosk._textsSettled();
    const text = gateway.requests.filter((request) => request.path.startsWith('/sms')).at(-1)!;
    const code = /\b(\d{6})\b/.exec(JSON.parse(text.body).body as string)![1]!;

    // The admin screen's "Send diagnostics": the same bundle, through the audit upload's endpoint and token.
    expect(await kiosk.handlers['admin.sendDiagnostics']({})).toMatchObject({ ok: true });
    const upload = gateway.requests.find((request) => request.path.startsWith('/audit') && request.body.includes('frontline-kiosk-diagnostics-upload'))!;
    expect(upload.headers.authorization).toBe(`Bearer ${SECRETS['audit-backend-token']}`);
    const sent = JSON.parse(upload.body) as { idempotencyKey: string; device: { name: string }; bundle: { format: string; database: { integrityCheck: string[] } } };
    expect(sent).toMatchObject({ device: { name: 'Till 3' }, bundle: { format: 'frontline-kiosk-diagnostics', database: { integrityCheck: ['ok'] } } });
    expect(upload.headers['idempotency-key']).toBe(sent.idempotencyKey);
    kiosk.close();

    // A careless line, as a bug might write one: the bundle must not repeat it.
    appendFileSync(path.join(logDir, 'kiosk.log'), `${JSON.stringify({ at: '2026-11-22T09:00:00Z', level: 'warn', message: `sent ${code} to ${numbers[0]} with ${SECRETS['sms-gateway-secret']}` })}\n`);
    appendFileSync(path.join(logDir, 'kiosk.log'), `${JSON.stringify({ at: '2026-11-22T09:00:01Z', level: 'info', message: 'sync applied', fields: { users: 6 } })}\n`);

    const out: string[] = [];
    const err: string[] = [];
    const target = path.join(temp.dir, 'bundle.json');
    const exit = await runKioskCli(['--diagnostics', target, '--config', configFile], { readStdin: () => Promise.resolve(''), out: (line) => out.push(line), err: (line) => err.push(line) }, {
      secrets,
      random: seededRandom(),
      userDataDir: userData,
      logDir,
      version: '0.1.0',
      clock,
    });
    expect({ exit, err }).toEqual({ exit: 0, err: [] });
    expect(statSync(target).mode & 0o777).toBe(0o600);

    const written = readFileSync(target, 'utf8');
    const bundle = JSON.parse(written) as { configuration: { keychainEntries: unknown[]; settings: { sms: { url: string } } }; syncHistory: unknown[]; recentLog: string[] };
    expect(bundle).toMatchObject({
      format: 'frontline-kiosk-diagnostics',
      app: { version: '0.1.0' },
      status: { mode: 'live', deviceName: 'Till 3', directory: { users: 6 }, sync: { source: 'feed', feedCursor: 'c1', lastError: null } },
      database: { integrityCheck: ['ok'] },
    });
    expect(bundle.configuration.keychainEntries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'sms-gateway-secret', present: true }),
        expect.objectContaining({ name: 'audit-backend-token', present: true }),
      ]),
    );
    expect(bundle.configuration.settings.sms.url).toBe(`${gateway.origin}/sms`);
    expect(bundle.syncHistory[0]).toMatchObject({ outcome: 'success' });
    expect(bundle.recentLog).toHaveLength(2);
    expect(bundle.recentLog[1]).toContain('sync applied');

    const hmacKeys = [await secrets.get(CODE_HMAC_KEY), await secrets.get(PHONE_HMAC_KEY)].filter((key): key is string => key !== null);
    expect(hmacKeys).toHaveLength(2);
    const needles = [...Object.values(SECRETS), URL_SECRET, pinHash, ...hmacKeys, ...hmacKeys.map((key) => Buffer.from(key, 'base64').toString('hex'))];
    const uploaded = JSON.stringify((JSON.parse(upload.body) as { bundle: unknown }).bundle);
    for (const [where, text] of [['the written bundle', written], ['the uploaded bundle', uploaded]] as const) {
      for (const needle of needles) expect(text, `a secret in ${where}`).not.toContain(needle);
      expect(text.match(/\d+/g)?.filter((run) => run === code) ?? [], `the code in ${where}`).toEqual([]);
      for (const number of numbers) {
        const digits = number.replace(/\D/g, '');
        for (const form of [number, digits, `+${digits}`, digits.slice(-10), digits.slice(-7)]) expect(text, `the number ${number} in ${where}`).not.toContain(form);
      }
    }
  });

  it('is not offered by a kiosk without an audit upload: there is nowhere to send it', async () => {
    const secrets = new MemorySecretStore();
    await secrets.set('sms-gateway-secret', 'unused');
    await secrets.set('admin-pin-hash', await hashAdminPin('482913', seededRandom('pin')));
    const clock = new FakeClock();
    const config = deviceConfigSchema.parse({
      deviceName: 'Till 4',
      directory: { source: 'feed', feed: { location: path.join(temp.dir, 'feed.json'), publicKey: trustedPublicPem } },
      sms: { provider: 'webhook', url: `${gateway.origin}/sms`, signingSecret: 'sms-gateway-secret' },
    });
    const kiosk = await createKiosk({ mode: 'live', config }, { dataDir: temp.dir, version: 'test', clock, scheduler: clock, random: seededRandom(), secrets, stopwatch: new FakeStopwatch(), log: silentLogger });
    try {
      await kiosk.handlers['admin.open']({ pin: '482913' });
      expect(await kiosk.handlers['admin.sendDiagnostics']({})).toMatchObject({ ok: false, error: { code: 'admin.notAvailable' } });
    } finally {
      kiosk.close();
    }
  });

  it('says a named configuration is missing, describes a kiosk with no data yet, and never overwrites a file', async () => {
    const target = path.join(temp.dir, 'bundle.json');
    const io = { readStdin: () => Promise.resolve(''), out: () => undefined, err: (line: string) => errors.push(line) };
    const errors: string[] = [];
    const none = path.join(temp.dir, 'none');
    const deps = { secrets: new MemorySecretStore(), random: seededRandom(), userDataDir: none, logDir: none, env: { XDG_CONFIG_HOME: none }, platform: 'linux' as const };
    expect(await runKioskCli(['--diagnostics', target, '--config', path.join(temp.dir, 'absent.json')], io, deps)).toBe(1);
    expect(errors.at(-1)).toMatch(/absent\.json/);
    expect(await runKioskCli(['--diagnostics', target], io, deps)).toBe(0);
    expect(JSON.parse(readFileSync(target, 'utf8'))).toMatchObject({ status: { mode: 'demo' }, database: { present: false }, recentLog: [] });
    expect(await runKioskCli(['--diagnostics', target], io, deps)).toBe(1);
    expect(errors.at(-1)).toMatch(/already exists/);
  });
});
