import { hash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Clock } from '../../base/clock';
import type { SecretStore } from '../../secrets/secret-store';
import { parseEndpointUrl, readProviderSecret } from '../../sms/http-delivery';
import { SmsSendError } from '../../sms/sms-sender';
import { SyncRefusedError, type DirectoryChange, type DirectorySource } from '../directory-source';
import { refuseFutureDated } from '../future-dated';
import { parseFeedDocument, type FeedDocument } from './feed-document';
import { openStreamedFeed, readManifest, type FeedManifest } from './feed-manifest';
import { readPinnedKey, verifyFeedSignature, type PinnedKey, type PinnedKeyInput } from './feed-signature';
import { retryAtFrom } from '../retry-after';

const MIB = 1024 * 1024;
/** A detached JWS is a few hundred bytes; anything much larger is not one. */
const MAX_SIGNATURE_BYTES = 16 * 1024;

const pinnedKey = z.union([z.string().min(1).max(8192), z.record(z.string(), z.unknown())]);

/** The signed feed's part of the device configuration. The bearer token is a keychain entry name, never a value. */
export const signedFeedOptionsSchema = z.strictObject({
  /** `https://…` (plain `http:` only to 127.0.0.1 or localhost), or an absolute path to a file on this machine. */
  location: z
    .string()
    .min(1)
    .max(2048)
    .superRefine((value, context) => {
      try {
        readLocation(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message.replace(/^(Signed feed source: )?location /, '') });
      }
    }),
  /** The Ed25519 public key the feed must be signed with, PEM or JWK (a JWK's own `kid` is honoured); a list of up to 4 while rotating keys. */
  publicKey: z.union([pinnedKey, z.array(pinnedKey).min(1).max(4)]).optional(),
  /** Or several keys, any of which may sign the feed: the old and the new one while rotating (docs/directory-feed.md). */
  publicKeys: z.array(pinnedKey).min(1).max(4).optional(),
  /** Name of the keychain entry holding a bearer token for the feed server; none sent without it. */
  bearerTokenSecret: z.string().min(1, 'must name a keychain entry').max(200).optional(),
  /** The largest feed accepted, in bytes; checked while it downloads. */
  maxBytes: z.number().int().min(1024).max(1024 * MIB).default(64 * MIB),
  /** For the feed (or manifest) and its signature together; a streamed feed's body may take longer, but never be silent this long. */
  timeoutMs: z.number().int().min(100).max(600_000).default(60_000),
}).refine((options) => (options.publicKey === undefined) !== (options.publicKeys === undefined), {
  message: 'set exactly one of publicKey and publicKeys: the key (or keys) the feed is signed with',
  path: ['publicKey'],
});
export type SignedFeedOptions = z.input<typeof signedFeedOptionsSchema>;

export interface SignedFeedDeps {
  secrets: SecretStore;
  clock: Clock;
  fetch?: typeof fetch;
}

/**
 * How far this kiosk has read the feed, handed to the sync runner as its opaque cursor: the
 * feed's own cursor (sent as `?since=`), the validator of the last answer (the server's
 * ETag, or a file's size, time and inode) so an unchanged feed costs one small request, and
 * when the applied feed was written (ms since the epoch), so an older one is refused.
 */
interface FeedPosition {
  cursor: string | null;
  etag: string | null;
  generatedAt: number | null;
}

type Location = { kind: 'url'; url: URL; name: string } | { kind: 'file'; path: string; name: string };

/**
 * The directory as a signed JSON feed, over HTTPS or from a file. Every fetch authenticates
 * the exact bytes against the pinned Ed25519 key before reading them, and refuses with a
 * `SyncRefusedError` anything unsigned, tampered, wrongly keyed, oversized, malformed or off
 * the schema; a 304 or an untouched file is `unchanged`.
 */
export class SignedFeedSource implements DirectorySource {
  readonly kind = 'feed';
  /** Names the feed in the sync state: a new location starts over with a full snapshot. */
  readonly id: string;
  private readonly options: z.output<typeof signedFeedOptionsSchema>;
  private readonly location: Location;
  private readonly keys: PinnedKey[];
  private readonly fetchImpl: typeof fetch;

