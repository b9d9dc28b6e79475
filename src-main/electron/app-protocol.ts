import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { protocol } from 'electron';

/**
 * The renderer is served from `app://kiosk/` rather than `file://`: a standard, secure
 * origin of its own, so the CSP's 'self' means exactly the built renderer and nothing else
 * on disk.
 */
export const kioskScheme = 'app';
export const kioskOrigin = `${kioskScheme}://kiosk`;
export const kioskIndexUrl = `${kioskOrigin}/index.html`;

export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

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
  const root = path.resolve(rendererDir);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, 'Method not allowed');
    const file = fileFor(root, request.url);
    if (!file) return respond(404, 'Not found');
    try {
      if (!(await stat(file)).isFile()) return respond(404, 'Not found');
      const body = request.method === 'HEAD' ? null : await readFile(file);
      return respond(200, body, contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream');
    } catch {
      return respond(404, 'Not found');
    }
  };
}

function fileFor(root: string, url: string): string | null {
  let pathname: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== `${kioskScheme}:` || parsed.host !== 'kiosk') return null;
    // Decoding can turn `..%2f` into a real `../`, so containment is checked after it.
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const file = path.resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  const relative = path.relative(root, file);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return null;
  return file;
}

function respond(status: number, body: BodyInit | null, contentType = 'text/plain; charset=utf-8'): Response {
  return new Response(body, {
    status,
    headers: {
      'Content-Type': contentType,
      'Content-Security-Policy': contentSecurityPolicy,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
