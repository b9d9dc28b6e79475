import { parseOptions } from '../../base/parse-options';
import { z } from 'zod';
import type { Clock } from '../../base/clock';
import type { SecretStore } from '../../secrets/secret-store';
import { parseEndpointUrl } from '../../sms/http-delivery';
import {
  ALL_USERS,
  directorySnapshotSchema,
  directoryUserSchema,
  kioskSettingsSchema,
  type DirectoryUser,
  type SmsMethodPolicy,
} from '../../directory/directory-snapshot';
import { SyncRefusedError, type DirectoryChange, type DirectorySource, type SetAside } from '../directory-source';
import { setAsideUnknownTargets } from '../set-aside-records';
import { directoryDeltaSchema } from '../../directory/directory-delta';
import { GraphClient, GraphRefusedError, realSleep, type Sleep } from './graph-client';
import { openAppCredential, type AppRegistration } from './graph-credential';
import {
  deltaUserSchema,
  directoryObjectSchema,
  directoryRoleSchema,
  groupSchema,
  phoneMethodSchema,
  phoneMethodsSchema,
  smsMethodConfigurationSchema,
  userSchema,
  type DeltaUser,
  type GraphUser,
} from './graph-responses';

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');
const keychainEntry = z.string().min(1, 'must name a keychain entry').max(200);

function isEndpointUrl(value: string): boolean {
  try {
    parseEndpointUrl('graphBaseUrl', value);
    return true;
  } catch {
    return false;
  }
}

function hasSafeTokenEndpoint(metadata: string): boolean {
  try {
    const tokenEndpoint: unknown = (JSON.parse(metadata) as { token_endpoint?: unknown }).token_endpoint;
    return typeof tokenEndpoint === 'string' && isEndpointUrl(tokenEndpoint);
  } catch {
    return false;
  }
}

/**
 * Microsoft's clouds, each with its own sign-in and Graph hosts (national cloud deployments:
 * https://learn.microsoft.com/graph/deployments).
 */
export const graphClouds = {
  global: { authorityHost: 'login.microsoftonline.com', graphBaseUrl: 'https://graph.microsoft.com/v1.0' },
  usGov: { authorityHost: 'login.microsoftonline.us', graphBaseUrl: 'https://graph.microsoft.us/v1.0' },
  usGovDoD: { authorityHost: 'login.microsoftonline.us', graphBaseUrl: 'https://dod-graph.microsoft.us/v1.0' },
  china: { authorityHost: 'login.chinacloudapi.cn', graphBaseUrl: 'https://microsoftgraph.chinacloudapi.cn/v1.0' },
} as const;

