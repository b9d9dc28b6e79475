import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runKioskCli, type CliIo } from '../../src-main/cli/kiosk-cli';
import { adminPinMatches } from '../../src-main/core/idp/admin-pin';
import { createDemoKiosk } from '../../src-main/core/kiosk';
import { silentLogger } from '../../src-main/core/base/log';
import { KeytarSecretStore } from '../../src-main/core/secrets/keytar-secret-store';
import { seededRandom, tempDir } from '../fakes';
import { trustedPublicPem } from '../core/sync/feed/feed-fixtures';

// The real OS keychain (gnome-keyring under a private D-Bus on Linux CI), under a
// throwaway service name so nothing touches a real kiosk's entries.
const secrets = new KeytarSecretStore(`frontline-kiosk-cli-test-${randomBytes(4).toString('hex')}`);
const entries = ['twilio-auth-token', 'admin-pin-hash', 'feed-token'];
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
    expect((await run(['--status'])).out).toContain('Directory: 8 users, 7 phones ready for sign-in.');
  });
});
