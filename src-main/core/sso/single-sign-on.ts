import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { interactionPolicy, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { JWK } from 'jose';
import type { Clock, Scheduler } from '../base/clock';
import type { Logger } from '../base/log';
import type { AuditLog } from '../idp/audit-log';
import type { RandomSource } from '../base/random';
import type { KioskSettings } from '../directory/directory-snapshot';
import { loadOrCreateKey, type SecretStore } from '../secrets/secret-store';
import type { LogoutOutboxRepository } from '../store/logout-outbox-repository';
import type { OidcRepository } from '../store/oidc-repository';
import { acrFor, KIOSK_ACR, KIOSK_ACR_OTP } from './authentication-context';
import { ssoRoutes } from './issuer-documents';
import { clientMetadataFor } from './relying-parties';
import { LONGEST_TOKEN_SECONDS, loadOrCreateSigningKey, loadSigningKeys, publicJwk } from './signing-key';
import { sqliteAdapter } from './sqlite-adapter';
import type { SignedInWorker } from '../idp/signed-in-worker';

export type { SignedInWorker } from '../idp/signed-in-worker';

/** Keys the provider's cookies (its session and interaction cookies) are signed with. */
export const SSO_COOKIE_KEY = 'sso-cookie-key';


export interface SingleSignOnDeps {
  records: OidcRepository;
  outbox: LogoutOutboxRepository;
  /** Runs `work` in one SQLite transaction. */
  transaction: <T>(work: () => T) => T;
  secrets: SecretStore;
  clock: Clock;
  scheduler: Scheduler;
  random: RandomSource;
  log: Logger;
  /** App sign-ins and back-channel logouts are recorded for IT: who, which app, never a code or token. */
  audit: Pick<AuditLog, 'record'>;
  settings: () => KioskSettings;
  /** Who the device session has signed in; null on the keypad. Wired by kiosk.ts. */
  signedIn: () => SignedInWorker | null;
}

/** The provider as an HTTP handler, for the preview host or the Electron shell to route to. */
export interface OidcEndpoint {
  /** The issuer identifier: every token's `iss`, and discovery's `issuer`. */
  readonly issuer: string;
  /** Answers a request whose path is under the issuer's path. */
  handle(request: IncomingMessage, response: ServerResponse): void;
}

/** oidc-provider's Client method that makes, signs and POSTs a logout token. */
interface BackChannelClient {
  backchannelLogout(sub: string, sid: string): Promise<void>;
}

/** ID and access tokens never outlive the session; an hour at most even in a long one (what a retired key outlasts). */
const MAX_TOKEN_SECONDS = LONGEST_TOKEN_SECONDS;
/** Back-channel logout retries: 30 s, doubling, at most 15 min apart (the kiosk may be offline for hours). */
const RETRY_FIRST_MS = 30_000;
const RETRY_MAX_MS = 15 * 60_000;

/**
 * Single sign-on for the apps on the home screen: oidc-provider (OpenID Certified) with
 * its records in the kiosk's SQLite and its signing key in the keychain. The kiosk session
 * is the authentication: an authorization request completes without any page while a
 * worker is signed in (consent is granted by policy) and fails with `login_required`
 * while nobody is. There is no login page inside. When the session ends, every grant and
 * token ends with it, and apps that asked for it are told by back-channel logout.
 *
 * Time: everything the kiosk decides comes from the injected clock — how long a token may
 * live (the session's remaining time), when a record expires (the SQLite adapter), the
 * worker's `auth_time`, logout retries and retired keys. oidc-provider has no clock
 * option: it stamps `iat`/`exp` and checks `max_age` and its own models' `exp` with
 * `Date.now()`. In the kiosk the injected clock is the system clock, so the two agree;
 * tests start their fake clock at `Date.now()` and only move it forward, so the kiosk's
 * own expiry always comes first.
 */
export class SingleSignOn {
  private provider: Provider | null = null;
  private callback: ReturnType<Provider['callback']> | null = null;
  private cookieKey = '';
  private cancelKeyExpiry: (() => void) | null = null;
  private endpointIssuer = '';
  private pagesBase = '';
  private delivering: Promise<void> | null = null;
  private cancelRetry: (() => void) | null = null;
  private disposed = false;

  constructor(private readonly deps: SingleSignOnDeps) {}

  /** This kiosk's public signing key, for the organisation's JWKS (made on first use). */
  async publicKey(): Promise<JWK> {
    return publicJwk(await loadOrCreateSigningKey(this.deps.secrets));
  }

  /**
   * The provider at `issuer`. Built once per run: the preview host names its own origin +
   * `/oidc`, the Electron shell the configured (or demo) issuer.
   *
   * @param pagesBase where the kiosk serves its built-in pages, for their redirect URIs.
   */
  async endpoint(issuer: string, pagesBase: string): Promise<OidcEndpoint> {
    if (this.provider) {
      if (issuer !== this.endpointIssuer) throw new Error(`The single sign-on issuer is already ${this.endpointIssuer}.`);
    } else {
      // The keys are read (or made) only here, so a kiosk that never serves apps never makes one.
      const { keys, nextExpiry } = await loadSigningKeys(this.deps.secrets, this.deps.clock.now());
      this.cookieKey = (await loadOrCreateKey(this.deps.secrets, SSO_COOKIE_KEY, this.deps.random)).toString('base64url');
      this.endpointIssuer = issuer;
      this.pagesBase = pagesBase.replace(/\/$/, '');
      this.install(keys, nextExpiry);
      void this.deliverLogouts();
    }
    const mountPath = new URL(issuer).pathname.replace(/\/$/, '');
    return {
      issuer,
      handle: (request, response) => {
        // Read per request: the provider is rebuilt when a retired signing key runs out.
        const provider = this.provider!;
        const callback = this.callback!;
        const target = request.url ?? '/';
        const path = target.split('?')[0]!;
        if (mountPath && path !== mountPath && !path.startsWith(`${mountPath}/`)) {
          response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found.');
          return;
        }
        const interaction = /^\/interaction\/([A-Za-z0-9_-]{1,64})$/.exec(path.slice(mountPath.length));
        if (interaction) {
          this.finishInteraction(provider, request, response, interaction[1]!).catch((error: unknown) => {
            this.deps.log.warn('single sign-on interaction failed', { error: error instanceof Error ? error.name : 'unknown' });
            if (!response.headersSent) {
              response.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
            }
            response.end('This sign-in has expired. Open the app again from the kiosk home screen.');
          });
          return;
        }
        // Mounted under the issuer's path: the provider routes on the rest and reads its
        // mount point from originalUrl, as under any framework that mounts it.
        Object.assign(request, { originalUrl: target, url: target.slice(mountPath.length) || '/' });
        void callback(request, response);
      },
    };
  }

  /**
   * The kiosk session ended, for any reason: every session, grant, code and token the
   * provider issued ends now (synchronously, before the shell wipes), and each app that
   * registered a back-channel logout URI is owed a logout token: queued first, then sent
   * in the background, so an offline kiosk delivers it later.
   */
  sessionEnded(): void {
    const now = this.deps.clock.now();
    this.deps.transaction(() => {
      for (const session of this.deps.records.payloads('Session')) {
        const subject = typeof session.accountId === 'string' ? session.accountId : null;
        const authorizations = (session.authorizations ?? {}) as Record<string, { sid?: string }>;
        for (const [clientId, { sid }] of Object.entries(authorizations)) {
          if (subject && sid && this.clientFor(clientId)?.backchannel_logout_uri) this.deps.outbox.enqueue(clientId, subject, sid, now);
        }
      }
      this.deps.records.clear();
    });
    void this.deliverLogouts();
  }

  /** Sends the logout tokens that are due; what fails is retried later, with backoff. */
  deliverLogouts(): Promise<void> {
    this.delivering ??= this.deliverDue()
      .catch((error: unknown) => {
        if (!this.disposed) this.deps.log.error('back-channel logout delivery failed', { error: error instanceof Error ? error.message : 'unknown' });
      })
      .finally(() => {
        this.delivering = null;
        if (!this.disposed) this.scheduleRetry();
      });
    return this.delivering;
  }

  /** Logout tokens still owed to apps. */
  owedLogouts(): number {
    return this.deps.outbox.count();
  }

  /** The kiosk is shutting down: no more deliveries (what is owed stays owed). */
  dispose(): void {
    this.disposed = true;
    this.cancelRetry?.();
    this.cancelRetry = null;
    this.cancelKeyExpiry?.();
    this.cancelKeyExpiry = null;
  }

  /**
   * The provider over `keys` (oidc-provider's keystore is fixed once it is made): made
   * again, over the same records, when the next retired key runs out, so the JWKS stops
   * publishing it while the kiosk runs on.
   */
  private install(keys: JWK[], nextExpiry: number | null): void {
    this.provider = this.createProvider(this.endpointIssuer, keys, this.cookieKey);
    this.callback = this.provider.callback();
    this.cancelKeyExpiry?.();
    this.cancelKeyExpiry =
      nextExpiry === null
        ? null
        : this.deps.scheduler.after(Math.max(0, nextExpiry - this.deps.clock.now()), () => {
            loadSigningKeys(this.deps.secrets, this.deps.clock.now())
              .then(({ keys: left, nextExpiry: next }) => {
                if (!this.disposed) this.install(left, next);
              })
              .catch((error: unknown) => this.deps.log.error('could not drop a retired single sign-on key', { error: error instanceof Error ? error.name : 'unknown' }));
          });
  }

  private async deliverDue(): Promise<void> {
    const provider = this.provider;
    if (!provider) return;
    for (const owed of this.deps.outbox.due(this.deps.clock.now())) {
      if (this.disposed) return;
      const client = await provider.Client.find(owed.clientId).catch(() => undefined);
      if (!client?.backchannelLogoutUri) {
        this.deps.outbox.remove(owed.id);
        continue;
      }
      try {
        // oidc-provider makes and signs the logout token (events, sid, sub; no nonce) now,
        // at delivery: it lives two minutes, so it cannot be made at sign-out and kept.
        await (client as unknown as BackChannelClient).backchannelLogout(owed.subject, owed.sid);
        if (this.disposed) return;
        this.deps.outbox.remove(owed.id);
        this.deps.audit.record({ type: 'sso.backchannelLogout', outcome: 'success', userId: owed.subject, details: { clientId: owed.clientId } });
      } catch {
        if (this.disposed) return;
        const wait = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** owed.attempts);
        this.deps.outbox.retryAt(owed.id, this.deps.clock.now() + wait);
        this.deps.audit.record({
          type: 'sso.backchannelLogout',
          outcome: 'failure',
          reason: 'notDelivered',
          userId: owed.subject,
          details: { clientId: owed.clientId, attempts: owed.attempts + 1 },
        });
        this.deps.log.warn('back-channel logout not delivered; will retry', { clientId: owed.clientId, attempts: owed.attempts + 1 });
      }
    }
  }

  private scheduleRetry(): void {
    this.cancelRetry?.();
    this.cancelRetry = null;
    const next = this.provider ? this.deps.outbox.nextAttemptAt() : null;
    if (next === null) return;
    this.cancelRetry = this.deps.scheduler.after(Math.max(0, next - this.deps.clock.now()), () => void this.deliverLogouts());
  }

  private clientFor(clientId: string) {
    for (const app of this.deps.settings().apps) {
      if (app.oidc?.clientId === clientId) return clientMetadataFor(app, this.pagesBase);
    }
    return undefined;
  }

  /** Seconds the signed-in session has left (at least 1: a lifetime must be positive). */
  private remainingSeconds(): number {
    const worker = this.deps.signedIn();
    return worker ? Math.max(1, Math.floor((worker.endsAt - this.deps.clock.now()) / 1000)) : 1;
  }

  /**
   * No page to show: the kiosk session answers the login prompt. Signed in, the login is
   * the session's worker, with how and when they signed in; nobody signed in, the app
   * gets `login_required` at its redirect URI.
   */
  private async finishInteraction(provider: Provider, request: IncomingMessage, response: ServerResponse, uid: string): Promise<void> {
    const details = await provider.interactionDetails(request, response);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    const worker = this.deps.signedIn();
    const clientId = String(details.params.client_id);
    const result = worker
      ? {
          login: { accountId: worker.userId, acr: acrFor(worker.amr), amr: [...worker.amr], ts: Math.floor(worker.startedAt / 1000), remember: false },
          // Even an app that asks for consent again (prompt=consent) gets policy's answer.
          consent: { grantId: await this.grantFor(provider, clientId, worker.userId, details.grantId) },
        }
      : { error: 'login_required', error_description: 'Nobody is signed in at the kiosk.' };
    await provider.interactionFinished(request, response, result, { mergeWithLastSubmission: false });
  }

  /** The app's grant (made if need be) holding every scope its registration allows; its id. */
  private async grantFor(provider: Provider, clientId: string, accountId: string, grantId?: string): Promise<string> {
    const existing = grantId ? await provider.Grant.find(grantId) : undefined;
    const grant = existing?.accountId === accountId && existing.clientId === clientId ? existing : new provider.Grant({ clientId, accountId });
    grant.addOIDCScope(this.clientFor(clientId)?.scope ?? 'openid');
    return grant.save();
  }

  private createProvider(issuer: string, signingKeys: JWK[], cookieKey: string): Provider {
    const { signedIn, log } = this.deps;
    const remaining = () => this.remainingSeconds();
    const tokenSeconds = () => Math.min(MAX_TOKEN_SECONDS, remaining());

    const policy = interactionPolicy.base();
    // A provider session belongs to one kiosk session: once that ends (or another worker
    // signs in), the app's cookie no longer signs anyone in.
    policy.get('login')!.checks.add(
      new interactionPolicy.Check('kiosk_session_ended', 'the kiosk session this sign-in belonged to has ended', 'login_required', (ctx) => {
        const { session } = ctx.oidc;
        if (!session?.accountId) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
        const worker = signedIn();
        const current = worker && worker.userId === session.accountId && session.loginTs === Math.floor(worker.startedAt / 1000);
        return current ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT;
      }),
    );

    const configuration: Configuration = {
      adapter: sqliteAdapter(this.deps.records, this.deps.clock, (id) => this.clientFor(id)),
      // The current key signs; retired ones only verify, published until their tokens have expired.
      jwks: { keys: signingKeys },
      cookies: {
        keys: [cookieKey],
        long: { httpOnly: true, sameSite: 'lax' },
        short: { httpOnly: true, sameSite: 'lax' },
      },
      scopes: ['openid', 'profile', 'phone', 'groups'],
      // No offline_access scope: no refresh token is ever issued, so none outlives the session.
      claims: {
        // How and how strongly the worker signed in goes to every app, with who they are.
        openid: ['sub', 'acr', 'amr', 'auth_time', 'sid'],
        iss: null,
        profile: ['name'],
        phone: ['phone_number', 'phone_number_verified'],
        groups: ['groups'],
      },
      acrValues: [KIOSK_ACR, KIOSK_ACR_OTP],
      // The claims the scopes grant go in the ID token too, so an app needs no userinfo call.
      conformIdTokenClaims: false,
      responseTypes: ['code', 'id_token'],
      routes: { authorization: ssoRoutes.authorization, token: ssoRoutes.token, userinfo: ssoRoutes.userinfo, revocation: ssoRoutes.revocation, jwks: ssoRoutes.jwks },
      // Only what the kiosk's clients use: public clients, so no client authentication method but none.
      clientAuthMethods: ['none'],
      // Every client is public and every code flow uses PKCE (RFC 9700 §2.1.1).
      pkce: { required: () => true },
      findAccount: (_ctx, accountId) => {
        const worker = signedIn();
        if (!worker || worker.userId !== accountId) return undefined;
        return {
          accountId,
          claims: () => ({
            sub: accountId,
            name: worker.displayName,
            groups: [...worker.groupIds],
            phone_number: worker.phoneNumber,
            phone_number_verified: true,
          }),
        };
      },
      // Consent is policy's: an app gets every scope its registration allows, with no page.
      loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
        const { client, session, provider } = ctx.oidc;
        if (!client || !session?.accountId) return undefined;
        const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
        return provider.Grant.find(await this.grantFor(provider, client.clientId, session.accountId, grantId));
      },
      interactions: { policy, url: (_ctx, interaction) => `${new URL(issuer).pathname.replace(/\/$/, '')}/interaction/${interaction.uid}` },
      ttl: {
        AuthorizationCode: 60,
        Interaction: 60,
        AccessToken: tokenSeconds,
        IdToken: tokenSeconds,
        Grant: remaining,
        Session: remaining,
      },
      features: {
        // No login page: the kiosk session is the only way to authenticate.
        devInteractions: { enabled: false },
        // The kiosk's Sign out ends sessions; an app cannot sign the worker out of the kiosk.
        rpInitiatedLogout: { enabled: false },
        backchannelLogout: { enabled: true },
        revocation: { enabled: true },
        userinfo: { enabled: true },
      },
      // Back-channel logout URIs come from the organisation's signed policy, often servers
      // on the site's own network, so the private-address guard for untrusted URLs is off.
      fetch: (url, options) => fetch(url, { ...options, dispatcher: undefined } as RequestInit),
      renderError: (ctx, out) => {
        ctx.type = 'text/plain; charset=utf-8';
        ctx.body = `Single sign-on refused this request: ${String(out.error)}${out.error_description ? ` (${String(out.error_description)})` : ''}.`;
      },
    };
    const provider = new Provider(issuer, configuration);
    provider.on('server_error', (_ctx, error) => log.error('single sign-on server error', { error: error.message }));
    this.auditSignIns(provider);
    return provider;
  }

  /**
   * App sign-ins for the audit log, from oidc-provider's events (docs/events.md): the
   * authorization endpoint's answer (a code, or a form_post ID token) and the token
   * endpoint's, each refused one with its OAuth error code. Only the app, the worker and
   * the step are kept: never a code, token, state, nonce or session id.
   */
  private auditSignIns(provider: Provider): void {
    const { audit } = this.deps;
    const clientOf = (ctx: KoaContextWithOIDC) => ctx.oidc?.client?.clientId ?? (typeof ctx.oidc?.params?.client_id === 'string' ? ctx.oidc.params.client_id : 'unknown');
    const userOf = (ctx: KoaContextWithOIDC) => ctx.oidc?.account?.accountId ?? ctx.oidc?.session?.accountId ?? null;
    const details = (ctx: KoaContextWithOIDC, step: 'authorization' | 'token') => ({
      clientId: clientOf(ctx).slice(0, 128),
      step,
      ...(step === 'authorization' && typeof ctx.oidc?.params?.response_type === 'string' && { responseType: ctx.oidc.params.response_type.slice(0, 32) }),
    });
    provider.on('authorization.success', (ctx: KoaContextWithOIDC) =>
      audit.record({
        type: 'sso.signIn',
        outcome: 'success',
        reason: ctx.oidc?.params?.response_type === 'id_token' ? 'idTokenIssued' : 'codeIssued',
        userId: userOf(ctx),
        details: details(ctx, 'authorization'),
      }),
    );
    provider.on('grant.success', (ctx: KoaContextWithOIDC) =>
      audit.record({ type: 'sso.signIn', outcome: 'success', reason: 'tokensIssued', userId: userOf(ctx), details: details(ctx, 'token') }),
    );
    const refused = (step: 'authorization' | 'token') => (ctx: KoaContextWithOIDC, error: { error?: unknown }) =>
      audit.record({ type: 'sso.signIn', outcome: 'failure', reason: oauthError(error), userId: userOf(ctx), details: details(ctx, step) });
    provider.on('authorization.error', refused('authorization'));
    provider.on('grant.error', refused('token'));
  }
}

/** An OAuth error code (RFC 6749 §5.2: ASCII letters and underscores), or `other`. */
function oauthError(error: { error?: unknown }): string {
  return typeof error?.error === 'string' && /^[a-z_]{1,64}$/.test(error.error) ? error.error : 'other';
}
