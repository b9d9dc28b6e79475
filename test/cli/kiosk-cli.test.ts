import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCliInvocation, runKioskCli, type CliIo } from '../../src-main/cli/kiosk-cli';
import { loadKioskConfig } from '../../src-main/core/modes/live-config';
import { adminPinMatches } from '../../src-main/core/idp/admin-pin';
import { createDemoKiosk } from '../../src-main/core/kiosk';
import { openKioskStore } from '../../src-main/core/store/kiosk-store';
import { silentLogger } from '../../src-main/core/base/log';
import { KeytarSecretStore } from '../../src-main/core/secrets/keytar-secret-store';
import { seededRandom, tempDir } from '../fakes';
import { trustedPublicPem } from '../core/sync/feed/feed-fixtures';

// The real OS keychain (gnome-keyring under a private D-Bus on Linux CI), under a
// throwaway service name so nothing touches a real kiosk's entries.
const secrets = new KeytarSecretStore(`frontline-kiosk-cli-test-${randomBytes(4).toString('hex')}`);
const entries = ['twilio-auth-token', 'admin-pin-hash', 'feed-token', 'sso-signing-key'];
afterAll(async () => {
  for (const name of entries) await secrets.delete(name);
});

let temp: ReturnType<typeof tempDir>;
beforeEach(() => {
  temp = tempDir('kiosk-cli-');
});
afterEach(() => temp.remove());

/** Runs a command as IT would, with `stdin` piped in; returns what it printed and its exit code. */
async function run(argv: string[], stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { readStdin: () => Promise.resolve(stdin), out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await runKioskCli(argv, io, { secrets, random: seededRandom('cli'), env: {}, platform: 'linux', userDataDir: temp.dir });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function writeConfig(): string {
  const file = path.join(temp.dir, 'config.json');
  writeFileSync(
    file,
    JSON.stringify({
      deviceName: 'Till 3',
      directory: { source: 'feed', feed: { location: 'https://feeds.contoso.example/feed.json', publicKey: trustedPublicPem, bearerTokenSecret: 'feed-token' } },
      sms: { provider: 'twilio', accountSid: `AC${'a'.repeat(32)}`, authTokenSecret: 'twilio-auth-token', from: '+12065550199' },
    }),
  );
  return file;
}

describe('the command line for IT', () => {
  it('checks a configuration and names each keychain entry it still needs', async () => {
    const config = writeConfig();
    const before = await run(['--check-config', '--config', config]);
    expect(before.code).toBe(1);
    expect(before.out).toContain(`Configuration OK: ${config}`);
    expect(before.err).toContain('missing keychain entry "twilio-auth-token" (the Twilio auth token): set it with --set-secret twilio-auth-token');
    expect(before.err).toContain('missing keychain entry "feed-token"');

    expect((await run(['--set-secret', 'twilio-auth-token'], 's3cr3t-token\n')).code).toBe(0);
    expect((await run(['--set-secret', 'feed-token'], 'feed-bearer')).code).toBe(0);
    expect((await run(['--set-admin-pin', '--config', config], '482913\n')).code).toBe(0);
    const after = await run(['--check-config', '--config', config]);
    expect(after).toMatchObject({ code: 0 });
    expect(after.out).toContain('every keychain entry it names is present');
  });

  it('stores a secret from standard input in the OS keychain without ever printing it', async () => {
    const result = await run(['--set-secret', 'twilio-auth-token'], 'ends-with-space \n');
    expect(result.code).toBe(0);
    expect(result.out).toBe('Stored "twilio-auth-token" in the OS keychain (16 characters).');
    expect(result.out + result.err).not.toContain('ends-with-space');
    expect(await secrets.get('twilio-auth-token')).toBe('ends-with-space ');
  });

  it('keeps the admin PIN only hashed', async () => {
    expect((await run(['--set-admin-pin'], '482913')).code).toBe(0);
    const stored = (await secrets.get('admin-pin-hash'))!;
    expect(stored).not.toContain('482913');
    expect(await adminPinMatches('482913', stored)).toBe(true);
  });

  it.each([
    [['--set-secret'], '', 2, '--set-secret needs the keychain entry name'],
    [['--set-secret', 'a/b'], 'x', 2, '--set-secret needs the keychain entry name'],
    [['--set-secret', 'twilio-auth-token'], '', 2, 'Nothing on standard input'],
    [['--set-admin-pin'], '2468', 2, 'must be 6 to 12 digits'],
    [['--check-config', '--config', '/nonexistent/config.json'], '', 1, 'No configuration at /nonexistent/config.json'],
    [['--check-config'], '', 1, 'would start in offline demo mode'],
  ])('answers %j with a clear message and a failing exit code', async (argv, stdin, code, message) => {
    const result = await run(argv, stdin);
    expect(result.code).toBe(code);
    expect(result.err).toContain(message);
  });

  it("prints this kiosk's status", async () => {
    expect((await run(['--status'])).out).toContain('Mode: offline demo');
    const kiosk = await createDemoKiosk({ dataDir: path.join(temp.dir, 'demo'), version: 'test', log: silentLogger });
    kiosk.close();
    expect((await run(['--status'])).out).toContain('Directory: 9 users, 7 phones ready for sign-in.');
  });

  it('prints how each SMS provider is doing in --status: its last success and failures since', async () => {
    const config = path.join(temp.dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        deviceName: 'Till 3',
        directory: { source: 'feed', feed: { location: 'https://feeds.contoso.example/feed.json', publicKey: trustedPublicPem } },
        sms: {
          provider: 'twilio',
          accountSid: `AC${'a'.repeat(32)}`,
          authTokenSecret: 'twilio-auth-token',
          from: '+12065550199',
          fallback: { provider: 'webhook', url: 'https://sms.contoso.example/send', signingSecret: 'sms-webhook-key' },
        },
      }),
    );
    const store = openKioskStore(path.join(temp.dir, 'live'));
    store.providerHealth.failed('primary', 'twilio', Date.UTC(2026, 10, 22, 9, 0), 'twilio-20429');
    store.providerHealth.failed('primary', 'twilio', Date.UTC(2026, 10, 22, 9, 5), 'network');
    store.providerHealth.succeeded('fallback', 'webhook', Date.UTC(2026, 10, 22, 9, 5));
    store.close();

    const { out } = await run(['--status', '--config', config]);
    expect(out).toContain('SMS provider twilio: never worked yet; 2 failures since, the last 2026-11-22T09:05:00.000Z (network).');
    expect(out).toContain('SMS provider webhook (fallback): last worked 2026-11-22T09:05:00.000Z.');
  });

  it('names the fallback provider’s keychain entries in --check-config', async () => {
    const config = path.join(temp.dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        deviceName: 'Till 3',
        directory: { source: 'feed', feed: { location: 'https://feeds.contoso.example/feed.json', publicKey: trustedPublicPem } },
        sms: { provider: 'webhook', url: 'https://sms.contoso.example/send', signingSecret: 'sms-webhook-key', fallback: { provider: 'twilio', accountSid: `AC${'a'.repeat(32)}`, authTokenSecret: 'twilio-fallback-token', from: '+12065550199' } },
      }),
    );
    const result = await run(['--check-config', '--config', config]);
    expect(result.err).toContain('missing keychain entry "twilio-fallback-token" (the Twilio auth token (fallback provider)): set it with --set-secret twilio-fallback-token');
  });

  it("prints this kiosk's single sign-on public key, the same each time, and never the private part", async () => {
    const first = await run(['--sso-key']);
    expect(first.code).toBe(0);
    const key = JSON.parse(first.out) as Record<string, unknown>;
    expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect((await run(['--sso-key'])).out).toBe(first.out);
    expect(JSON.parse((await secrets.get('sso-signing-key'))!)).toHaveProperty('d');
  });
});