/** The Microsoft Graph source's part of the device configuration. Secrets are keychain entry names, never values. */
export const graphSourceOptionsSchema = z
  .strictObject({
    /** The directory (tenant) id, or a verified domain of the tenant. */
    tenantId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/, 'must be the directory (tenant) id or a verified domain'),
    /** The application (client) id of the kiosk's app registration. */
    clientId: guid,
    /** Name of the keychain entry holding the client secret's value. */
    clientSecret: keychainEntry.optional(),
    certificate: z
      .strictObject({
        /** Name of the keychain entry holding the certificate's private key, PEM. */
        privateKeySecret: keychainEntry,
        /** SHA-256 of the certificate, hex; colons and spaces as `openssl x509 -fingerprint -sha256` prints them are fine. */
        thumbprintSha256: z
          .string()
          .transform((value) => value.replace(/[\s:]/g, '').toLowerCase())
          .pipe(z.string().regex(/^[0-9a-f]{64}$/, 'must be the certificate SHA-256 thumbprint, 64 hex digits')),
      })
      .optional(),
    /** Users who are members, directly or through nested groups, of any of these groups are synced. */
    groupIds: z.array(guid).min(1).max(50),
    /** Not in Graph: every snapshot carries them as configured here. */
    kioskSettings: kioskSettingsSchema,
    /** The tenant's cloud: its sign-in and Graph hosts follow. */
    cloud: z.enum(['global', 'usGov', 'usGovDoD', 'china']).default('global'),
    /** Expert override of the cloud's sign-in host (a gateway on this machine, the tests). */
    authorityHost: z
      .string()
      .regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be a host name such as login.microsoftonline.com')
      .optional(),
    /** Expert override of the cloud's Graph root. */
    graphBaseUrl: z
      .string()
      .refine(isEndpointUrl, 'must be an https: URL such as https://graph.microsoft.com/v1.0 (http: only to 127.0.0.1 or localhost)')
      .optional(),
    /** OpenID configuration of the authority, JSON: msal then fetches none. The client secret goes to its token_endpoint. */
    authorityMetadata: z
      .string()
      .refine(hasSafeTokenEndpoint, 'must be JSON whose token_endpoint is an https: URL (http: only to 127.0.0.1 or localhost)')
      .optional(),
    /** Instance discovery answer, JSON: msal then asks login.microsoftonline.com nothing. */
    cloudDiscoveryMetadata: z.string().min(2).optional(),
    /** Per request. */
    timeoutMs: z.number().int().min(100).max(300_000).default(30_000),
    /** Retries of a request Graph throttles (429) or cannot serve (503) before the sync is refused. */
    maxRetries: z.number().int().min(0).max(10).default(4),
    /** A longer `Retry-After` ends the sync at once (refused with `retryAt`) instead of holding it open. */
    maxRetryWaitSeconds: z.number().int().min(1).max(3600).default(120),
    /** `$batch` requests in flight at once. */
    batchConcurrency: z.number().int().min(1).max(16).default(4),
    /**
     * Graph has no delta for phone methods or memberships' effect on them: a full read this
     * often catches a phone number changed on a user who changed nothing else.
     */
    fullSyncIntervalMinutes: z.number().int().min(15).max(10_080).default(360),
  })
  .refine((options) => (options.clientSecret === undefined) !== (options.certificate === undefined), {
    message: 'set exactly one of clientSecret and certificate',
    path: ['clientSecret'],
  });
export type GraphSourceOptions = z.input<typeof graphSourceOptionsSchema>;

export interface GraphSourceDeps {
  secrets: SecretStore;
  clock: Clock;
  fetch?: typeof fetch;
  sleep?: Sleep;
}

const USER_FIELDS = 'id,displayName,userPrincipalName,accountEnabled';
const eventual = { ConsistencyLevel: 'eventual' };

/** Who is in scope right now, and what the policy says: read afresh on every fetch. */
interface Scope {
  policy: SmsMethodPolicy;
  /** Configured groups and groups the policy targets, with their display names. */
  groups: Map<string, string>;
  /** Users in a configured group, with every group of `groups` they are in, directly or nested. */
  members: Map<string, string[]>;
  privileged: Set<string>;
  /** Policy targets and role members set aside while reading the scope. */
  setAside: SetAside[];
}

/** What the last fetch handed out, so the next one can say what changed. */
interface LastFetch {
  cursor: string;
  fullReadAt: number;
  users: Map<string, { groupIds: string[]; isPrivileged: boolean }>;
  groups: Map<string, string>;
  policy: string;
}

/**
 * `LastFetch` as JSON, for a reader that lives one process long (the fleet's publisher): it
 * hands this back to the next run so that run follows the delta link instead of reading
 * the whole tenant again. It holds ids, group ids and the delta link, never a phone number.
 */
export const graphSourceMemorySchema = z.strictObject({
  cursor: z.string().min(1),
  fullReadAt: z.number().int().nonnegative(),
  users: z.array(z.tuple([z.string(), z.strictObject({ groupIds: z.array(z.string()), isPrivileged: z.boolean() })])),
  groups: z.array(z.tuple([z.string(), z.string()])),
  policy: z.string(),
});
export type GraphSourceMemory = z.infer<typeof graphSourceMemorySchema>;