  constructor(
    options: SignedFeedOptions,
    private readonly deps: SignedFeedDeps,
  ) {
    const parsed = signedFeedOptionsSchema.safeParse(options);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`Signed feed source: ${issue.path.join('.') || '(options)'}: ${issue.message}`);
    }
    this.options = parsed.data;
    this.location = readLocation(this.options.location);
    const { publicKey, publicKeys } = this.options;
    const field = publicKeys ? 'publicKeys' : 'publicKey';
    const keys = publicKeys ?? (Array.isArray(publicKey) ? publicKey : [publicKey!]);
    this.keys = keys.map((key, i) => readPinnedKey(key as PinnedKeyInput, publicKeys || keys.length > 1 ? `${field}[${i}]` : field));
    if (this.location.kind === 'file' && this.options.bearerTokenSecret) {
      throw new Error('Signed feed source: bearerTokenSecret is for a feed server; a feed file is read without one.');
    }
    this.fetchImpl = deps.fetch ?? fetch;
    this.id = `feed:${this.location.kind === 'url' ? sourceIdOf(this.location.url) : this.location.path}`;
  }

  async fetch(cursor: string | null, signal?: AbortSignal): Promise<DirectoryChange> {
    const position = decodePosition(cursor);
    if (this.location.kind === 'file') return this.readFile(this.location, position);
    const location = this.location;
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const link = { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, timeout, caller: signal, timeoutMs: this.options.timeoutMs };
    const bearer = await this.bearerToken();
    const first = await this.download(location, position, bearer, link);
    if (first === 'unchanged') return { kind: 'unchanged' };
    const streamed = (answer: { manifest: FeedManifest; etag: string | null }) =>
      toStreamedChange(answer.manifest, position, answer.etag, location.name, this.deps.clock.now(), async () => {
        const feedUrl = new URL(answer.manifest.feed.name, location.url);
        const feedName = `The streamed feed at ${describeUrl(feedUrl)}`;
        const headers: Record<string, string> = { Accept: 'application/x-ndjson' };
        if (bearer) headers.Authorization = `Bearer ${bearer}`;
        // A large file is read as fast as the sync stages it: the timeout is for silence
        // (nothing received for timeoutMs), not for the whole download.
        const idle = idleTimeout(this.options.timeoutMs);
        const streamLink: HttpLink = { signal: signal ? AbortSignal.any([signal, idle.signal]) : idle.signal, timeout: idle.signal, caller: signal, timeoutMs: this.options.timeoutMs, idle: true };
        try {
          const response = await this.get(feedUrl, headers, streamLink, feedName);
          await this.refuseUnlessOk(response, feedName);
          return { chunks: guardedBody(response, streamLink, feedName, idle), name: feedName };
        } catch (error) {
          idle.stop();
          throw error;
        }
      });
    if ('manifest' in first) return streamed(first);
    if (first.feed.kind === 'delta' && first.feed.since !== position.cursor && position.cursor !== null) {
      // A delta from another starting point (a stale cache, a server that lost track): the
      // whole directory instead, which applies whatever this kiosk holds.
      const full = await this.download(location, { cursor: null, etag: null, generatedAt: null }, bearer, link);
      if (full === 'unchanged') throw new SyncRefusedError('cursor-mismatch', `${location.name} answered "not modified" to a request for the full feed.`);
      if ('manifest' in full) return streamed(full);
      return toChange(full.feed, position, null, full.etag, location.name, this.deps.clock.now());
    }
    return toChange(first.feed, position, position.cursor, first.etag, location.name, this.deps.clock.now());
  }

  private async download(
    location: Extract<Location, { kind: 'url' }>,
    position: FeedPosition,
    bearer: string | null,
    link: HttpLink,
  ): Promise<'unchanged' | { feed: FeedDocument; etag: string | null } | { manifest: FeedManifest; etag: string | null }> {
    const url = new URL(location.url);
    if (position.cursor !== null) url.searchParams.set('since', position.cursor);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (bearer) headers.Authorization = `Bearer ${bearer}`;

    const feedHeaders = position.etag ? { ...headers, 'If-None-Match': position.etag } : headers;
    const response = await this.get(url, feedHeaders, link, location.name);
    if (response.status === 304) {
      await response.body?.cancel().catch(() => undefined);
      return 'unchanged';
    }
    await this.refuseUnlessOk(response, location.name);
    const bytes = await readLimited(response, this.options.maxBytes, location.name, link);

    const signatureUrl = siblingSignatureUrl(url);
    const signatureName = `The signature at ${describeUrl(signatureUrl)}`;
    const signed = await this.get(signatureUrl, headers, link, signatureName);
    if (signed.status === 404 || signed.status === 410) {
      await signed.body?.cancel().catch(() => undefined);
      throw new SyncRefusedError('unsigned', `${location.name} is not signed: ${describeUrl(signatureUrl)} answered HTTP ${signed.status}.`);
    }
    await this.refuseUnlessOk(signed, signatureName);
    const signature = await readLimited(signed, MAX_SIGNATURE_BYTES, signatureName, link);

    await verifyFeedSignature(bytes, Buffer.from(signature).toString('utf8'), this.keys, location.name);
    const manifest = readManifest(bytes, location.name);
    if (manifest) return { manifest, etag: response.headers.get('etag') };
    return { feed: parseFeedDocument(bytes, location.name), etag: response.headers.get('etag') };
  }

  private async readFile(location: Extract<Location, { kind: 'file' }>, position: FeedPosition): Promise<DirectoryChange> {
    const info = await stat(location.path).catch((error: unknown) => {
      throw fileRefusal(error, location.name);
    });
    const validator = `${info.size}-${info.mtimeMs}-${info.ino}`;
    if (validator === position.etag) return { kind: 'unchanged' };
    const bytes = await readFileLimited(location.path, this.options.maxBytes, location.name);
    const signaturePath = `${location.path}.jws`;
    const signature = await readFileLimited(signaturePath, MAX_SIGNATURE_BYTES, `The signature file ${signaturePath}`).catch((error: unknown) => {
      if (error instanceof SyncRefusedError && error.reason === 'not-found') {
        throw new SyncRefusedError('unsigned', `${location.name} is not signed: there is no ${signaturePath}.`);
      }
      throw error;
    });
    await verifyFeedSignature(bytes, Buffer.from(signature).toString('utf8'), this.keys, location.name);
    const manifest = readManifest(bytes, location.name);
    if (manifest) {
      return toStreamedChange(manifest, position, validator, location.name, this.deps.clock.now(), async () => {
        const feedPath = path.join(path.dirname(location.path), manifest.feed.name);
        const feedName = `The streamed feed file ${feedPath}`;
        // Opened first, so a missing file is refused as one rather than mid-stream.
        const handle = await open(feedPath, 'r').catch((error: unknown) => {
          throw fileRefusal(error, feedName);
        });
        const stream = handle.createReadStream({ highWaterMark: MIB });
        return { chunks: guardedFile(stream, feedName), name: feedName };
      });
    }
    return toChange(parseFeedDocument(bytes, location.name), position, position.cursor, validator, location.name, this.deps.clock.now());
  }

  private async bearerToken(): Promise<string | null> {
    if (!this.options.bearerTokenSecret) return null;
    try {
      return await readProviderSecret(this.deps.secrets, this.options.bearerTokenSecret, 'the feed server bearer token');
    } catch (error) {
      if (error instanceof SmsSendError) throw new SyncRefusedError(error.reason, error.message);
      throw error;
    }
  }

  private async get(url: URL, headers: Record<string, string>, link: HttpLink, name: string): Promise<Response> {
    try {
      // A request carrying a bearer token is never forwarded to another address.
      return await this.fetchImpl(url, { headers, redirect: 'manual', signal: link.signal });
    } catch (error) {
      throw transportRefusal(error, link, name);
    }
  }

  private async refuseUnlessOk(response: Response, name: string): Promise<void> {
    if (response.status >= 200 && response.status < 300) return;
    await response.body?.cancel().catch(() => undefined);
    const status = response.status;
    if (status === 429 || status === 503) {
      const retryAt = retryAtFrom(response.headers.get('retry-after'), this.deps.clock.now());
      const when = retryAt === undefined ? '' : `; it asked to be tried again at ${new Date(retryAt).toISOString()}`;
      throw new SyncRefusedError(status === 429 ? 'throttled' : 'http-503', `${name} answered HTTP ${status}${when}.`, retryAt);
    }
    if (status >= 300 && status < 400) {
      throw new SyncRefusedError(`http-${status}`, `${name} answered a redirect (HTTP ${status}); configure the address it redirects to instead.`);
    }
    if (status === 401 || status === 403) {
      const token = this.options.bearerTokenSecret ? `the bearer token in keychain entry "${this.options.bearerTokenSecret}"` : 'a request without a bearer token';
      throw new SyncRefusedError(`http-${status}`, `${name} answered HTTP ${status}: the server refused ${token}.`);
    }
    throw new SyncRefusedError(`http-${status}`, `${name} answered HTTP ${status}.`);
  }
}

