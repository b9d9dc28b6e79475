import { randomBytes, type KeyObject } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { startLoopbackServer, type LoopbackServer, type ReceivedRequest } from '../../sms/loopback-server';

/**
 * Microsoft Graph v1.0 and the Microsoft Entra ID token endpoint on 127.0.0.1, answering
 * with the documented request and response shapes: client credentials, `@odata.nextLink`
 * paging, `/users/delta` rounds with `@odata.deltaLink` and `@removed`, `$batch`, advanced
 * queries that need `ConsistencyLevel: eventual`, and faults (429 with `Retry-After`, 503,
 * 500, malformed bodies, a hung answer) injected per request.
 */

export interface StandInPhoneMethod {
  id: string;
  /** As Graph documents it: `+1 2065550100`, an office number with `x123`, or null. */
  phoneNumber: string | null;
  phoneType: string;
  smsSignInState: string;
}

export interface StandInUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  accountEnabled: boolean;
  phoneMethods: StandInPhoneMethod[];
}

export interface StandInGroup {
  displayName: string;
  /** User ids and group ids (nested groups). */
  members: string[];
}

export interface StandInPolicy {
  state: 'enabled' | 'disabled';
  /** `targetType` defaults to group; Graph v1.0's enum also has user and unknownFutureValue. */
  includeTargets: Array<{ id: string; isUsableForSignIn: boolean; targetType?: string }>;
  /** Absent: Graph leaves the property out of the answer. */
  excludeTargets?: Array<{ id: string; targetType?: string }>;
}

/**
 * The tenant the stand-in serves. As in Graph, only changes to a user's own properties
 * (and deletions) show up in `/users/delta`; phone methods and memberships do not.
 */
export class StandInDirectory {
  readonly users = new Map<string, StandInUser>();
  readonly groups = new Map<string, StandInGroup>();
  readonly roles = new Map<string, { displayName: string; members: string[] }>();
  /** Role members answered without `@odata.type`, as Graph may for a type it does not annotate. */
  readonly untypedRoleMembers = new Set<string>();
  policy: StandInPolicy = { state: 'enabled', includeTargets: [{ id: 'all_users', isUsableForSignIn: true }], excludeTargets: [] };
  private version = 0;
  private readonly changedAt = new Map<string, number>();
  private readonly removedAt = new Map<string, number>();

  putUser(user: StandInUser): void {
    this.users.set(user.id, user);
    this.changedAt.set(user.id, ++this.version);
    this.removedAt.delete(user.id);
  }

  updateUser(id: string, patch: Partial<Omit<StandInUser, 'id' | 'phoneMethods'>>): void {
    this.putUser({ ...this.users.get(id)!, ...patch });
  }

  deleteUser(id: string): void {
    this.users.delete(id);
    this.changedAt.delete(id);
    this.removedAt.set(id, ++this.version);
    for (const group of this.groups.values()) group.members = group.members.filter((member) => member !== id);
  }

  setPhoneMethods(id: string, phoneMethods: StandInPhoneMethod[]): void {
    this.users.get(id)!.phoneMethods = phoneMethods;
  }

  addMember(groupId: string, memberId: string): void {
    this.groups.get(groupId)!.members.push(memberId);
  }

  removeMember(groupId: string, memberId: string): void {
    const group = this.groups.get(groupId)!;
    group.members = group.members.filter((member) => member !== memberId);
  }

  /** Users in a group, through nested groups. */
  transitiveUsers(groupId: string, seen = new Set<string>()): string[] {
    const found: string[] = [];
    for (const member of this.groups.get(groupId)?.members ?? []) {
      if (seen.has(member)) continue;
      seen.add(member);
      if (this.users.has(member)) found.push(member);
      else if (this.groups.has(member)) found.push(...this.transitiveUsers(member, seen));
    }
    return found;
  }

  get currentVersion(): number {
    return this.version;
  }

  /** What a delta round from `since` returns: everyone (null), or those changed or removed since. */
  deltaItems(since: number | null): Array<StandInUser | { id: string; removed: true }> {
    if (since === null) return [...this.users.values()];
    const changed = [...this.users.values()].filter((user) => (this.changedAt.get(user.id) ?? 0) > since);
    const removed = [...this.removedAt].filter(([, at]) => at > since).map(([id]) => ({ id, removed: true as const }));
    return [...changed, ...removed];
  }
}

export type StandInCredential = { clientSecret: string } | { certificate: { publicKey: KeyObject; thumbprintSha256: string } };