/**
 * Users, phone methods, groups and the SMS policy from Microsoft Graph, for the users in the
 * configured groups. The first fetch reads everything (`/users/delta` from the start); later
 * ones follow the delta link and re-read who changed. Any failure part-way rejects the whole
 * fetch: nothing partial is returned.
 *
 * Graph's delta covers user properties only, and scope depends on memberships, so this
 * source remembers what its last fetch returned. A cursor it did not issue itself (after a
 * restart, or when the last result was not applied) gets a full snapshot instead.
 */
export class GraphDirectorySource implements DirectorySource {
  readonly kind = 'graph';
  private readonly options: z.output<typeof graphSourceOptionsSchema>;
  private readonly registration: AppRegistration;
  private readonly baseUrl: URL;
  private last: LastFetch | null = null;
  private running = false;

  constructor(
    options: GraphSourceOptions,
    private readonly deps: GraphSourceDeps,
  ) {
    this.options = parseOptions(graphSourceOptionsSchema, options, 'Microsoft Graph source');
    const cloud = graphClouds[this.options.cloud];
    this.baseUrl = new URL((this.options.graphBaseUrl ?? cloud.graphBaseUrl).replace(/\/+$/, ''));
    const { tenantId, clientId, authorityMetadata, cloudDiscoveryMetadata, clientSecret, certificate } = this.options;
    const authorityHost = this.options.authorityHost ?? cloud.authorityHost;
    const common = { tenantId, clientId, authorityHost, authorityMetadata, cloudDiscoveryMetadata };
    this.registration = certificate ? { ...common, certificate } : { ...common, clientSecret: clientSecret! };
  }

  /** What this source remembers of its last fetch (null before one), for `resume` in a later process. */
  memory(): GraphSourceMemory | null {
    const last = this.last;
    if (!last) return null;
    return { cursor: last.cursor, fullReadAt: last.fullReadAt, users: [...last.users], groups: [...last.groups], policy: last.policy };
  }

  /** Picks up where an earlier process's source stopped: a fetch with `memory.cursor` then reads only changes. */
  resume(memory: GraphSourceMemory): void {
    const { cursor, fullReadAt, users, groups, policy } = graphSourceMemorySchema.parse(memory);
    this.last = { cursor, fullReadAt, users: new Map(users), groups: new Map(groups), policy };
  }

  async fetch(cursor: string | null, signal?: AbortSignal): Promise<DirectoryChange> {
    // Two deltas computed from the same base and applied one after the other could undo each other.
    if (this.running) throw new SyncRefusedError('busy', 'A Microsoft Graph sync is already running on this kiosk.');
    this.running = true;
    try {
      return await this.read(cursor, signal);
    } finally {
      this.running = false;
    }
  }

  private async read(cursor: string | null, signal: AbortSignal | undefined): Promise<DirectoryChange> {
    const { clock } = this.deps;
    const fetchImpl = this.deps.fetch ?? fetch;
    const link = { fetch: fetchImpl, timeoutMs: this.options.timeoutMs, signal };
    // The resource's own `.default` scope: every application permission consented to the app.
    const accessToken = await openAppCredential(this.registration, this.deps.secrets, link, `${this.baseUrl.origin}/.default`);
    const graph = new GraphClient(
      {
        baseUrl: this.baseUrl,
        timeoutMs: this.options.timeoutMs,
        maxRetries: this.options.maxRetries,
        maxRetryWaitMs: this.options.maxRetryWaitSeconds * 1000,
        batchConcurrency: this.options.batchConcurrency,
      },
      { fetch: fetchImpl, sleep: this.deps.sleep ?? realSleep, clock, accessToken, signal },
    );

    const scope = await readScope(graph, this.options.groupIds);
    const last = this.last;
    const deltaAllowed = cursor !== null && last?.cursor === cursor && clock.now() - last.fullReadAt < this.options.fullSyncIntervalMinutes * 60_000;
    if (deltaAllowed) {
      try {
        return await this.readChanges(graph, scope, last);
      } catch (error) {
        if (!isSyncStateGone(error)) throw error;
      }
    }
    return this.readEverything(graph, scope);
  }