interface HttpLink {
  /** Aborts on the caller's signal or the timeout. */
  signal: AbortSignal;
  timeout: AbortSignal;
  caller: AbortSignal | undefined;
  timeoutMs: number;
  /** The timeout is for silence, restarted by each chunk (a streamed feed's body). */
  idle?: boolean;
}

interface IdleTimeout {
  signal: AbortSignal;
  /** Something arrived: the wait starts again. */
  touch(): void;
  stop(): void;
}

function idleTimeout(ms: number): IdleTimeout {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), ms);
    timer.unref();
  };
  arm();
  return {
    signal: controller.signal,
    touch: arm,
    stop: () => {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

function readLocation(location: string): Location {
  if (/^https?:/i.test(location)) {
    const url = parseEndpointUrl('location', location);
    if (url.search.includes('since=')) throw new Error('Signed feed source: location must not carry "since": the kiosk adds it.');
    return { kind: 'url', url, name: `The feed at ${describeUrl(url)}` };
  }
  const file = /^file:/i.test(location) ? fileURLToPath(location) : location;
  if (!path.isAbsolute(file)) {
    throw new Error(`Signed feed source: location must be an https: URL or an absolute file path, got "${location}".`);
  }
  return { kind: 'file', path: file, name: `The feed file ${file}` };
}

/** `<feed>.jws` beside the feed, with the same query (a server may sign each delta). */
function siblingSignatureUrl(feed: URL): URL {
  const signature = new URL(feed);
  signature.pathname = `${feed.pathname}.jws`;
  return signature;
}

/** The URL without its query, which may hold a pre-signed URL's credential: a hash of it stands in. */
function sourceIdOf(url: URL): string {
  return url.search ? `${describeUrl(url)}?${hash('sha256', url.search, 'hex').slice(0, 16)}` : describeUrl(url);
}

/** Scheme, host and path: never the query, which may hold a pre-signed URL's credential. */
function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** `held`: where this kiosk is now; `askedSince`: the cursor a delta must start from. */
function toChange(feed: FeedDocument, held: FeedPosition, askedSince: string | null, etag: string | null, name: string, now: number): DirectoryChange {
  const generatedAt = refuseReplay(feed, held, name);
  refuseFutureDated(generatedAt, now, name);
  const position = encodePosition({ cursor: feed.cursor, etag, generatedAt });
  if (feed.kind === 'snapshot') return { kind: 'snapshot', snapshot: feed.snapshot, cursor: position, setAside: feed.setAside };
  if (feed.since !== askedSince) {
    const asked = askedSince === null ? 'a full snapshot' : `changes since ${askedSince}`;
    throw new SyncRefusedError('cursor-mismatch', `${name} holds changes since ${feed.since}, but this kiosk needs ${asked}.`);
  }
  return { kind: 'delta', delta: feed.delta, cursor: position, setAside: feed.setAside };
}

/**
 * A signed manifest's snapshot: the replay and date checks on the manifest (which is what
 * is signed), then the file it names opened and read up to its header. Its users are read
 * as the sync consumes them; see `openStreamedFeed`.
 */
async function toStreamedChange(
  manifest: FeedManifest,
  held: FeedPosition,
  etag: string | null,
  name: string,
  now: number,
  openFeed: () => Promise<{ chunks: AsyncIterable<Uint8Array>; name: string }>,
): Promise<DirectoryChange> {
  const generatedAt = refuseReplay(manifest, held, name);
  refuseFutureDated(generatedAt, now, name);
  const position = encodePosition({ cursor: manifest.cursor, etag, generatedAt });
  const feed = await openFeed();
  const stream = await openStreamedFeed(feed.chunks, manifest, feed.name);
  return { kind: 'streamed-snapshot', stream, cursor: position, setAside: stream.setAside };
}

/** A response body as chunks, a transport failure mid-way refused as one (timeout, abort, reset). */
async function* guardedBody(response: Response, link: HttpLink, name: string, idle: IdleTimeout): AsyncGenerator<Uint8Array> {
  try {
    if (!response.body) return;
    // A web ReadableStream is async-iterable in Node; the DOM typings do not say so.
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      idle.touch();
      yield chunk;
    }
  } catch (error) {
    if (error instanceof SyncRefusedError) throw error;
    throw transportRefusal(error, link, name);
  } finally {
    idle.stop();
  }
}

async function* guardedFile(stream: AsyncIterable<Buffer>, name: string): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of stream) yield chunk;
  } catch (error) {
    if (error instanceof SyncRefusedError) throw error;
    throw fileRefusal(error, name);
  }
}