export interface Fault {
  status: number;
  /** Seconds (`2.128`, as Microsoft's throttling guide shows) or an HTTP-date. */
  retryAfter?: number | string;
  /** Sent as the JSON body instead of Graph's error body. */
  body?: unknown;
  /** Never answers: a hung Graph. */
  hang?: boolean;
}

export interface GraphStandIn {
  origin: string;
  tenantId: string;
  clientId: string;
  /** Options for `GraphDirectorySource` that point msal and Graph here and nowhere else. */
  endpoints: { authorityHost: string; graphBaseUrl: string; authorityMetadata: string; cloudDiscoveryMetadata: string };
  /** Every HTTP request received, in order. */
  requests: ReceivedRequest[];
  /** Every request inside a `$batch`, as `GET /users/…`. */
  batched: string[];
  /** Requests the stand-in does not serve, as `METHOD /path`: Graph would not have been asked these. */
  unexpected: string[];
  tokensIssued(): number;
  /** Answers the next `times` requests whose `METHOD /path?query` (below /v1.0) matches with `fault`; inside `$batch` too. */
  failNext(pattern: RegExp, fault: Fault, times?: number): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  hang?: boolean;
}

const VERSION = '/v1.0';

export async function startGraphStandIn(
  directory: StandInDirectory,
  credential: StandInCredential,
  setup: { tenantId: string; clientId: string; pageSize?: number },
): Promise<GraphStandIn> {
  const pageSize = setup.pageSize ?? 100;
  const faults: Array<{ pattern: RegExp; fault: Fault; remaining: number }> = [];
  const tokens = new Set<string>();
  const batched: string[] = [];
  const unexpected: string[] = [];
  let origin = '';

  const server: LoopbackServer = await startLoopbackServer((request, response) => {
    handle(request)
      .then((answer) => send(response, answer))
      .catch((error: unknown) => send(response, { status: 500, body: { error: { code: 'standInFailure', message: String(error) } } }));
  });
  origin = server.origin;
  const host = new URL(origin).host;
  const tokenPath = `/${setup.tenantId}/oauth2/v2.0/token`;

  async function handle(request: ReceivedRequest): Promise<Answer> {
    if (request.method === 'POST' && request.path.split('?')[0] === tokenPath) return issueToken(request.body);
    if (!request.path.startsWith(`${VERSION}/`)) {
      unexpected.push(`${request.method} ${request.path.split('?')[0]}`);
      return { status: 404, body: { error: 'not_found' } };
    }
    if (!tokens.has(String(request.headers.authorization).replace(/^Bearer /, ''))) {
      return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
    }
    const path = request.path.slice(VERSION.length);
    const fault = takeFault(`${request.method} ${path}`);
    if (fault) return fault;
    if (request.method === 'POST' && path === '/$batch') return batch(request.body);
    return route(request.method, path, request.headers.consistencylevel);
  }

  async function issueToken(rawBody: string): Promise<Answer> {
    const form = new URLSearchParams(rawBody);
    const refuse = (code: string, number: number, text: string): Answer => ({
      status: 401,
      body: { error: code, error_description: `AADSTS${number}: ${text}`, error_codes: [number] },
    });
    if (form.get('grant_type') !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type' } };
    if (form.get('client_id') !== setup.clientId) return refuse('unauthorized_client', 700016, 'Application not found in the directory.');
    if (form.get('scope') !== `${origin}/.default`) return { status: 400, body: { error: 'invalid_scope', error_description: 'AADSTS70011: The provided scope is not valid.' } };
    if ('clientSecret' in credential) {
      if (form.get('client_secret') !== credential.clientSecret) return refuse('invalid_client', 7000215, 'Invalid client secret provided.');
    } else {
      const assertion = form.get('client_assertion') ?? '';
      if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return refuse('invalid_client', 7000216, 'client_assertion is required.');
      try {
        const expected = Buffer.from(credential.certificate.thumbprintSha256, 'hex').toString('base64url');
        if (decodeProtectedHeader(assertion)['x5t#S256'] !== expected) return refuse('invalid_client', 700027, 'Client assertion contains an invalid signature.');
        // Entra allows a few minutes of clock skew; msal rounds the current second.
        const expectations = { audience: `${origin}${tokenPath}`, issuer: setup.clientId, subject: setup.clientId, clockTolerance: 300 };
        await jwtVerify(assertion, credential.certificate.publicKey, expectations);
      } catch {
        return refuse('invalid_client', 700027, 'Client assertion contains an invalid signature.');
      }
    }
    const token = `stand-in-${randomBytes(16).toString('hex')}`;
    tokens.add(token);
    return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token } };
  }

  function batch(rawBody: string): Answer {
    const { requests } = JSON.parse(rawBody) as { requests: Array<{ id: string; method: string; url: string; headers?: Record<string, string> }> };
    if (requests.length > 20) return graphError(400, 'BadRequest', 'The batch request contains more than 20 requests.');
    const responses = requests.map((sub) => {
      batched.push(`${sub.method} ${sub.url}`);
      const answer = takeFault(`${sub.method} ${sub.url}`) ?? route(sub.method, sub.url, sub.headers?.ConsistencyLevel);
      return { id: sub.id, status: answer.status, headers: { 'Content-Type': 'application/json', ...answer.headers }, body: answer.body };
    });
    // Graph answers a batch in any order.
    return { status: 200, body: { responses: responses.reverse() } };
  }

  function route(method: string, pathAndQuery: string, consistency: string | string[] | undefined): Answer {
    const url = new URL(pathAndQuery, origin);
    const path = decodeURIComponent(url.pathname);
    const select = url.searchParams.get('$select')?.split(',');
    let match: RegExpExecArray | null;
    if (method !== 'GET') return graphError(405, 'Request_BadRequest', 'Method not allowed.');

    if (path === '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/sms') {
      return ok({
        '@odata.context': `${origin}${VERSION}/$metadata#authenticationMethodConfigurations/$entity`,
        '@odata.type': '#microsoft.graph.smsAuthenticationMethodConfiguration',
        id: 'Sms',
        state: directory.policy.state,
        ...(directory.policy.excludeTargets && { excludeTargets: directory.policy.excludeTargets.map(({ id, targetType }) => ({ id, targetType: targetType ?? 'group' })) }),
        'includeTargets@odata.context': `${origin}${VERSION}/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations('Sms')/microsoft.graph.smsAuthenticationMethodConfiguration/includeTargets`,
        includeTargets: directory.policy.includeTargets.map(({ id, isUsableForSignIn, targetType }) => ({ targetType: targetType ?? 'group', id, isRegistrationRequired: false, isUsableForSignIn })),
      });
    }
    if ((match = /^\/groups\/([^/]+)$/.exec(path))) {
      const group = directory.groups.get(match[1]!);
      if (!group) return notFound(match[1]!);
      return ok(project({ id: match[1]!, displayName: group.displayName, mailEnabled: false, securityEnabled: true }, select));
    }
    if ((match = /^\/groups\/([^/]+)\/transitiveMembers\/microsoft\.graph\.user$/.exec(path))) {
      if (url.searchParams.has('$count') && consistency !== 'eventual') {
        return graphError(400, 'Request_UnsupportedQuery', "Count is not supported without the 'ConsistencyLevel: eventual' header.");
      }
      if (!directory.groups.has(match[1]!)) return notFound(match[1]!);
      const members = directory.transitiveUsers(match[1]!).map((id) => ({ '@odata.type': '#microsoft.graph.user', id }));
      return page(url, members, { '@odata.count': members.length });
    }
    if (path === '/directoryRoles') {
      return page(url, [...directory.roles].map(([id, role]) => ({ id, displayName: role.displayName, roleTemplateId: `template-${id}` })));
    }
    if ((match = /^\/directoryRoles\/([^/]+)\/members$/.exec(path))) {
      const role = directory.roles.get(match[1]!);
      if (!role) return notFound(match[1]!);
      const members = role.members.map((id) =>
        directory.untypedRoleMembers.has(id) ? { id } : { '@odata.type': directory.groups.has(id) ? '#microsoft.graph.group' : '#microsoft.graph.user', id },
      );
      return page(url, members);
    }
    if (path === '/users/delta') return usersDelta(url, select);
    if ((match = /^\/users\/([^/]+)$/.exec(path))) {
      const user = directory.users.get(match[1]!);
      return user ? ok(project(userProperties(user), select)) : notFound(match[1]!);
    }
    if ((match = /^\/users\/([^/]+)\/authentication\/phoneMethods$/.exec(path))) {
      const user = directory.users.get(match[1]!);
      if (!user) return notFound(match[1]!);
      return ok({ '@odata.context': `${origin}${VERSION}/$metadata#users('${user.id}')/authentication/phoneMethods`, value: user.phoneMethods });
    }
    unexpected.push(`${method} ${path}`);
    return graphError(400, 'BadRequest', 'Resource not found for the segment.');
  }

  /** Delta rounds: `$skiptoken` carries the page within a round, `$deltatoken` the version a round ended at. */
  function usersDelta(url: URL, select: string[] | undefined): Answer {
    const skip = url.searchParams.get('$skiptoken');
    const state = skip
      ? (JSON.parse(Buffer.from(skip, 'base64url').toString()) as { since: number | null; upto: number; offset: number; select?: string[] })
      : { since: url.searchParams.has('$deltatoken') ? Number(url.searchParams.get('$deltatoken')) : null, upto: directory.currentVersion, offset: 0, select };
    const items = directory.deltaItems(state.since).map((item) =>
      'removed' in item ? { id: item.id, '@removed': { reason: 'deleted' } } : project(userProperties(item), state.select),
    );
    const value = items.slice(state.offset, state.offset + pageSize);
    const body: Record<string, unknown> = { '@odata.context': `${origin}${VERSION}/$metadata#users`, value };
    if (state.offset + pageSize < items.length) {
      const next = Buffer.from(JSON.stringify({ ...state, offset: state.offset + pageSize })).toString('base64url');
      body['@odata.nextLink'] = `${origin}${VERSION}/users/delta?$skiptoken=${next}`;
    } else {
      body['@odata.deltaLink'] = `${origin}${VERSION}/users/delta?$deltatoken=${state.upto}`;
    }
    return ok(body);
  }

  function page(url: URL, items: unknown[], extra: Record<string, unknown> = {}): Answer {
    const offset = Number(url.searchParams.get('$skiptoken') ?? 0);
    const size = Math.min(pageSize, Number(url.searchParams.get('$top') ?? pageSize));
    const body: Record<string, unknown> = { '@odata.context': `${origin}${VERSION}/$metadata#directoryObjects`, ...extra, value: items.slice(offset, offset + size) };
    if (offset + size < items.length) {
      const query = url.search.replace(/[?&]\$skiptoken=[^&]*/, '').replace(/^&/, '?');
      body['@odata.nextLink'] = `${origin}${VERSION}${url.pathname}${query}${query ? '&' : '?'}$skiptoken=${offset + size}`;
    }
    return ok(body);
  }

  function takeFault(request: string): Answer | null {
    const entry = faults.find((candidate) => candidate.remaining > 0 && candidate.pattern.test(request));
    if (!entry) return null;
    entry.remaining--;
    const { status, retryAfter, body, hang } = entry.fault;
    const headers: Record<string, string> = retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) };
    const code = status === 429 ? 'TooManyRequests' : status === 503 ? 'ServiceUnavailable' : 'generalException';
    return { status, headers, body: body ?? { error: { code, message: 'Injected by the stand-in.' } }, hang };
  }

  return {
    origin,
    tenantId: setup.tenantId,
    clientId: setup.clientId,
    endpoints: {
      authorityHost: host,
      graphBaseUrl: `${origin}${VERSION}`,
      authorityMetadata: JSON.stringify({
        token_endpoint: `${origin}${tokenPath}`,
        authorization_endpoint: `https://${host}/${setup.tenantId}/oauth2/v2.0/authorize`,
        issuer: `https://${host}/${setup.tenantId}/v2.0`,
        jwks_uri: `https://${host}/${setup.tenantId}/discovery/v2.0/keys`,
      }),
      cloudDiscoveryMetadata: JSON.stringify({
        tenant_discovery_endpoint: `https://${host}/${setup.tenantId}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      }),
    },
    requests: server.requests,
    batched,
    unexpected,
    tokensIssued: () => tokens.size,
    failNext: (pattern, fault, times = 1) => faults.push({ pattern, fault, remaining: times }),
    close: () => server.close(),
  };
}

function userProperties(user: StandInUser): Record<string, unknown> {
  const { id, displayName, userPrincipalName, accountEnabled } = user;
  return { id, displayName, userPrincipalName, accountEnabled, mail: null, jobTitle: 'Associate' };
}

/** `$select`: only the properties asked for, and always `id`. */
function project(item: Record<string, unknown>, select: string[] | undefined): Record<string, unknown> {
  if (!select) return item;
  return Object.fromEntries(Object.entries(item).filter(([key]) => key === 'id' || select.includes(key)));
}

function ok(body: unknown): Answer {
  return { status: 200, body };
}

function notFound(id: string): Answer {
  return graphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
}

function graphError(status: number, code: string, message: string): Answer {
  return { status, body: { error: { code, message, innerError: { 'request-id': 'stand-in', date: '2026-11-22T09:00:00' } } } };
}

function send(response: ServerResponse, answer: Answer): void {
  if (answer.hang) return;
  response.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers }).end(JSON.stringify(answer.body ?? {}));
}