  private async readEverything(graph: GraphClient, scope: Scope): Promise<DirectoryChange> {
    const found = new Map<string, DeltaUser>();
    const cursor = await walkDelta(graph, `/users/delta?$select=${USER_FIELDS}`, (item) => {
      if (item['@removed']) found.delete(item.id);
      else if (scope.members.has(item.id)) found.set(item.id, item);
    });
    const setAside = [...scope.setAside];
    const read = await readUsers(graph, [...found.keys()], found, scope, setAside);

    const parsed = directorySnapshotSchema.safeParse({
      groups: [...scope.groups].map(([id, displayName]) => ({ id, displayName })),
      users: [...read.values()],
      smsMethodPolicy: scope.policy,
      kioskSettings: this.options.kioskSettings,
    });
    if (!parsed.success) throw resultRefusal(parsed.error.issues[0]!);
    this.remember(cursor, this.deps.clock.now(), scope, read);
    return { kind: 'snapshot', snapshot: parsed.data, cursor, setAside };
  }

  private async readChanges(graph: GraphClient, scope: Scope, last: LastFetch): Promise<DirectoryChange> {
    const changed = new Map<string, DeltaUser>();
    const deleted = new Set<string>();
    const cursor = await walkDelta(graph, last.cursor, (item) => {
      if (item['@removed']) {
        changed.delete(item.id);
        deleted.add(item.id);
      } else {
        changed.set(item.id, item);
        deleted.delete(item.id);
      }
    });

    const stale = [...scope.members.keys()].filter((id) => {
      if (deleted.has(id)) return false;
      const before = last.users.get(id);
      return !before || changed.has(id) || before.isPrivileged !== scope.privileged.has(id) || !sameIds(before.groupIds, scope.members.get(id)!);
    });
    const setAside = [...scope.setAside];
    const read = await readUsers(graph, stale, changed, scope, setAside);

    // Who the kiosk holds after this delta: the re-read, and the unchanged carried over.
    const reread = new Set(stale);
    const users = new Map<string, { groupIds: string[]; isPrivileged: boolean }>();
    for (const id of scope.members.keys()) {
      const fresh = read.get(id);
      const before = last.users.get(id);
      if (fresh) users.set(id, { groupIds: fresh.groupIds, isPrivileged: fresh.isPrivileged });
      else if (before && !deleted.has(id) && !reread.has(id)) users.set(id, before);
    }

    const policyChanged = JSON.stringify(scope.policy) !== last.policy;
    const parsed = directoryDeltaSchema.safeParse({
      users: { upserted: [...read.values()], removed: [...last.users.keys()].filter((id) => !users.has(id)) },
      groups: {
        upserted: [...scope.groups].filter(([id, name]) => last.groups.get(id) !== name).map(([id, displayName]) => ({ id, displayName })),
        removed: [...last.groups.keys()].filter((id) => !scope.groups.has(id)),
      },
      ...(policyChanged ? { smsMethodPolicy: scope.policy } : {}),
    });
    if (!parsed.success) throw resultRefusal(parsed.error.issues[0]!);
    this.last = { cursor, fullReadAt: last.fullReadAt, users, groups: scope.groups, policy: JSON.stringify(scope.policy) };
    return { kind: 'delta', delta: parsed.data, cursor, setAside };
  }

  private remember(cursor: string, fullReadAt: number, scope: Scope, read: Map<string, DirectoryUser>): void {
    const users = new Map([...read].map(([id, user]) => [id, { groupIds: user.groupIds, isPrivileged: user.isPrivileged }]));
    this.last = { cursor, fullReadAt, users, groups: scope.groups, policy: JSON.stringify(scope.policy) };
  }
}

