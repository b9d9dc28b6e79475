import { protocol } from 'electron';
import { readRendererFile, rendererSecurityHeaders } from '../core/renderer-files';

/**
 * The renderer is served from `app://kiosk/` rather than `file://`: a standard, secure
 * origin of its own, so the CSP's 'self' means exactly the built renderer and nothing else
 * on disk.
 */
export const kioskScheme = 'app';
export const kioskOrigin = `${kioskScheme}://kiosk`;
export const kioskIndexUrl = `${kioskOrigin}/index.html`;

export function isKioskUrl(url: string): boolean {
  return url.startsWith(`${kioskOrigin}/`);
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

/** Answers `app://kiosk/<path>` with files under `rendererDir`, and nothing outside it. */
export function serveRenderer(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, 'Method not allowed');
    const url = URL.canParse(request.url) ? new URL(request.url) : null;
    if (!url || url.protocol !== `${kioskScheme}:` || url.host !== 'kiosk') return respond(404, 'Not found');
    const file = await readRendererFile(rendererDir, url.pathname);
    if (!file) return respond(404, 'Not found');
    return respond(200, request.method === 'HEAD' ? null : new Uint8Array(file.body), file.contentType);
  };
}

function respond(status: number, body: BodyInit | null, contentType = 'text/plain; charset=utf-8'): Response {
  return new Response(body, { status, headers: { 'Content-Type': contentType, ...rendererSecurityHeaders } });
}