describe('--check-config runs the checks the kiosk runs at start', () => {
  type Config = { deviceName?: string; syncIntervalMinutes?: number; directory: { feed: Record<string, string> }; sms: Record<string, string> };
  const configWith = (patch: (config: Config) => void, prefix = '') => {
    const file = writeConfig();
    const config = JSON.parse(readFileSync(file, 'utf8'));
    patch(config);
    writeFileSync(file, prefix + JSON.stringify(config, null, 2));
    return file;
  };

  it('refuses a public key that is not a key, as the kiosk would at start', async () => {
    const file = configWith((c) => (c.directory.feed.publicKey = 'not a key'));
    const result = await run(['--check-config', '--config', file]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('directory: ');
    expect(result.err).toContain('publicKey');
    expect(() => loadKioskConfig({ path: file, explicit: true }, {})).toThrow(/publicKey/);
  });

  it('refuses a plain-http feed URL', async () => {
    const file = configWith((c) => (c.directory.feed.location = 'http://feeds.contoso.example/feed.json'));
    const result = await run(['--check-config', '--config', file]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/directory(\.feed\.location)?: .*https/);
  });

  it('reads a file saved with a UTF-8 byte-order mark', async () => {
    const file = configWith(() => {}, '\uFEFF');
    const result = await run(['--check-config', '--config', file]);
    expect(result.out).toContain(`Configuration OK: ${file}`);
  });

  it('says where broken JSON breaks, by line and column', async () => {
    const file = path.join(temp.dir, 'broken.json');
    writeFileSync(file, '{\n  "deviceName": "Till 3",\n  "directory": }\n');
    const result = await run(['--check-config', '--config', file]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('is not valid JSON at line 3, column 16');
    expect(result.err).not.toMatch(/position/);
  });

  it('names every problem, not only the first', async () => {
    const file = configWith((c) => {
      delete c.deviceName;
      c.sms.accountSid = 'AC123';
      c.syncIntervalMinutes = -1;
    });
    const result = await run(['--check-config', '--config', file]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('has 3 problems');
    expect(result.err).toContain('deviceName: is missing: add it');
    expect(result.err).toContain('sms.accountSid');
    expect(result.err).toContain('syncIntervalMinutes');
    expect(result.err).not.toContain('more)');
  });

  it('names a mistyped flag with the closest one it knows', async () => {
    expect(isCliInvocation(['--staus'])).toBe(true);
    const result = await run(['--staus']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('Unknown option --staus. Did you mean --status?');
    expect((await run(['--check-config', '--confg', 'x.json'])).err).toContain('Unknown option --confg. Did you mean --config?');
  });
});
