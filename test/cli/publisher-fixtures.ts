import { createHash, generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runPublisher } from '../../src-main/cli/publisher';
import { startLoopbackServer, type LoopbackServer } from '../core/sms/loopback-server';
import { startGraphStandIn, StandInDirectory, type GraphStandIn, type StandInUser } from '../core/sync/graph/graph-stand-in';
import type { FakeClock } from '../fakes';

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const CLIENT = '4a1b2c3d-5e6f-4a8b-9c0d-1e2f3a4b5c6d';
export const CLIENT_SECRET = 'kX8~publisher-stand-in-secret.Qw3';

export const gid = (n: number) => `9a0e7c1d-0000-4000-a000-${String(n).padStart(12, '0')}`;
export const uid = (n: number) => `5b2f8e4a-0000-4000-b000-${String(n).padStart(12, '0')}`;
export const STORE = gid(1);
export const WAREHOUSE = gid(2);

/** `+1 206555xxxx`, as Graph spells a number. */
export const numberOf = (n: number) => `+1 206${String(5_550_000 + n).padStart(7, '0')}`;

export function person(n: number, domain = 'contoso.example'): StandInUser {
  return {
    id: uid(n),
    displayName: `Worker ${n}`,
    userPrincipalName: `worker${n}@${domain}`,
    accountEnabled: true,
    phoneMethods: [{ id: `3179e48a-750b-4051-897c-${String(n).padStart(12, '0')}`, phoneNumber: numberOf(n), phoneType: 'mobile', smsSignInState: 'ready' }],
  };
}

/**
 * A tenant of `stores` users in Store Associates (signing in at the store, `@store.contoso.example`)
 * and `warehouse` in Warehouse Team (`@warehouse.contoso.example`); SMS sign-in for all users.
 */
export function tenant(stores: number, warehouse: number): StandInDirectory {
  const directory = new StandInDirectory();
  const storeIds: string[] = [];
  const warehouseIds: string[] = [];
  for (let n = 1; n <= stores + warehouse; n++) {
    const inStore = n <= stores;
    directory.putUser(person(n, inStore ? 'store.contoso.example' : 'warehouse.contoso.example'));
    (inStore ? storeIds : warehouseIds).push(uid(n));
  }
  directory.groups.set(STORE, { displayName: 'Store Associates', members: storeIds });
  directory.groups.set(WAREHOUSE, { displayName: 'Warehouse Team', members: warehouseIds });
  directory.roles.set('role-ga', { displayName: 'Global Administrator', members: [] });
  return directory;
}

export interface PublisherSetup {
  dir: string;
  configFile: string;
  outputDir: string;
  publicPem: string;
}

/** Writes a signing key, the client secret and a configuration, as IT would on the publisher's server. */
export function writePublisherSetup(dir: string, standIn: GraphStandIn, extra: Record<string, unknown> = {}): PublisherSetup {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  mkdirSync(path.join(dir, 'secrets'), { recursive: true, mode: 0o700 });
  const keyFile = path.join(dir, 'secrets', 'feed-signing.pem');
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  const secretFile = path.join(dir, 'secrets', 'graph-client-secret');
  writeFileSync(secretFile, `${CLIENT_SECRET}\n`, { mode: 0o600 });
  chmodSync(secretFile, 0o600);
  const config = {
    graph: {
      tenantId: TENANT,
      clientId: CLIENT,
      clientSecret: 'graph-client-secret',
      groupIds: [STORE, WAREHOUSE],
      kioskSettings: { defaultCountry: 'US', organizationName: 'Contoso' },
      ...standIn.endpoints,
    },
    signingKeyFile: 'secrets/feed-signing.pem',
    secretsDir: 'secrets',
    outputDir: 'out',
    stateDir: 'state',
    ...extra,
  };
  const configFile = path.join(dir, 'publisher.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  return { dir, configFile, outputDir: path.join(dir, 'out'), publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export async function startTenant(directory: StandInDirectory, pageSize = 100): Promise<GraphStandIn> {
  return startGraphStandIn(directory, { clientSecret: CLIENT_SECRET }, { tenantId: TENANT, clientId: CLIENT, pageSize });
}

export interface RunResult {
  code: number;
  out: string[];
  err: string[];
  sleeps: number[];
}

export async function runPublish(setup: PublisherSetup, clock: FakeClock, args: string[] = []): Promise<RunResult> {
  const out: string[] = [];
  const err: string[] = [];
  const sleeps: number[] = [];
  const code = await runPublisher(['publish', '--config', setup.configFile, ...args], { out: (line) => out.push(line), err: (line) => err.push(line) }, {
    clock,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  });
  return { code, out, err, sleeps };
}

/**
 * The output folder served as an IT team would host it: static files with strong ETags and
 * 304s, and, as the nginx rule in docs/fleet.md does, `?since=<cursor>` answered with
 * `deltas/<cursor>.json` (and its `.jws`) when the publisher left one, else the snapshot.
 */
export async function serveFolder(folder: string): Promise<LoopbackServer & { url(site?: string): string }> {
  const server = await startLoopbackServer((request, response) => {
    const url = new URL(request.path, 'http://feeds.test');
    const since = url.searchParams.get('since');
    let file = path.join(folder, decodeURIComponent(url.pathname));
    if (!file.startsWith(folder)) return void response.writeHead(404).end();
    const name = path.basename(file);
    if (since && /^[A-Za-z0-9-]+$/.test(since) && (name === 'feed.json' || name === 'feed.json.jws')) {
      const delta = path.join(path.dirname(file), 'deltas', name === 'feed.json' ? `${since}.json` : `${since}.json.jws`);
      if (existsSync(delta)) file = delta;
    }
    if (!existsSync(file)) return void response.writeHead(404).end();
    const body = readFileSync(file);
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    if (request.headers['if-none-match'] === etag) return void response.writeHead(304, { ETag: etag }).end();
    response.writeHead(200, { 'Content-Type': 'application/json', ETag: etag }).end(body);
  });
  return { ...server, url: (site) => `${server.origin}/${site ? `${site}/` : ''}feed.json` };
}
