import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';
import { silentLogger } from '../../../src-main/core/base/log';
import { cryptoRandom } from '../../../src-main/core/base/random';
import { defaultAuditRetention } from '../../../src-main/core/directory/directory-snapshot';
import { AuditLog } from '../../../src-main/core/idp/audit-log';
import { phoneKeyer } from '../../../src-main/core/idp/phone-key';
import { kioskSettingsSchema, type KioskSettings } from '../../../src-main/core/directory/directory-snapshot';
import { MemorySecretStore } from '../../../src-main/core/secrets/memory-secret-store';
import type { SecretStore } from '../../../src-main/core/secrets/secret-store';
import { SingleSignOn, type SignedInWorker } from '../../../src-main/core/sso/single-sign-on';
import { openKioskStore, type KioskStore } from '../../../src-main/core/store/kiosk-store';
import { FakeClock, tempDir } from '../../fakes';

export const ALEX: SignedInWorker = {
  sessionId: 'session-1',
  userId: 'u-alex',
  displayName: 'Alex Rivera',
  groupIds: ['grp-store'],
  phoneNumber: '+12065550100',
  startedAt: 0,
  endsAt: 0,
  amr: ['sms'],
};

/** An app as an organisation registers it: a single-page app (code + PKCE) at an https origin. */
export const SPA_CALLBACK = 'https://shifts.contoso.example/callback';
export const SERVER_CALLBACK = 'https://hr.contoso.example/oidc/callback';

export interface SsoHarness {
  sso: SingleSignOn;
  store: KioskStore;
  /** What the provider recorded for IT. */
  audit: AuditLog;
  clock: FakeClock;
  issuer: string;
  origin: string;
  /** Signs a worker in at the kiosk, the session lasting `seconds`, proved by `amr`. */
  signIn(seconds?: number, amr?: SignedInWorker['amr']): SignedInWorker;
  /** The kiosk session ends: what kiosk.ts does before the shell wipes. */
  signOut(): Promise<void>;
  setApps(apps: KioskSettings['apps']): void;
  /** An independent relying party (openid-client) configured from discovery. */
  relyingParty(clientId: string): Promise<client.Configuration>;
  close(): Promise<void>;
}

export function settingsWith(apps: unknown[], backchannelLogoutUri?: string): KioskSettings {
  return kioskSettingsSchema.parse({
    defaultCountry: 'US',
    organizationName: 'Contoso',
    apps: apps.length
      ? apps
      : [
          { id: 'app-shifts', name: 'Shifts', url: 'https://shifts.contoso.example/', groupIds: ['all_users'],
            oidc: { clientId: 'shifts', redirectUris: [SPA_CALLBACK], scopes: ['openid', 'profile', 'groups'], ...(backchannelLogoutUri && { backchannelLogoutUri }) } },
          { id: 'app-hr', name: 'HR', url: 'https://hr.contoso.example/', groupIds: ['all_users'],
            oidc: { clientId: 'hr', responseType: 'id_token', redirectUris: [SERVER_CALLBACK], scopes: ['openid', 'profile', 'phone'] } },
        ],
  });
}

/**
 * The provider on a real SQLite file, served over real HTTP on 127.0.0.1 at
 * `<origin>/oidc`, with the device session stood in for by `signIn`/`signOut`.
 */
export async function openSso(options: { dataDir?: string; secrets?: SecretStore; settings?: KioskSettings; clock?: FakeClock } = {}): Promise<SsoHarness> {
  const temp = options.dataDir ? undefined : tempDir();
  const dataDir = options.dataDir ?? temp!.dir;
  const store = openKioskStore(dataDir);
  const clock = options.clock ?? new FakeClock(Date.now());
  const secrets = options.secrets ?? new MemorySecretStore();
  let settings = options.settings ?? settingsWith([]);
  let worker: SignedInWorker | null = null;
  const audit = new AuditLog(store.auditEvents, clock, phoneKeyer(Buffer.alloc(32, 7)), () => defaultAuditRetention);
  const sso = new SingleSignOn({
    records: store.oidc,
    outbox: store.logoutOutbox,
    transaction: store.transaction,
    audit,
    secrets,
    clock,
    scheduler: clock,
    random: cryptoRandom,
    log: silentLogger,
    settings: () => settings,
    signedIn: () => worker,
  });
  let handle: RequestListener = (_request, response) => response.end();
  const server: Server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${origin}/oidc`;
  const endpoint = await sso.endpoint(issuer, origin);
  handle = endpoint.handle;
  const harness: SsoHarness = {
    sso,
    store,
    audit,
    clock,
    issuer,
    origin,
    signIn(seconds = 3600, amr = ALEX.amr) {
      const now = clock.now();
      worker = { ...ALEX, startedAt: now, endsAt: now + seconds * 1000, amr };
      return worker;
    },
    async signOut() {
      worker = null;
      sso.sessionEnded();
      await sso.deliverLogouts();
    },
    setApps(apps) {
      settings = { ...settings, apps };
    },
    relyingParty: (clientId) => client.discovery(new URL(issuer), clientId, undefined, client.None(), { execute: [client.allowInsecureRequests] }),
    async close() {
      sso.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.close();
      if (!options.dataDir) temp?.remove();
    },
  };
  return harness;
}

/** A browser's cookie jar, just enough to follow the provider's redirects. */
export class Browser {
  private readonly cookies = new Map<string, string>();

  /** `send` is how requests leave the browser: the network, unless a test routes them elsewhere. */
  constructor(private readonly send: typeof fetch = fetch) {}

  /** GET `url`, following redirects inside `origin` until one leaves it; returns the last response. */
  async navigate(url: string | URL, origin: string): Promise<{ url: string; status: number; body: string }> {
    let current = new URL(url);
    for (let hop = 0; hop < 10; hop += 1) {
      const response = await this.send(current, { redirect: 'manual', headers: { cookie: this.cookieHeader() } });
      for (const cookie of response.headers.getSetCookie()) {
        const [pair] = cookie.split(';');
        const [name, ...value] = pair!.split('=');
        if (/expires=Thu, 01 Jan 1970/i.test(cookie)) this.cookies.delete(name!);
        else this.cookies.set(name!, value.join('='));
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        const next = new URL(location, current);
        if (next.origin !== origin) return { url: next.href, status: response.status, body: '' };
        current = next;
        continue;
      }
      return { url: current.href, status: response.status, body: await response.text() };
    }
    throw new Error('too many redirects');
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** Starts code + PKCE for `clientId`; returns what the app keeps and the URL it opens. */
export async function codeRequest(config: client.Configuration, extra: Record<string, string> = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: SPA_CALLBACK,
    scope: 'openid profile groups',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  return { url, verifier, state, nonce };
}