/**
 * A validly signed feed written before the one this kiosk applied is a replay (a stale
 * mirror, or someone rolling back a removal): refused, like TUF's rollback check. Once the
 * kiosk holds a dated feed, an undated one cannot prove it is newer and is refused too.
 * Returns when this feed was written, ms since the epoch (null: undated).
 */
function refuseReplay(feed: Pick<FeedDocument, 'generatedAt'>, held: FeedPosition, name: string): number | null {
  const written = feed.generatedAt === undefined ? Number.NaN : Date.parse(feed.generatedAt);
  const generatedAt = Number.isFinite(written) ? written : null;
  if (held.generatedAt === null) return generatedAt;
  const heldAt = new Date(held.generatedAt).toISOString();
  if (generatedAt === null) {
    throw new SyncRefusedError('replayed', `${name} has no readable generatedAt, but this kiosk holds a feed written at ${heldAt}: it cannot be newer.`);
  }
  if (generatedAt < held.generatedAt) {
    throw new SyncRefusedError('replayed', `${name} was written at ${new Date(generatedAt).toISOString()}, before the feed this kiosk holds (${heldAt}): an old feed replayed.`);
  }
  return generatedAt;
}

function encodePosition(position: FeedPosition): string {
  return JSON.stringify(position);
}

/** A cursor this source did not write (another source, an older format) reads as "from the start". */
function decodePosition(cursor: string | null): FeedPosition {
  if (cursor === null) return { cursor: null, etag: null, generatedAt: null };
  try {
    const value = JSON.parse(cursor) as Partial<FeedPosition>;
    return {
      cursor: typeof value.cursor === 'string' ? value.cursor : null,
      etag: typeof value.etag === 'string' ? value.etag : null,
      generatedAt: typeof value.generatedAt === 'number' && Number.isFinite(value.generatedAt) ? value.generatedAt : null,
    };
  } catch {
    return { cursor: null, etag: null, generatedAt: null };
  }
}

