import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hashAdminPin, LIVE_ADMIN_PIN_DIGITS } from '../core/idp/admin-pin';
import type { RandomSource } from '../core/base/random';
import type { SecretStore } from '../core/secrets/secret-store';
import { openDatabase } from '../core/store/database';
import { DirectoryRepository } from '../core/store/directory-repository';
import { ProviderHealthRepository, type ProviderHealth, type ProviderRole } from '../core/store/provider-health-repository';
import { SyncStateRepository } from '../core/store/sync-state-repository';
import { ConfigError, defaultLogDir, defaultUserDataDir, locateConfig } from '../core/config/config-location';
import { diagnosticsBundle } from '../core/diagnostics-bundle';
import { keychainEntriesOf, type DeviceConfig } from '../core/config/device-config';
import { loadKioskConfig } from '../core/modes/live-config';
import { loadOrCreateSigningKey, publicJwk, RETIRED_KEY_PUBLISHED_MS, rotateSigningKey } from '../core/sso/signing-key';
import { systemClock, type Clock } from '../core/base/clock';

/**
 * The kiosk's command line for IT, run without opening a window — from the installed app
 * (`frontline-kiosk --check-config`) or from the repo (`npm run kiosk -- --check-config`).
 */

export const CLI_COMMANDS = ['--check-config', '--set-secret', '--set-admin-pin', '--status', '--diagnostics', '--sso-key', '--rotate-sso-key', '--help'] as const;

export interface CliIo {
  readStdin(): Promise<string>;
  out(line: string): void;
  err(line: string): void;
}

export interface CliDeps {
  secrets: SecretStore;
  random: RandomSource;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Where the kiosk keeps its data; default: the same folder the app uses. */
  userDataDir?: string;
  /** For the key rotation's and the diagnostics bundle's times; default: the system clock. */
  clock?: Clock;
  /** Where the kiosk writes its log; default: the OS's log folder for the app. */
  logDir?: string;
  /** The app's version, for the diagnostics bundle. */
  version?: string;
}

export const CLI_USAGE = `Frontline Kiosk, for IT (no window opens):
  --check-config [--config <path>]   check the configuration and the keychain entries it names
  --set-secret <name>                store a secret read from standard input in the OS keychain
  --set-admin-pin [--config <path>]  set the admin PIN (6–12 digits) read from standard input
  --status [--config <path>]         print this kiosk's mode, directory and last sync
  --diagnostics <file> [--config <path>]
                                     write a redacted diagnostics bundle (status, configuration with
                                     secrets named not shown, recent log, sync history, database check)
  --sso-key                          print this kiosk's single sign-on public key (a JWK; made on first use)
                                     for the organisation's JWKS: feed-tool sso-publish
  --rotate-sso-key                   make a new single sign-on key and print its public JWK; the previous one
                                     stays published until its tokens have expired, then is dropped
  --demo                             (when starting the app) force offline demo mode`;

/** Options that go with a command (or, `--demo`, with starting the app). */
const CLI_OPTIONS = ['--config', '--demo', '--data-dir'] as const;
const KNOWN_FLAGS: readonly string[] = [...CLI_COMMANDS, ...CLI_OPTIONS];
/** Flags that take the next argument as their value. */
const FLAGS_WITH_VALUE: readonly string[] = ['--config', '--set-secret', '--data-dir', '--diagnostics'];

/**
 * True when the arguments ask for a command-line action rather than the kiosk window —
 * including a mistyped command (`--staus`), so it is named instead of opening the kiosk.
 */
export function isCliInvocation(argv: readonly string[]): boolean {
  return argv.some((arg) => (CLI_COMMANDS as readonly string[]).includes(arg) || (arg.startsWith('--') && closestCommand(arg) !== null));
}

/** The command a mistyped one was probably meant to be: at most two edits away. */
function closestCommand(flag: string): string | null {
  let best: { flag: string; distance: number } | null = null;
  for (const known of KNOWN_FLAGS) {
    const distance = editDistance(flag, known);
    if (distance > 0 && distance <= 2 && (!best || distance < best.distance)) best = { flag: known, distance };
  }
  return best?.flag ?? null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/** The first flag the command line does not know, named with the closest one it does. */
function unknownFlag(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (FLAGS_WITH_VALUE.includes(arg)) {
      i += 1;
      continue;
    }
    if (!arg.startsWith('-') || KNOWN_FLAGS.includes(arg) || FLAGS_WITH_VALUE.some((flag) => arg.startsWith(`${flag}=`))) continue;
    const closest = closestCommand(arg);
    return `Unknown option ${arg}.${closest ? ` Did you mean ${closest}?` : ''}`;
  }
  return null;
}

