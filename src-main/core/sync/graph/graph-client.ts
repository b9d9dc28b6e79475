import type { z } from 'zod';
import type { Clock } from '../../base/clock';
import { SyncRefusedError } from '../directory-source';
import { batchResponseSchema, graphErrorSchema, pageSchema } from './graph-responses';
import { retryDelayMs } from '../retry-after';

/** Waits `ms`; rejects if `signal` aborts. Injected so tests never really wait. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** What one HTTP exchange needs: the transport, a per-request timeout and the sync's abort signal. */
export interface HttpLink {
  /** Who answers, for messages: `Microsoft Graph`, `Microsoft Entra ID`. */
  service: string;
  fetch: typeof fetch;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * One request, no retry. Rejects with a `SyncRefusedError` (`timeout`, `network`, `aborted`)
 * naming `endpoint` (method and path, never a query string, a token or a body).
 */
export async function sendOnce(link: HttpLink, endpoint: string, url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<HttpAnswer> {
  const timeout = AbortSignal.timeout(link.timeoutMs);
  const signal = link.signal ? AbortSignal.any([link.signal, timeout]) : timeout;
  try {
    // A request carrying a bearer token or a client secret is never forwarded to another address.
    const response = await link.fetch(url, { ...init, redirect: 'error', signal });
    return { status: response.status, headers: response.headers, text: await response.text() };
  } catch (error) {
    if (link.signal?.aborted) throw new SyncRefusedError('aborted', `The sync was stopped during ${endpoint}.`);
    if (timeout.aborted) throw new SyncRefusedError('timeout', `${link.service} did not answer ${endpoint} within ${link.timeoutMs} ms.`);
    const code = systemErrorCode(error);
    throw new SyncRefusedError('network', `${link.service} could not be reached for ${endpoint}${code ? ` (${code})` : ''}.`);
  }
}

export interface GraphClientSettings {
  /** `https://graph.microsoft.com/v1.0`, without a trailing slash. */
  baseUrl: URL;
  timeoutMs: number;
  /** Retries of one throttled request (429, 503) before the sync is refused as `throttled`. */
  maxRetries: number;
  /** A longer `Retry-After` refuses at once with `retryAt`, rather than holding the sync open. */
  maxRetryWaitMs: number;
  /** `$batch` requests in flight at once. */
  batchConcurrency: number;
}

export interface GraphClientDeps {
  fetch: typeof fetch;
  sleep: Sleep;
  clock: Clock;
  accessToken: () => Promise<string>;
  signal?: AbortSignal;
}

interface CallOptions {
  headers?: Record<string, string>;
  /** The application permission this call needs, named when Graph answers 403. */
  permission: string;
}

/** Graph's documented ceiling on requests in one `$batch`. */
export const BATCH_LIMIT = 20;

/** Reads from Microsoft Graph for one sync: bearer token, throttling, paging, `$batch`, and shape checks. */
export class GraphClient {
  private readonly base: string;

  constructor(
    private readonly settings: GraphClientSettings,
    private readonly deps: GraphClientDeps,
  ) {
    this.base = settings.baseUrl.href.replace(/\/$/, '');
  }

  /** GETs `path` (relative to the version root, query included) and checks the answer against `schema`. */
  get<S extends z.ZodType>(path: string, schema: S, options: CallOptions): Promise<z.infer<S>> {
    return this.call('GET', this.base + path, schema, options);
  }

  /**
   * Every page of a collection from `start` (a path, or a `@odata.deltaLink` this client
   * handed out), following `@odata.nextLink`. Links that leave Graph are refused: the next
   * request would carry the token there.
   */
  async *pages<Item extends z.ZodType>(start: string, item: Item, options: CallOptions) {
    const schema = pageSchema(item);
    let url = start.startsWith('/') ? this.base + start : this.checkLink(start, '@odata.deltaLink', 'the previous sync');
    const followed = new Set<string>();
    for (;;) {
      const endpoint = this.describe('GET', url);
      const page = await this.call('GET', url, schema, options);
      const deltaLink = page['@odata.deltaLink'];
      yield { ...page, '@odata.deltaLink': deltaLink === undefined ? undefined : this.checkLink(deltaLink, '@odata.deltaLink', endpoint) };
      const next = page['@odata.nextLink'];
      if (next === undefined) return;
      url = this.checkLink(next, '@odata.nextLink', endpoint);
      if (followed.has(url)) throw shapeRefusal(this.describe('GET', url), '@odata.nextLink', 'it points back to a page already read');
      followed.add(url);
    }
  }

  /**
   * GETs each path through `POST /$batch`, at most 20 to a batch, and checks each answer
   * against `schema`. A 404 gives null (the object was deleted while the sync ran); a
   * throttled request is sent again after its own `Retry-After`; any other failure refuses.
   */
  async getEach<S extends z.ZodType>(paths: readonly string[], schema: S, options: CallOptions): Promise<Array<z.infer<S> | null>> {
    const results = new Array<z.infer<S> | null>(paths.length).fill(null);
    const chunks: number[][] = [];
    for (let start = 0; start < paths.length; start += BATCH_LIMIT) {
      chunks.push(paths.slice(start, start + BATCH_LIMIT).map((_, offset) => start + offset));
    }
    await inPool(chunks, this.settings.batchConcurrency, (chunk) => this.batch(chunk, paths, schema, options, results));
    return results;
  }

  private async batch<S extends z.ZodType>(indexes: number[], paths: readonly string[], schema: S, options: CallOptions, results: Array<z.infer<S> | null>): Promise<void> {
    let pending = indexes;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const requests = pending.map((index) => ({ id: String(index), method: 'GET', url: paths[index]!, headers: options.headers }));
      const answer = await this.call('POST', `${this.base}/$batch`, batchResponseSchema, {
        ...options,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ requests }),
      });
      const byId = new Map(answer.responses.map((response) => [response.id, response]));
      const throttled: number[] = [];
      let wait = 0;
      let throttleStatus = 429;
      for (const index of pending) {
        const endpoint = `${this.describe('GET', this.base + paths[index]!)} (in $batch)`;
        const response = byId.get(String(index));
        if (!response) throw shapeRefusal('POST /$batch', 'responses', `it has no answer for request ${index}`);
        if (response.status >= 200 && response.status < 300) {
          results[index] = this.check(endpoint, response.body, schema);
        } else if (response.status === 404) {
          results[index] = null;
        } else if (response.status === 429 || response.status === 503) {
          throttled.push(index);
          throttleStatus = response.status;
          wait = Math.max(wait, this.retryDelayMs(headerValue(response.headers, 'retry-after'), attempt));
        } else {
          throw httpRefusal(endpoint, response.status, errorCodeOf(response.body), options.permission);
        }
      }
      if (throttled.length > 0) await this.waitOrRefuse(`GET ${paths[throttled[0]!]!.split('?')[0]} (in $batch)`, throttleStatus, wait, attempt);
      pending = throttled;
    }
  }

  private async call<S extends z.ZodType>(method: string, url: string, schema: S, options: CallOptions & { body?: string }): Promise<z.infer<S>> {
    const endpoint = this.describe(method, url);
    const link = { service: 'Microsoft Graph', fetch: this.deps.fetch, timeoutMs: this.settings.timeoutMs, signal: this.deps.signal };
    for (let attempt = 0; ; attempt++) {
      const token = await this.deps.accessToken();
      const headers = { Accept: 'application/json', ...options.headers, Authorization: `Bearer ${token}` };
      const answer = await sendOnce(link, endpoint, url, { method, headers, body: options.body });
      if (answer.status === 429 || answer.status === 503) {
        await this.waitOrRefuse(endpoint, answer.status, this.retryDelayMs(answer.headers.get('retry-after'), attempt), attempt);
        continue;
      }
      const body = parseJson(answer.text);
      if (answer.status < 200 || answer.status >= 300) throw httpRefusal(endpoint, answer.status, errorCodeOf(body), options.permission);
      if (body === undefined) throw new SyncRefusedError('graph-shape', `Microsoft Graph answered ${endpoint} with something other than JSON.`);
      return this.check(endpoint, body, schema);
    }
  }

  private check<S extends z.ZodType>(endpoint: string, body: unknown, schema: S): z.infer<S> {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    throw shapeRefusal(endpoint, fieldPath(issue.path), issue.message);
  }

  /** Graph asks for `Retry-After` seconds; without one, back off 1, 2, 4… s. */
  private retryDelayMs(retryAfter: string | null | undefined, attempt: number): number {
    return retryDelayMs(retryAfter, this.deps.clock.now()) ?? Math.min(2 ** attempt, 32) * 1000;
  }

  private async waitOrRefuse(endpoint: string, status: number, waitMs: number, attempt: number): Promise<void> {
    if (attempt >= this.settings.maxRetries || waitMs > this.settings.maxRetryWaitMs) {
      const what = status === 429 ? 'is throttling' : 'is unavailable for';
      throw new SyncRefusedError(
        'throttled',
        `Microsoft Graph ${what} ${endpoint} (HTTP ${status}, ${attempt + 1} attempt${attempt === 0 ? '' : 's'}); it asked for ${Math.ceil(waitMs / 1000)} s before the next try.`,
        this.deps.clock.now() + waitMs,
      );
    }
    try {
      await this.deps.sleep(waitMs, this.deps.signal);
    } catch {
      throw new SyncRefusedError('aborted', `The sync was stopped while waiting to retry ${endpoint}.`);
    }
  }

  private checkLink(link: string, field: string, endpoint: string): string {
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      throw shapeRefusal(endpoint, field, 'it is not a URL');
    }
    if (url.origin !== this.settings.baseUrl.origin || !url.pathname.startsWith(`${this.settings.baseUrl.pathname.replace(/\/$/, '')}/`)) {
      throw shapeRefusal(endpoint, field, `it points outside ${this.base}`);
    }
    return url.href;
  }

  /** `GET /users/delta`: method and path below the version root, never the query (it holds skip and delta tokens). */
  private describe(method: string, url: string): string {
    const path = url.startsWith(this.base) ? url.slice(this.base.length) : new URL(url).pathname;
    return `${method} ${path.split('?')[0]}`;
  }
}

