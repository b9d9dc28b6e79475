import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { startLoopbackServer, type LoopbackServer, type ReceivedRequest } from '../../sms/loopback-server';
import type { SignedFeed } from './feed-fixtures';

export const FEED_PATH = '/fleet/store-0142/feed.json';

/**
 * A feed server on 127.0.0.1 as an IT team would run one: `<feed>` and `<feed>.jws`, a
 * strong ETag from the bytes with 304 for `If-None-Match`, and deltas by `?since=` where
 * it has one (else the full snapshot, as a static server answers). `interrupt` answers a
 * request itself first (throttling, outages, hung or endless bodies).
 */
export interface FeedServer {
  /** The feed's URL. */
  url: string;
  requests: ReceivedRequest[];
  /** Publishes the full snapshot every request without a known `since` gets. */
  publish(feed: SignedFeed): void;
  /** Publishes a delta for kiosks at `since`. */
  publishDelta(since: string, feed: SignedFeed): void;
  /** A bearer token every request must carry. */
  requireToken(token: string): void;
  /** Answers a request itself when it returns true. */
  interrupt: ((request: ReceivedRequest, response: ServerResponse) => boolean) | null;
  close(): Promise<void>;
}

export async function startFeedServer(): Promise<FeedServer> {
  let snapshot: SignedFeed | null = null;
  const deltas = new Map<string, SignedFeed>();
  let token: string | null = null;
  const feed: FeedServer = {
    url: '',
    requests: [],
    publish: (signed) => {
      snapshot = signed;
    },
    publishDelta: (since, signed) => deltas.set(since, signed),
    requireToken: (value) => {
      token = value;
    },
    interrupt: null,
    close: () => server.close(),
  };
  const server: LoopbackServer = await startLoopbackServer((request, response) => {
    if (feed.interrupt?.(request, response)) return;
    if (token !== null && request.headers.authorization !== `Bearer ${token}`) {
      response.writeHead(401).end();
      return;
    }
    const url = new URL(request.path, 'http://feed.test');
    const since = url.searchParams.get('since');
    const chosen = (since !== null ? deltas.get(since) : undefined) ?? snapshot;
    if (!chosen || (url.pathname !== FEED_PATH && url.pathname !== `${FEED_PATH}.jws`)) {
      response.writeHead(404).end();
      return;
    }
    if (url.pathname.endsWith('.jws')) {
      if (chosen.jws === null) response.writeHead(404).end();
      else response.writeHead(200, { 'Content-Type': 'application/jose' }).end(chosen.jws);
      return;
    }
    const etag = `"${createHash('sha256').update(chosen.body).digest('hex').slice(0, 16)}"`;
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, { ETag: etag }).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/json', ETag: etag }).end(chosen.body);
  });
  feed.url = `${server.origin}${FEED_PATH}`;
  feed.requests = server.requests;
  return feed;
}

/** Writes an endless body, 16 KiB at a time, until the client goes away; counts what it wrote. */
export function streamForever(response: ServerResponse, written: { bytes: number; clientLeft: boolean }): void {
  response.writeHead(200, { 'Content-Type': 'application/json' });
  const chunk = Buffer.alloc(16 * 1024, 0x20);
  const pump = () => {
    while (!response.destroyed) {
      written.bytes += chunk.length;
      if (!response.write(chunk)) {
        response.once('drain', pump);
        return;
      }
    }
  };
  response.on('close', () => {
    written.clientLeft = true;
  });
  pump();
}
