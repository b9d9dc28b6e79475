import { z } from 'zod';
import { directorySnapshotSchema, directoryUserSchema, type DirectorySnapshot } from '../../directory/directory-snapshot';
import { SyncRefusedError, type SetAside } from '../directory-source';
import { setAsideInvalidUsers, setAsideUnknownTargets } from '../set-aside-records';
import { directoryDeltaSchema, type DirectoryDelta } from '../../directory/directory-delta';

/**
 * The signed JSON feed: one JSON object, a full snapshot or the changes since a cursor,
 * with the snapshot's or delta's fields at the top level beside a few of its own. The
 * format is documented for IT teams in docs/directory-feed.md; docs/feed.schema.json is
 * generated from these schemas.
 */

export const FEED_FORMAT = 'frontline-kiosk-directory-feed';
export const FEED_VERSION = 1;

/** An opaque version of the directory, chosen by whoever publishes the feed. */
const cursorSchema = z.string().min(1).max(512);

const header = {
  /** Lets an editor find the JSON Schema; ignored by the kiosk. */
  $schema: z.string().max(2048).optional(),
  format: z.literal(FEED_FORMAT),
  version: z.literal(FEED_VERSION),
  cursor: cursorSchema,
  /**
   * When the publisher wrote the feed, ISO 8601. A kiosk refuses a feed written before the
   * last one it applied: an old signed feed replayed must not roll the directory back.
   */
  generatedAt: z.string().max(64).optional(),
};

export const feedSnapshotSchema = directorySnapshotSchema.extend({ ...header, kind: z.literal('snapshot') });

/** `since` is the cursor the delta was computed from: it applies only to a kiosk at that cursor. */
export const feedDeltaSchema = directoryDeltaSchema.extend({ ...header, kind: z.literal('delta'), since: cursorSchema });

export const feedDocumentSchema = z.discriminatedUnion('kind', [feedSnapshotSchema, feedDeltaSchema]).meta({
  title: 'Frontline Kiosk directory feed',
  description:
    'Users, groups, phone methods, the SMS sign-in policy and kiosk settings for Frontline Kiosk, as a full snapshot or a delta since a cursor. Field names follow Microsoft Graph. Signed with a detached Ed25519 JWS in <feed>.jws; see docs/directory-feed.md.',
});

/** `setAside`: users and policy targets the kiosk could not read, left out one by one. */
/**
 * What a feed is parsed with: the published schema, but with users already checked one by
 * one (`setAsideRecords`), so 100 000 users are validated once, not twice.
 */
const checkedUsers = z.array(z.custom<z.output<typeof directoryUserSchema>>());
const feedParseSchema = z.discriminatedUnion('kind', [
  feedSnapshotSchema.extend({ users: checkedUsers }),
  feedDeltaSchema.extend({
    users: z.strictObject({ upserted: checkedUsers.default([]), removed: directoryDeltaSchema.shape.users.unwrap().shape.removed }).default({ upserted: [], removed: [] }),
  }),
]);

export type FeedDocument =
  | { kind: 'snapshot'; cursor: string; generatedAt?: string; snapshot: DirectorySnapshot; setAside: SetAside[] }
  | { kind: 'delta'; cursor: string; since: string; generatedAt?: string; delta: DirectoryDelta; setAside: SetAside[] };

/** The JSON Schema an IT team can validate a feed against before publishing it. */
export function feedJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(feedDocumentSchema, { io: 'input', target: 'draft-2020-12' });
}

/**
 * Reads a feed's bytes (already authenticated) into a snapshot or a delta. One record is
 * one record: a user that does not fit the schema, or a policy target of an unknown type, is
 * set aside alone (see `setAsideInvalidUsers`, `setAsideUnknownTargets`). The envelope
 * itself is refused with a `SyncRefusedError`: `malformed` (not UTF-8 JSON), `format`
 * (another format or version), `schema` (naming the first field that does not fit: the
 * policy, the settings, the groups). `name` says what is being read: "The feed", "feed.json".
 */