/** Runs `work` on every item, `concurrency` at a time; after a failure starts nothing new, waits for what runs, then rejects. */
async function inPool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const outcomes = await Promise.allSettled(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
}

function shapeRefusal(endpoint: string, field: string, problem: string): SyncRefusedError {
  return new SyncRefusedError('graph-shape', `Microsoft Graph answered ${endpoint} in an unexpected shape: ${field}: ${problem}.`);
}

/** Graph answered with an error status; `graphCode` is the `error.code` of its body. */
export class GraphRefusedError extends SyncRefusedError {
  constructor(
    readonly status: number,
    readonly graphCode: string | null,
    message: string,
  ) {
    super(`http-${status}`, message);
  }
}

function httpRefusal(endpoint: string, status: number, graphCode: string | null, permission: string): GraphRefusedError {
  const code = graphCode ? ` ${graphCode}` : '';
  const hint = status === 403 ? ` The app registration needs the application permission ${permission}, with admin consent.` : '';
  return new GraphRefusedError(status, graphCode, `Microsoft Graph refused ${endpoint} (HTTP ${status}${code}).${hint}`);
}

/** `value[3].phoneType` */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '') || '(the body)';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorCodeOf(body: unknown): string | null {
  const parsed = graphErrorSchema.safeParse(body);
  return parsed.success ? parsed.data.error.code : null;
}

function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  return Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
}

/** `ECONNREFUSED`, `ENOTFOUND`…: safe to show, unlike the cause's message. */
function systemErrorCode(error: unknown): string | null {
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  const code: unknown = cause && typeof cause === 'object' && 'code' in cause ? cause.code : undefined;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : null;
}
