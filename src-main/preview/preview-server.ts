import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fail, type Result } from '../../shared/result';
import { dispatchCall } from '../core/handlers/contract-dispatch';
import type { Kiosk } from '../core/kiosk';
import type { Logger } from '../core/base/log';
import { readRendererFile, rendererSecurityHeaders } from '../core/renderer-files';

export const MAX_RPC_BODY_BYTES = 64 * 1024;

export interface PreviewServerOptions {
  kiosk: Kiosk;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** 0 picks a free port. */
  port: number;
  log: Logger;
}

export interface PreviewServer {
  /** What to open: the token rides in the fragment, which browsers never send to a server. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/**
 * The browser preview host: the contract over loopback HTTP (`POST /rpc/<call>`) and
 * server-sent events (`GET /events`). Bound to 127.0.0.1 only; every request must name
 * this host (against DNS rebinding), and calls need the per-launch token and this
 * origin. It is for development, demos and tests — not the production kiosk shell.
 */
export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const token = randomBytes(32).toString('base64url');
  const expectedToken = Buffer.from(token);
  const streams = new Set<ServerResponse>();
  let origin = '';
  let host = '';
  // Made once the port (and so the issuer) is known; until then /oidc answers 503.
  let sso: Awaited<ReturnType<typeof options.kiosk.sso.endpoint>> | null = null;

  const tokenMatches = (presented: string | null | undefined) => {
    const candidate = Buffer.from(presented ?? '');
    return candidate.length === expectedToken.length && timingSafeEqual(candidate, expectedToken);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.log.error('preview request failed', { error: error instanceof Error ? error.message : String(error) });
      if (!response.headersSent) sendJson(response, 500, fail('internal', 'Something went wrong on the kiosk. Please try again.'));
      else response.end();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.headers.host !== host) {
      return sendJson(response, 403, fail('forbidden', 'Requests must be addressed to the preview host itself.'));
    }
    const target = request.url ?? '/';
    if (!target.startsWith('/') || !URL.canParse(target, origin)) {
      return sendJson(response, 400, fail('input.invalid', 'The request path is malformed.'));
    }
    const url = new URL(target, origin);
    // Single sign-on: the kiosk's OpenID Connect provider, with <origin>/oidc as its issuer.
    if (url.pathname === '/oidc' || url.pathname.startsWith('/oidc/')) {
      if (!sso) return sendJson(response, 503, fail('internal', 'Single sign-on is starting. Try again in a moment.'));
      return sso.handle(request, response);
    }
    if (url.pathname.startsWith('/rpc/')) return handleRpc(request, response, url.pathname.slice(5));
    if (url.pathname === '/events') return handleEvents(request, response, url);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return sendJson(response, 405, fail('forbidden', 'Only GET is allowed here.'));
    }
    return serveStatic(response, url.pathname);
  }

  async function handleRpc(request: IncomingMessage, response: ServerResponse, name: string): Promise<void> {
    if (request.method !== 'POST') return sendJson(response, 405, fail('forbidden', 'Calls must use POST.'));
    if (request.headers.origin !== origin) {
      return sendJson(response, 403, fail('forbidden', 'Calls are accepted only from the preview page itself.'));
    }
    if (!tokenMatches(bearer(request.headers.authorization))) {
      return sendJson(response, 403, fail('forbidden', 'Missing or wrong preview token. Open the URL the preview host printed.'));
    }
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendJson(response, 415, fail('input.invalid', 'Calls must send JSON (Content-Type: application/json).'));
    }
    const body = await readBody(request, MAX_RPC_BODY_BYTES);
    if (body === null) {
      return sendJson(response, 413, fail('input.invalid', `A call may carry at most ${MAX_RPC_BODY_BYTES} bytes.`));
    }
    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      return sendJson(response, 400, fail('input.invalid', 'The request body is not valid JSON.'));
    }
    sendJson(response, 200, await dispatchCall(options.kiosk.handlers, name, input, options.log));
  }

  function handleEvents(request: IncomingMessage, response: ServerResponse, url: URL): void {
    // EventSource cannot send headers, so the token comes in the query; a cross-site page
    // is refused by its Origin / Sec-Fetch-Site even if it learned the token.
    const crossSite = (request.headers.origin && request.headers.origin !== origin) ||
      (request.headers['sec-fetch-site'] && request.headers['sec-fetch-site'] !== 'same-origin');
    if (request.method !== 'GET' || crossSite || !tokenMatches(url.searchParams.get('token'))) {
      return sendJson(response, 403, fail('forbidden', 'Missing or wrong preview token. Open the URL the preview host printed.'));
    }
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    response.write(': connected\n\n');
    streams.add(response);
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), 15_000);
    request.on('close', () => {
      clearInterval(keepAlive);
      streams.delete(response);
    });
  }

  async function serveStatic(response: ServerResponse, pathname: string): Promise<void> {
    const file = await readRendererFile(options.rendererDir, pathname);
    if (!file) return sendJson(response, 404, fail('call.unknown', 'Not found.'));
    response.writeHead(200, { 'Content-Type': file.contentType, 'Cache-Control': 'no-store', ...rendererSecurityHeaders });
    response.end(file.body);
  }

  const unsubscribe = options.kiosk.events.onAny((name, payload) => {
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const stream of streams) stream.write(frame);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  host = `127.0.0.1:${port}`;
  origin = `http://${host}`;
  sso = await options.kiosk.sso.endpoint(`${origin}/oidc`, origin);

  return {
    url: `${origin}/#${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const stream of streams) stream.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function bearer(header: string | undefined): string | null {
  const match = /^Bearer (\S+)$/.exec(header ?? '');
  return match ? match[1]! : null;
}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: Result<unknown>): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  response.end(JSON.stringify(body));
}