export function parseFeedDocument(bytes: Uint8Array, name = 'The feed'): FeedDocument {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new SyncRefusedError('malformed', `${name} is not UTF-8 text.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SyncRefusedError('malformed', `${name} is not valid JSON${jsonErrorPlace(error, text)}.`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SyncRefusedError('malformed', `${name} is not a JSON object.`);
  }
  checkFormat(json as Record<string, unknown>, name);

  const setAside: SetAside[] = [];
  const parsed = feedParseSchema.safeParse(setAsideRecords(json as Record<string, unknown>, setAside));
  if (!parsed.success) {
    const [first, ...rest] = parsed.error.issues;
    const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})` : '';
    throw new SyncRefusedError('schema', `${name} does not match the feed schema at ${fieldPath(first!.path)}: ${first!.message}${more}.`);
  }
  const feed = parsed.data;
  const written = feed.generatedAt === undefined ? {} : { generatedAt: feed.generatedAt };
  if (feed.kind === 'snapshot') {
    const { groups, users, smsMethodPolicy, kioskSettings } = feed;
    return { kind: 'snapshot', cursor: feed.cursor, ...written, snapshot: { groups, users, smsMethodPolicy, kioskSettings }, setAside };
  }
  const { users, groups, smsMethodPolicy, kioskSettings } = feed;
  return { kind: 'delta', cursor: feed.cursor, since: feed.since, ...written, delta: { users, groups, smsMethodPolicy, kioskSettings }, setAside };
}

/** The feed with the users and targets it cannot read taken out (and listed in `setAside`); the rest as it was. */
function setAsideRecords(json: Record<string, unknown>, setAside: SetAside[]): Record<string, unknown> {
  const feed = { ...json };
  if (feed.kind === 'snapshot' && Array.isArray(feed.users)) feed.users = setAsideInvalidUsers(feed.users, directoryUserSchema, 'users', setAside);
  const users = feed.users as { upserted?: unknown } | undefined;
  if (feed.kind === 'delta' && typeof users === 'object' && users !== null && Array.isArray(users.upserted)) {
    feed.users = { ...users, upserted: setAsideInvalidUsers(users.upserted, directoryUserSchema, 'users.upserted', setAside) };
  }
  const policy = feed.smsMethodPolicy as { includeTargets?: unknown; excludeTargets?: unknown } | undefined;
  if (typeof policy === 'object' && policy !== null && Array.isArray(policy.includeTargets) && (policy.excludeTargets === undefined || Array.isArray(policy.excludeTargets))) {
    const isObject = (target: unknown): target is { targetType?: unknown } => typeof target === 'object' && target !== null;
    const include = policy.includeTargets as unknown[];
    const exclude = (policy.excludeTargets ?? []) as unknown[];
    // Targets that are not even objects are the policy's shape, refused with the envelope.
    if (include.every(isObject) && exclude.every(isObject)) feed.smsMethodPolicy = { ...policy, ...setAsideUnknownTargets(include, exclude, setAside) };
  }
  return feed;
}

/** The format marker and version first, so a wrong file gets a plain answer rather than a list of missing fields. */
function checkFormat(json: Record<string, unknown>, name: string): void {
  if (json.format !== FEED_FORMAT) {
    const found = typeof json.format === 'string' ? `"${json.format.slice(0, 80)}"` : 'missing';
    throw new SyncRefusedError('format', `${name} is not a Frontline Kiosk directory feed: "format" is ${found}, expected "${FEED_FORMAT}".`);
  }
  if (json.version !== FEED_VERSION) {
    const found = typeof json.version === 'number' ? String(json.version) : 'missing';
    throw new SyncRefusedError('format', `${name} has feed version ${found}; this kiosk reads version ${FEED_VERSION}.`);
  }
}

/** `users[3].phoneMethods[0].smsSignInState` */
function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(the top level)';
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}

/**
 * What JSON.parse found wrong, and where, as a line and column. Never the engine's whole
 * message: it may quote the text around the error, a person's name or number.
 */
function jsonErrorPlace(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : '';
  if (/end of JSON input/i.test(message)) return ': it ends too early';
  const token = /^Unexpected token '(.)'/.exec(message)?.[1];
  const problem = token !== undefined ? `unexpected "${token}"` : /^([A-Za-z '{}[\],:-]{1,60}?) (?:in JSON )?at position/.exec(message)?.[1];
  const position = /position (\d+)/.exec(message)?.[1];
  if (position === undefined) return problem ? `: ${problem}` : '';
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = Number(position) - before.lastIndexOf('\n');
  return `: ${problem ?? 'error'} at line ${line}, column ${column}`;
}
