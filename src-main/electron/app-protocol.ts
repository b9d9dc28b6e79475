import path from 'node:path';
import { protocol, type Session } from 'electron';
import { builtInPagePath } from '../core/session/app-launcher';
import { readRendererFile, rendererSecurityHeaders } from '../core/renderer-files';
import { DEMO_SSO_ORIGIN } from '../core/sso/issuer-bridge';

/**
 * The renderer is served from `app://kiosk/` rather than `file://`: a standard, secure
 * origin of its own, so the CSP's 'self' means exactly the built renderer and nothing else
 * on disk.
 */
export const kioskScheme = 'app';
export const kioskOrigin = `${kioskScheme}://kiosk`;
export const kioskIndexUrl = `${kioskOrigin}/index.html`;

/**
 * Built-in app pages (demo mode) live under `https://sso.demo.frontline-kiosk.invalid/apps/`,
 * from dist/renderer/apps: on the demo issuer's origin, as in the preview host, so they
 * sign in with single sign-on under their strict CSP (`connect-src 'self'`). Only the app
 * partitions answer that origin (sso-requests.ts); `.invalid` never reaches a network.
 */
const builtInAppsPrefix = '/apps';

export function isKioskUrl(url: string): boolean {
  return url.startsWith(`${kioskOrigin}/`);
}

export const builtInAppUrl = (page: string) => `${DEMO_SSO_ORIGIN}/${builtInPagePath(page)}`;

export function isBuiltInAppUrl(url: string): boolean {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  return parsed?.origin === DEMO_SSO_ORIGIN && parsed.pathname.startsWith(`${builtInAppsPrefix}/`);
}

/** Must run before the app is ready: Chromium fixes scheme privileges at start-up. */
export function registerKioskScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: kioskScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function handleKioskScheme(rendererDir: string): void {
  protocol.handle(kioskScheme, serveRenderer(rendererDir));
}

/** An app partition refuses `app:` altogether: an app never reaches the kiosk screen or its bundle. */
export function refuseKioskScheme(appSession: Session): void {
  appSession.protocol.handle(kioskScheme, () => respond(404, 'Not found'));
}

/** Answers `app://kiosk/<path>` with files under `rendererDir`, and nothing outside it. */
export function serveRenderer(rendererDir: string): (request: Request) => Promise<Response> {
  return serveFolder(rendererDir, kioskOrigin, '');
}

/** Answers `<demo origin>/apps/<path>` with files under `<rendererDir>/apps`, and nothing else. */
export function serveBuiltInApps(rendererDir: string): (request: Request) => Promise<Response> {
  return serveFolder(path.join(rendererDir, 'apps'), DEMO_SSO_ORIGIN, builtInAppsPrefix);
}

function serveFolder(folder: string, origin: string, urlPrefix: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, 'Method not allowed');
    const url = URL.canParse(request.url) ? new URL(request.url) : null;
    // `protocol//host`, not `url.origin`: WHATWG URL gives a non-special scheme like app: an opaque origin.
    if (!url || `${url.protocol}//${url.host}` !== origin) return respond(404, 'Not found');
    if (!url.pathname.startsWith(`${urlPrefix}/`)) return respond(404, 'Not found');
    // Containment is readRendererFile's: `..%2f` after the prefix still cannot leave the folder.
    const file = await readRendererFile(folder, url.pathname.slice(urlPrefix.length));
    if (!file) return respond(404, 'Not found');
    return respond(200, request.method === 'HEAD' ? null : new Uint8Array(file.body), file.contentType);
  };
}

function respond(status: number, body: BodyInit | null, contentType = 'text/plain; charset=utf-8'): Response {
  return new Response(body, { status, headers: { 'Content-Type': contentType, ...rendererSecurityHeaders } });
}