/**
 * The SMS policy, the groups that matter (configured ones and those the policy targets),
 * each group's users through nested groups, and who holds a directory role. One paged
 * request per group, rather than one per user, keeps a 100 000-user store to a few hundred
 * requests.
 */
async function readScope(graph: GraphClient, configuredGroups: readonly string[]): Promise<Scope> {
  const configuration = await graph.get('/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/sms', smsMethodConfigurationSchema, {
    permission: 'Policy.Read.AuthenticationMethod (or Policy.Read.All)',
  });
  const setAside: SetAside[] = [];
  const targets = setAsideUnknownTargets(configuration.includeTargets, configuration.excludeTargets, setAside);
  const policy: SmsMethodPolicy = {
    state: configuration.state,
    includeTargets: targets.includeTargets.map(({ id, targetType, isUsableForSignIn }) => ({ id, targetType: targetType as 'group' | 'user', isUsableForSignIn })),
    excludeTargets: targets.excludeTargets.map(({ id, targetType }) => ({ id, targetType: targetType as 'group' | 'user' })),
  };

  // A user target names a user, not a group: nothing to look up.
  const targeted = [...policy.includeTargets, ...policy.excludeTargets].filter((target) => target.targetType === 'group' && target.id !== ALL_USERS).map((target) => target.id);
  const relevant = [...new Set([...configuredGroups, ...targeted])];
  const found = await graph.getEach(
    relevant.map((id) => `/groups/${id}?$select=id,displayName`),
    groupSchema,
    { permission: 'GroupMember.Read.All' },
  );
  const groups = new Map<string, string>();
  const groupMembers = new Map<string, string[]>();
  for (const [index, groupId] of relevant.entries()) {
    const group = found[index];
    if (!group) {
      // A deleted group the policy still names has no members; a configured one is a mistake to fix.
      if (configuredGroups.includes(groupId)) {
        throw new SyncRefusedError('group-not-found', `Microsoft Graph has no group ${groupId}, which the kiosk's configuration names in groupIds.`);
      }
      continue;
    }
    groups.set(groupId, group.displayName);
    groupMembers.set(groupId, await transitiveUsers(graph, groupId));
  }

  const members = new Map<string, string[]>();
  for (const groupId of configuredGroups) {
    for (const userId of groupMembers.get(groupId) ?? []) members.set(userId, []);
  }
  for (const [groupId, userIds] of groupMembers) {
    for (const userId of userIds) members.get(userId)?.push(groupId);
  }
  return { policy, groups, members, privileged: await privilegedUsers(graph, members, setAside), setAside };
}

/** Users in a group, directly or through nested groups. The cast with `$count` is an advanced query: it needs `ConsistencyLevel: eventual`. */
async function transitiveUsers(graph: GraphClient, groupId: string): Promise<string[]> {
  const ids: string[] = [];
  const path = `/groups/${groupId}/transitiveMembers/microsoft.graph.user?$select=id&$count=true&$top=999`;
  for await (const page of graph.pages(path, directoryObjectSchema, { headers: eventual, permission: 'GroupMember.Read.All' })) {
    ids.push(...page.value.map((member) => member.id));
  }
  return ids;
}

/**
 * Users holding any activated directory role, directly or through a role-assignable group.
 * Roles are listed without `$expand=members`, which Graph caps at 20 members. A member
 * without `@odata.type` fails closed: a synced user is privileged, a group makes its members
 * privileged, and it is listed as set aside either way.
 */