/**
 * Reads a body, refusing it as soon as it passes `limit` bytes: never buffers more than
 * the limit (plus one chunk) whatever the server claims or sends.
 */
async function readLimited(response: Response, limit: number, name: string, link: HttpLink): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(name, limit);
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(name, limit);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof SyncRefusedError) throw error;
    throw transportRefusal(error, link, name);
  }
  return Buffer.concat(chunks, total);
}

async function readFileLimited(file: string, limit: number, name: string): Promise<Uint8Array> {
  const handle = await open(file, 'r').catch((error: unknown) => {
    throw fileRefusal(error, name);
  });
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead, buffer } = await handle.read({ buffer: Buffer.alloc(Math.min(limit + 1, MIB)) });
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit) throw tooLarge(name, limit);
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

function tooLarge(name: string, limit: number): SyncRefusedError {
  return new SyncRefusedError('too-large', `${name} is larger than the limit of ${limit} bytes (maxBytes).`);
}

function fileRefusal(error: unknown, name: string): SyncRefusedError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new SyncRefusedError('not-found', `${name} does not exist.`);
  if (code === 'EACCES' || code === 'EPERM') return new SyncRefusedError('file-unreadable', `${name} cannot be read: permission denied.`);
  return new SyncRefusedError('file-unreadable', `${name} cannot be read${code ? ` (${code})` : ''}.`);
}

function transportRefusal(error: unknown, link: HttpLink, name: string): SyncRefusedError {
  if (link.caller?.aborted) return new SyncRefusedError('aborted', `The sync was stopped while reading ${name.replace(/^The /, 'the ')}.`);
  if (link.timeout.aborted) {
    if (link.idle) return new SyncRefusedError('timeout', `${name} sent nothing for ${link.timeoutMs} ms (timeoutMs).`);
    return new SyncRefusedError('timeout', `${name} did not arrive within ${link.timeoutMs} ms (timeoutMs).`);
  }
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  const code: unknown = cause && typeof cause === 'object' && 'code' in cause ? cause.code : undefined;
  const shown = typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? ` (${code})` : '';
  return new SyncRefusedError('network', `${name} could not be reached${shown}.`);
}
