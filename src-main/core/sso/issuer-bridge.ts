import { createServer } from 'node:http';
import { request as httpRequest } from 'node:http';
import { Duplex } from 'node:stream';
import type { OidcEndpoint } from './single-sign-on';

/**
 * The Electron demo's issuer: a fixed https origin inside the app partitions, whose built-in
 * pages (`/apps/`) and provider (`/oidc`) the kiosk answers itself, as the preview host does
 * at its own origin. `.invalid` is reserved (RFC 6761 §6.4): no request to it can reach a network.
 */
export const DEMO_SSO_ORIGIN = 'https://sso.demo.frontline-kiosk.invalid';
export const DEMO_SSO_ISSUER = `${DEMO_SSO_ORIGIN}/oidc`;

/** A form post to the provider is a few hundred bytes; anything far larger is refused unread. */
const MAX_REQUEST_BYTES = 64 * 1024;
/** Hop-by-hop headers (RFC 9110 §7.6.1) belong to a connection, not to the message. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'proxy-connection', 'host', 'content-length']);
/** Statuses whose response has no body (RFC 9110 §15.2, §15.3.5, §15.4.5). */
const NO_BODY = new Set([101, 103, 204, 205, 304]);

/** Whether `url` is for the issuer's origin, which the kiosk answers itself; the rest of the web is not. */
export function isIssuerRequest(url: string, issuer: string): boolean {
  if (!URL.canParse(url)) return false;
  const target = new URL(url);
  return target.protocol === 'https:' && target.origin === new URL(issuer).origin;
}

/**
 * Answers a web `Request` (what Electron's `protocol.handle` gives) with the provider, in
 * memory: the request is written as HTTP/1.1 over a socket pair into a Node HTTP server
 * that never listens, so oidc-provider (Koa) gets a real `IncomingMessage` and
 * `ServerResponse`, parsed by Node itself, and no port is open for another program on the
 * kiosk to reach. The served side reports itself encrypted: the issuer is https, and the
 * provider's cookies are `Secure`.
 *
 * `cookies`, when given, is the `Cookie` header to send in place of the request's own: the
 * Electron shell keeps the provider's cookies in the app partition's store itself.
 */
export function providerBridge(endpoint: OidcEndpoint): (request: Request, cookies?: string) => Promise<Response> {
  const server = createServer((req, res) => endpoint.handle(req, res));
  return async (request, cookies) => {
    const url = new URL(request.url);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : null;
    if (body && body.length > MAX_REQUEST_BYTES) return new Response('Request too large.', { status: 413, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name)) headers[name] = value;
    });
    if (cookies !== undefined) {
      delete headers.cookie;
      if (cookies) headers.cookie = cookies;
    }
    const [client, served] = socketPair();
    Object.assign(served, { encrypted: true });
    server.emit('connection', served);
    return new Promise<Response>((resolve, reject) => {
      const outgoing = httpRequest(
        {
          createConnection: () => client,
          method: request.method,
          path: `${url.pathname}${url.search}`,
          headers: { ...headers, host: url.host, connection: 'close', ...(body && { 'content-length': String(body.length) }) },
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () => {
            const answer = new Headers();
            for (let at = 0; at + 1 < incoming.rawHeaders.length; at += 2) {
              const name = incoming.rawHeaders[at]!;
              if (!HOP_BY_HOP.has(name.toLowerCase())) answer.append(name, incoming.rawHeaders[at + 1]!);
            }
            const status = incoming.statusCode ?? 502;
            resolve(new Response(NO_BODY.has(status) || request.method === 'HEAD' ? null : Buffer.concat(chunks), { status, headers: answer }));
            client.destroy();
            served.destroy();
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body ?? undefined);
    });
  };
}

/** Two connected in-memory sockets: what one writes, the other reads. */
function socketPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const end = (peer: () => Duplex) =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, done) {
        peer().push(chunk);
        done();
      },
      final(done) {
        peer().push(null);
        done();
      },
    });
  ends.push(end(() => ends[1]!), end(() => ends[0]!));
  return [ends[0]!, ends[1]!];
}