async function privilegedUsers(graph: GraphClient, synced: ReadonlyMap<string, string[]>, setAside: SetAside[]): Promise<Set<string>> {
  const privileged = new Set<string>();
  const permission = 'RoleManagement.Read.Directory';
  const roles: Array<{ id: string; displayName: string }> = [];
  for await (const page of graph.pages('/directoryRoles?$select=id,displayName', directoryRoleSchema, { permission })) {
    roles.push(...page.value);
  }
  const untyped: Array<{ id: string; role: string }> = [];
  for (const role of roles) {
    for await (const page of graph.pages(`/directoryRoles/${role.id}/members?$select=id`, directoryObjectSchema, { permission })) {
      for (const member of page.value) {
        if (member['@odata.type'] === '#microsoft.graph.user') privileged.add(member.id);
        else if (member['@odata.type'] === '#microsoft.graph.group') for (const id of await transitiveUsers(graph, member.id)) privileged.add(id);
        else if (member['@odata.type'] === undefined) untyped.push({ id: member.id, role: role.displayName });
      }
    }
  }
  const asGroups = await graph.getEach(
    untyped.map(({ id }) => `/groups/${id}?$select=id,displayName`),
    groupSchema,
    { permission: 'GroupMember.Read.All' },
  );
  for (const [index, { id, role }] of untyped.entries()) {
    let outcome = 'it is neither a synced user nor a group, and is ignored';
    if (synced.has(id)) {
      privileged.add(id);
      outcome = 'it is a synced user, and is treated as privileged';
    } else if (asGroups[index]) {
      for (const userId of await transitiveUsers(graph, id)) privileged.add(userId);
      outcome = 'it is a group, and its members are treated as privileged';
    }
    setAside.push({ record: 'roleMember', id, code: 'untyped-role-member', reason: `${role} member ${id} has no @odata.type: ${outcome}.` });
  }
  return privileged;
}

/** Walks a delta round to its end and returns the `@odata.deltaLink` for the next one. */
async function walkDelta(graph: GraphClient, start: string, onUser: (user: DeltaUser) => void): Promise<string> {
  for await (const page of graph.pages(start, deltaUserSchema, { permission: 'User.Read.All' })) {
    page.value.forEach(onUser);
    const deltaLink = page['@odata.deltaLink'];
    if (deltaLink !== undefined) return deltaLink;
    if (page['@odata.nextLink'] === undefined) break;
  }
  throw new SyncRefusedError('graph-shape', 'Microsoft Graph answered GET /users/delta in an unexpected shape: @odata.deltaLink: the last page has none.');
}

/**
 * Reads `ids` fully: properties from the delta walk where it had them (else `GET /users/{id}`),
 * phone methods, groups and role. A user deleted while the sync ran is left out. One record
 * is one record: a user or phone method the kiosk cannot read is set aside on its own.
 */
async function readUsers(graph: GraphClient, ids: readonly string[], known: Map<string, DeltaUser>, scope: Scope, setAside: SetAside[]): Promise<Map<string, DirectoryUser>> {
  const properties = new Map<string, GraphUser>();
  const unreadable = new Map<string, string>();
  const readProperties = (id: string, item: unknown, endpoint: string) => {
    const parsed = userSchema.safeParse(item);
    if (parsed.success) properties.set(id, parsed.data);
    else unreadable.set(id, `${endpoint}: user ${id}: ${issueText(parsed.error.issues[0]!)}`);
  };
  const unknown: string[] = [];
  for (const id of ids) {
    const item = known.get(id);
    if (item) readProperties(id, item, 'GET /users/delta');
    else unknown.push(id);
  }
  const looked = await graph.getEach(
    unknown.map((id) => `/users/${id}?$select=${USER_FIELDS}`),
    z.unknown(),
    { permission: 'User.Read.All' },
  );
  looked.forEach((user, index) => {
    if (user !== null && user !== undefined) readProperties(unknown[index]!, user, 'GET /users/{id}');
  });

  const present = ids.filter((id) => properties.has(id) || unreadable.has(id));
  const phones = await graph.getEach(
    present.map((id) => `/users/${id}/authentication/phoneMethods`),
    phoneMethodsSchema,
    { permission: 'UserAuthenticationMethod.Read.All (or the narrower UserAuthMethod-Phone.Read.All)' },
  );

  const users = new Map<string, DirectoryUser>();
  present.forEach((id, index) => {
    const methods = phones[index];
    if (!methods) return;
    const phoneMethods = readPhoneMethods(id, methods.value, setAside);
    const heldNumbers = methods.value.flatMap((method) => {
      const phoneNumber = (method as { phoneNumber?: unknown } | null)?.phoneNumber;
      return typeof phoneNumber === 'string' && phoneNumber.length <= 40 ? [phoneNumber] : [];
    });
    const setUserAside = (reason: string) => setAside.push({ record: 'user', id, code: 'invalid-user', reason: `${reason}. The user is set aside.`, heldNumbers });
    const props = properties.get(id);
    if (!props) return void setUserAside(unreadable.get(id)!);
    const user = directoryUserSchema.safeParse({
      id,
      displayName: props.displayName,
      userPrincipalName: props.userPrincipalName,
      accountEnabled: props.accountEnabled,
      isPrivileged: scope.privileged.has(id),
      groupIds: scope.members.get(id) ?? [],
      phoneMethods,
    });
    if (!user.success) return void setUserAside(`user ${id}: ${issueText(user.error.issues[0]!)} (the kiosk cannot hold it)`);
    users.set(id, user.data);
  });
  return users;
}

