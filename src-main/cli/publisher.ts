import { parseArgs } from 'node:util';
import { systemClock, type Clock } from '../core/base/clock';
import type { SecretStore } from '../core/secrets/secret-store';
import type { Sleep } from '../core/sync/graph/graph-client';
import { fleetReport } from './fleet-report';
import { loadPublisherConfig, PublisherConfigError } from './publisher-config';
import { publish, PublishRefusedError } from './publisher-run';
import { readSigningKey, SecretFolder } from './publisher-secrets';

/**
 * The fleet's directory publisher: reads Microsoft Graph once for every kiosk and writes
 * signed feeds to a folder that the organisation's usual tool uploads. Built (from
 * publisher-main.ts) to dist/main/publisher.js; run as `frontline-kiosk-publisher` or
 * `npm run publisher --`.
 */

export const PUBLISHER_USAGE = `Usage:
  frontline-kiosk-publisher publish --config <publisher.json> [--full]
      Reads Microsoft Graph (only the changes since the last run, when Graph still has them)
      and writes signed feeds (feed.json, feed.json.jws, deltas/<cursor>.json) to outputDir,
      one folder per site if the configuration has sites. Checks every file as a kiosk would
      first; if any would be refused, publishes nothing and says why (exit code 1).
      --full reads the whole tenant and starts a new chain of deltas.
  frontline-kiosk-publisher check-config --config <publisher.json>
      Checks the configuration, the signing key and the secrets it names.
  frontline-kiosk-publisher fleet-report <folder> [--stale-hours <n>]
      Reads the kiosks' heartbeats (JSON lines, as the audit upload delivered them) from the
      folder's files and lists each kiosk, flagging a directory older than <n> hours
      (default 24) or a failing sync (exit code 1 when any is flagged).`;

export interface PublisherIo {
  out(line: string): void;
  err(line: string): void;
}

export interface PublisherDeps {
  clock?: Clock;
  fetch?: typeof fetch;
  sleep?: Sleep;
  /** Default: the files in the configuration's secretsDir (or $CREDENTIALS_DIRECTORY). */
  secrets?: SecretStore;
  env?: NodeJS.ProcessEnv;
}

const consoleIo: PublisherIo = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) };

/** Runs one command; resolves with the exit code (0 done, 1 refused or flagged, 2 usage). */
export async function runPublisher(argv: readonly string[], io: PublisherIo = consoleIo, deps: PublisherDeps = {}): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { config: { type: 'string' }, full: { type: 'boolean' }, 'stale-hours': { type: 'string' }, help: { type: 'boolean' } },
    });
  } catch (error) {
    io.err(`publisher: ${error instanceof Error ? error.message : String(error)}\n\n${PUBLISHER_USAGE}`);
    return 2;
  }
  const [command, ...rest] = args.positionals;
  const clock = deps.clock ?? systemClock;
  if (args.values.help || command === 'help') {
    io.out(PUBLISHER_USAGE);
    return 0;
  }
  try {
    switch (command) {
      case 'publish':
      case 'check-config': {
        if (!args.values.config) throw new PublisherConfigError('--config <publisher.json> is required.');
        const config = loadPublisherConfig(args.values.config);
        const signingKey = readSigningKey(config.signingKeyFile);
        const secretsDir = config.secretsDir ?? (deps.env ?? process.env).CREDENTIALS_DIRECTORY;
        const secrets = deps.secrets ?? (secretsDir ? new SecretFolder(secretsDir) : null);
        if (!secrets) throw new PublisherConfigError('set secretsDir in the configuration (or run under systemd with LoadCredential=, which sets $CREDENTIALS_DIRECTORY).');
        const named = [config.graph.clientSecret, config.graph.certificate?.privateKeySecret].filter((name): name is string => name !== undefined);
        for (const name of named) if ((await secrets.get(name)) === null) throw new PublisherConfigError(`the secret "${name}" that graph names is missing${secretsDir ? ` from ${secretsDir}` : ''}.`);
        if (command === 'check-config') {
          io.out(`Configuration OK: ${config.sites ? `${config.sites.length} site feeds` : 'one feed'} into ${config.outputDir}; the signing key and ${named.length} secret${named.length === 1 ? '' : 's'} are readable.`);
          return 0;
        }
        const outcome = await publish(config, { full: args.values.full }, { secrets, clock, signingKey, fetch: deps.fetch, sleep: deps.sleep, warn: (line) => io.err(`warning: ${line}`) });
        io.out(`Read Microsoft Graph: ${outcome.graphRead === 'full' ? 'the whole tenant' : 'the changes since the last run'}; feeds generated at ${outcome.generatedAt}.`);
        for (const feed of outcome.feeds) {
          const where = feed.name === '' ? config.outputDir : `${config.outputDir}/${feed.name}`;
          if (feed.written === 'unchanged') io.out(`  ${where}: unchanged (cursor ${feed.cursor}, ${feed.users} users); nothing rewritten.`);
          else if (feed.since) io.out(`  ${where}: snapshot and delta since ${feed.since} → cursor ${feed.cursor}: ${feed.users} users, ${feed.changedUsers} changed, ${feed.removedUsers} removed.`);
          else io.out(`  ${where}: snapshot, cursor ${feed.cursor}: ${feed.users} users.`);
        }
        return 0;
      }
      case 'fleet-report': {
        if (rest.length !== 1) throw new PublisherConfigError('fleet-report needs one folder of heartbeat files.');
        const hours = args.values['stale-hours'] === undefined ? 24 : Number(args.values['stale-hours']);
        if (!Number.isFinite(hours) || hours <= 0) throw new PublisherConfigError('--stale-hours must be a positive number of hours.');
        const report = fleetReport(rest[0]!, { now: clock.now(), staleHours: hours });
        report.lines.forEach((line) => io.out(line));
        return report.flagged > 0 ? 1 : 0;
      }
      default:
        io.err(command ? `publisher: unknown command "${command}".\n\n${PUBLISHER_USAGE}` : PUBLISHER_USAGE);
        return 2;
    }
  } catch (error) {
    if (error instanceof PublishRefusedError) {
      io.err(`publisher: published nothing (${error.reason}): ${error.message}`);
      return 1;
    }
    if (error instanceof PublisherConfigError) {
      io.err(`publisher: ${error.message}`);
      return 2;
    }
    io.err(`publisher ${command}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
