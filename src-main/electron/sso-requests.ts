import type { Session } from 'electron';
import type { Logger } from '../core/base/log';
import type { KioskSetup } from '../core/kiosk';
import { DEMO_SSO_ISSUER, DEMO_SSO_ORIGIN, isIssuerRequest, providerBridge } from '../core/sso/issuer-bridge';
import type { OidcEndpoint } from '../core/sso/single-sign-on';
import { isBuiltInAppUrl, serveBuiltInApps } from './app-protocol';

/** The issuer the app partitions reach in memory, and how a request to it is answered. */
export interface PartitionIssuer {
  readonly issuer: string;
  /** `cookies`: the partition's cookies for the request's URL, as a `Cookie` header value. */
  answer(request: Request, cookies: string): Promise<Response>;
}

/** Where an https request from an app partition goes. */
export type HttpsRoute = 'built-in page' | 'issuer' | 'refused' | 'web';

/**
 * The issuer the shell serves in the app partitions: the demo's fixed one, or the
 * configured `sso.issuer`; none when a live kiosk names none.
 */
export function partitionIssuerOf(setup: KioskSetup): string | null {
  return setup.mode === 'demo' ? DEMO_SSO_ISSUER : (setup.config.sso?.issuer ?? null);
}

/**
 * The provider behind the issuer, made on the first request that needs it, so a kiosk
 * whose apps never sign in never makes a signing key.
 */
export function partitionIssuer(issuer: string, open: () => Promise<OidcEndpoint>): PartitionIssuer {
  let bridge: Promise<ReturnType<typeof providerBridge>> | null = null;
  return {
    issuer,
    answer: async (request, cookies) => {
      if (!bridge) {
        bridge = open().then(providerBridge);
        // A provider that failed to start is tried again on the next request.
        bridge.catch(() => (bridge = null));
      }
      return (await bridge)(request, cookies);
    },
  };
}

/** Built-in pages and the issuer are answered here; the demo origin answers nothing else; the rest is the web. */
export function httpsRouteOf(url: string, issuer: string | null): HttpsRoute {
  if (isBuiltInAppUrl(url)) return 'built-in page';
  if (issuer && isIssuerRequest(url, issuer)) return 'issuer';
  return isIssuerRequest(url, DEMO_SSO_ORIGIN) ? 'refused' : 'web';
}

/**
 * An app partition of a kiosk that serves single sign-on answers https itself for the
 * built-in pages and the issuer's origin (sign-in with no network), and hands every other
 * request to Chromium's own stack untouched (`bypassCustomProtocolHandlers`), in the
 * partition's session. A kiosk that serves no issuer leaves https alone altogether.
 */
export function answerHttpsInPartition(partition: Session, rendererDir: string, issuer: PartitionIssuer, log: Logger): void {
  const pages = serveBuiltInApps(rendererDir);
  partition.protocol.handle('https', async (request) => {
    switch (httpsRouteOf(request.url, issuer.issuer)) {
      case 'built-in page':
        return pages(request);
      case 'issuer':
        return answerWithPartitionCookies(partition, issuer, request).catch((error: unknown) => {
          log.error('single sign-on could not answer an app', { error: error instanceof Error ? error.name : typeof error });
          return new Response('Single sign-on is not available.', { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
        });
      case 'refused':
        return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
      case 'web':
        return partition.fetch(request, { bypassCustomProtocolHandlers: true });
    }
  });
}

/**
 * The provider's cookies (its session and interaction cookies) live in the partition's
 * own cookie store, so the sign-out wipe takes them: read from it for each request and
 * written to it from each answer. Electron does not carry `Cookie` and `Set-Cookie`
 * across a `protocol.handle` response (electron/electron#39525), so the shell does.
 */
async function answerWithPartitionCookies(partition: Session, issuer: PartitionIssuer, request: Request): Promise<Response> {
  const stored = await partition.cookies.get({ url: request.url });
  const answer = await issuer.answer(request, stored.map(({ name, value }) => `${name}=${value}`).join('; '));
  for (const header of answer.headers.getSetCookie()) {
    const cookie = parseSetCookie(header, request.url);
    if (!cookie) continue;
    if (cookie.expired) await partition.cookies.remove(request.url, cookie.name);
    else await partition.cookies.set(cookie.details);
  }
  const headers = new Headers(answer.headers);
  headers.delete('set-cookie');
  return new Response(answer.body, { status: answer.status, headers });
}

type SameSite = 'unspecified' | 'no_restriction' | 'lax' | 'strict';

/** A `Set-Cookie` header (RFC 6265 §5.2) as Electron's `cookies.set` takes it; host-only, as the provider sets them. */
export function parseSetCookie(
  header: string,
  url: string,
  now = Date.now(),
): { name: string; expired: boolean; details: { url: string; name: string; value: string; path?: string; secure: boolean; httpOnly: boolean; sameSite: SameSite; expirationDate?: number } } | null {
  const [pair, ...attributes] = header.split(';');
  const at = pair!.indexOf('=');
  if (at <= 0) return null;
  const name = pair!.slice(0, at).trim();
  const details: { url: string; name: string; value: string; path?: string; secure: boolean; httpOnly: boolean; sameSite: SameSite; expirationDate?: number } = {
    url,
    name,
    value: pair!.slice(at + 1).trim(),
    secure: false,
    httpOnly: false,
    sameSite: 'unspecified',
  };
  let expiresAt: number | undefined;
  for (const attribute of attributes) {
    const [rawKey, ...rest] = attribute.split('=');
    const key = rawKey!.trim().toLowerCase();
    const value = rest.join('=').trim();
    if (key === 'path' && value.startsWith('/')) details.path = value;
    else if (key === 'secure') details.secure = true;
    else if (key === 'httponly') details.httpOnly = true;
    else if (key === 'samesite') details.sameSite = ({ lax: 'lax', strict: 'strict', none: 'no_restriction' } as const)[value.toLowerCase() as 'lax'] ?? 'unspecified';
    else if (key === 'max-age' && /^-?\d+$/.test(value)) expiresAt = now + Number(value) * 1000;
    else if (key === 'expires' && expiresAt === undefined && !Number.isNaN(Date.parse(value))) expiresAt = Date.parse(value);
  }
  if (expiresAt !== undefined) details.expirationDate = expiresAt / 1000;
  return { name, expired: expiresAt !== undefined && expiresAt <= now, details };
}