/**
 * A user's phone methods as the kiosk holds them. A method without a number is no method;
 * one of a type newer than v1.0, or in a shape the kiosk cannot read, is set aside (leaving it
 * out only takes rights away). Reasons name the field, never the number.
 */
function readPhoneMethods(userId: string, methods: readonly unknown[], setAside: SetAside[]): DirectoryUser['phoneMethods'] {
  const read: DirectoryUser['phoneMethods'] = [];
  methods.forEach((method, index) => {
    const parsed = phoneMethodSchema.safeParse(method);
    const rawId = (method as { id?: unknown } | null)?.id;
    const methodId = typeof rawId === 'string' && rawId.length <= 128 ? rawId : `value[${index}]`;
    const aside = (code: string, problem: string) =>
      setAside.push({ record: 'phoneMethod', id: methodId, userId, code, reason: `user ${userId}: phone method ${methodId}: ${problem}; it is left out.` });
    if (!parsed.success) return void aside('unreadable-phone-method', issueText(parsed.error.issues[0]!));
    const { id, phoneNumber, phoneType, smsSignInState } = parsed.data;
    if (phoneNumber === null) return;
    if (phoneType === 'unknownFutureValue') return void aside('unknown-phone-type', 'phoneType unknownFutureValue is newer than Graph v1.0');
    read.push({ id, phoneNumber, phoneType, smsSignInState });
  });
  return read;
}

/** `accountEnabled: Invalid input: expected boolean`: the field and the problem, never the value. */
function issueText(issue: z.core.$ZodIssue): string {
  return `${issue.path.map(String).join('.') || '(the record)'}: ${issue.message}`;
}

/**
 * Graph no longer holds the state of a delta link: 410 Gone, or a 4xx whose error code says
 * so ("a 40X-series error with error codes such as syncStateNotFound"). A new round starts.
 */
const syncStateGoneCodes = new Set([
  'syncStateNotFound',
  'syncStateInvalid',
  'resyncRequired',
  'resyncApplyDifferences',
  'resyncUploadDifferences',
  'resyncChangesApplyDifferences',
  'resyncChangesUploadDifferences',
]);

function isSyncStateGone(error: unknown): boolean {
  if (!(error instanceof SyncRefusedError)) return false;
  if (error.reason === 'http-410') return true;
  return error instanceof GraphRefusedError && error.status < 500 && error.graphCode !== null && syncStateGoneCodes.has(error.graphCode);
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');
}

/** What Graph sent fits its own shapes but not the kiosk's limits (a 300-character name, say). */
function resultRefusal(issue: z.core.$ZodIssue, where?: string): SyncRefusedError {
  const field = [where, issue.path.join('.')].filter(Boolean).join(': ');
  return new SyncRefusedError('graph-shape', `Microsoft Graph sent a value the kiosk cannot hold: ${field}: ${issue.message}.`);
}