/** Runs one command; resolves with the process exit code. Never prints a secret. */
export async function runKioskCli(argv: readonly string[], io: CliIo, deps: CliDeps): Promise<number> {
  const env = deps.env ?? process.env;
  const platform = deps.platform ?? process.platform;
  try {
    if (argv.includes('--help')) {
      io.out(CLI_USAGE);
      return 0;
    }
    const unknown = unknownFlag(argv);
    if (unknown) {
      io.err(`${unknown}\n${CLI_USAGE}`);
      return 2;
    }
    const location = locateConfig(argv, env, platform);
    if (argv.includes('--set-secret')) return await setSecret(argv, io, deps);
    if (argv.includes('--sso-key')) {
      // The private half stays in the keychain; only the public JWK is printed.
      io.out(JSON.stringify(publicJwk(await loadOrCreateSigningKey(deps.secrets))));
      return 0;
    }
    if (argv.includes('--rotate-sso-key')) {
      const { current, retired } = await rotateSigningKey(deps.secrets, (deps.clock ?? systemClock).now());
      io.out(JSON.stringify(publicJwk(current)));
      const minutes = Math.round(RETIRED_KEY_PUBLISHED_MS / 60_000);
      io.err(
        `New single sign-on key ${String(current.kid)}; the previous key ${String(retired.kid)} is retired. ` +
          `Publish the new key beside the previous one in the organisation's JWKS now (feed-tool sso-publish), then restart the kiosk: ` +
          `it signs with the new key from then on, and keeps the previous one published for ${minutes} minutes, until its last tokens have expired. ` +
          `After that, publish without the previous key.`,
      );
      return 0;
    }
    if (argv.includes('--check-config')) {
      const config = loadKioskConfig(location, env);
      if (!config) {
        io.err(`No configuration at ${location.path}: the kiosk would start in offline demo mode. Put one there, or pass --config <path>.`);
        return 1;
      }
      return await checkConfig(location.path, config, io, deps);
    }
    if (argv.includes('--set-admin-pin')) {
      const config = loadKioskConfig(location, env);
      const pin = (await io.readStdin()).trim();
      // Only a live kiosk has a PIN set this way; the demo's is its documented 2468.
      if (!new RegExp(`^[0-9]{${LIVE_ADMIN_PIN_DIGITS},12}$`).test(pin)) {
        io.err(`The admin PIN must be ${LIVE_ADMIN_PIN_DIGITS} to 12 digits, read from standard input (for example: echo 482913 | … --set-admin-pin).`);
        return 2;
      }
      const entry = config?.adminPinSecret ?? 'admin-pin-hash';
      await deps.secrets.set(entry, await hashAdminPin(pin, deps.random));
      io.out(`Admin PIN set (stored hashed in the OS keychain as "${entry}").`);
      return 0;
    }
    if (argv.includes('--diagnostics')) {
      const file = argv[argv.indexOf('--diagnostics') + 1];
      if (!file || file.startsWith('--')) {
        io.err('--diagnostics needs the file to write, e.g. --diagnostics kiosk-diagnostics.json');
        return 2;
      }
      const config = loadKioskConfig(location, env);
      return await diagnostics(file, location.path, config, io, deps, deps.userDataDir ?? defaultUserDataDir(platform, env), deps.logDir ?? defaultLogDir(platform, env));
    }
    if (argv.includes('--status')) {
      const config = loadKioskConfig(location, env);
      return status(location.path, config, io, deps.userDataDir ?? defaultUserDataDir(platform, env));
    }
    io.err(CLI_USAGE);
    return 2;
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`Configuration problem: ${error.message}`);
      return 1;
    }
    io.err(`Failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

async function setSecret(argv: readonly string[], io: CliIo, deps: CliDeps): Promise<number> {
  const name = argv[argv.indexOf('--set-secret') + 1];
  if (!name || name.startsWith('--') || !/^[A-Za-z0-9._-]{1,200}$/.test(name)) {
    io.err('--set-secret needs the keychain entry name the configuration uses, e.g. --set-secret twilio-auth-token');
    return 2;
  }
  // Only the one trailing newline `echo` adds is dropped: secrets may end in spaces.
  const value = (await io.readStdin()).replace(/\r?\n$/, '');
  if (value === '') {
    io.err(`Nothing on standard input: pipe the secret in, e.g. printf %s "$TOKEN" | … --set-secret ${name}`);
    return 2;
  }
  await deps.secrets.set(name, value);
  io.out(`Stored "${name}" in the OS keychain (${value.length} characters).`);
  return 0;
}

async function checkConfig(file: string, config: DeviceConfig, io: CliIo, deps: CliDeps): Promise<number> {
  io.out(`Configuration OK: ${file}`);
  io.out(`  device ${config.deviceName}${config.site ? ` at ${config.site}` : ''}; directory from ${config.directory.source}; texts through ${config.sms.provider}; sync every ${config.syncIntervalMinutes} min`);
  let missing = 0;
  for (const entry of keychainEntriesOf(config)) {
    let present: boolean;
    try {
      present = (await deps.secrets.get(entry.name)) !== null;
    } catch (error) {
      io.err(`The OS keychain cannot be read (${error instanceof Error ? error.message : 'error'}). On Linux, a Secret Service (gnome-keyring) must be running and unlocked.`);
      return 1;
    }
    if (!present) {
      missing += 1;
      io.err(`  missing keychain entry "${entry.name}" (${entry.purpose}): set it with --set-secret ${entry.name}`);
    }
  }
  if (missing > 0) {
    io.err(`${missing} keychain ${missing === 1 ? 'entry is' : 'entries are'} missing; the kiosk cannot sign anyone in until ${missing === 1 ? 'it is' : 'they are'} set.`);
    return 1;
  }
  io.out('  every keychain entry it names is present.');
  return 0;
}

async function diagnostics(target: string, configFile: string, config: DeviceConfig | null, io: CliIo, deps: CliDeps, userDataDir: string, logDir: string): Promise<number> {
  const dbFile = path.join(userDataDir, config ? 'live' : 'demo', 'kiosk.db');
  const db = existsSync(dbFile) ? openDatabase(dbFile) : null;
  let bundle: Record<string, unknown>;
  try {
    bundle = await diagnosticsBundle({ version: deps.version ?? 'unknown', now: (deps.clock ?? systemClock).now(), config, configFile, db, secrets: deps.secrets, logDir });
  } finally {
    db?.close();
  }
  try {
    // Owner-only, never over another file: IT sends it on, nobody else on the machine reads it.
    writeFileSync(target, `${JSON.stringify(bundle, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    io.err(code === 'EEXIST' ? `${target} already exists; choose another file name.` : `Cannot write ${target} (${code ?? 'error'}).`);
    return 1;
  }
  io.out(`Diagnostics written to ${target}: no codes, secrets or full phone numbers in it; send it to whoever supports this kiosk.`);
  return 0;
}

function status(file: string, config: DeviceConfig | null, io: CliIo, userDataDir: string): number {
  const mode = config ? 'live' : 'demo';
  io.out(`Mode: ${config ? `live (configuration ${file})` : `offline demo (no configuration at ${file})`}`);
  if (config) io.out(`Device: ${config.deviceName}${config.site ? ` at ${config.site}` : ''}`);
  const dbFile = path.join(userDataDir, mode, 'kiosk.db');
  if (!existsSync(dbFile)) {
    io.out(`Data: none yet (${dbFile} is created when the kiosk first starts).`);
    return 0;
  }
  const db = openDatabase(dbFile);
  try {
    const stats = new DirectoryRepository(db).counts();
    io.out(`Directory: ${stats.users} users, ${stats.readyPhones} phones ready for sign-in.`);
    if (config) {
      const sync = new SyncStateRepository(db, 'status').lastOutcome();
      io.out(
        sync.lastSuccessAt
          ? `Last successful sync: ${new Date(sync.lastSuccessAt).toISOString()}${sync.lastError ? `; last attempt failed (${sync.lastError.reason})` : ''}`
          : 'Not synced yet.',
      );
      for (const line of providerHealthLines(config, new ProviderHealthRepository(db).all())) io.out(line);
    }
  } finally {
    db.close();
  }
  return 0;
}

/** One line per configured SMS provider: when it last worked, and how often it has failed since. */
function providerHealthLines(config: DeviceConfig, health: ProviderHealth[]): string[] {
  const configured: Array<{ role: ProviderRole; provider: string }> = [{ role: 'primary', provider: config.sms.provider }];
  if (config.sms.fallback) configured.push({ role: 'fallback', provider: config.sms.fallback.provider });
  return configured.map(({ role, provider }) => {
    const name = `SMS provider ${provider}${role === 'fallback' ? ' (fallback)' : ''}`;
    const row = health.find((h) => h.role === role && h.provider === provider);
    if (!row) return `${name}: not used yet.`;
    const lastSuccess = row.lastSuccessAt === null ? 'never worked yet' : `last worked ${new Date(row.lastSuccessAt).toISOString()}`;
    if (row.failuresSinceSuccess === 0) return `${name}: ${lastSuccess}.`;
    const failures = `${row.failuresSinceSuccess} ${row.failuresSinceSuccess === 1 ? 'failure' : 'failures'} since`;
    return `${name}: ${lastSuccess}; ${failures}, the last ${new Date(row.lastFailureAt!).toISOString()} (${row.lastFailureReason}).`;
  });
}
