import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Clock } from '../core/base/clock';
import type { DirectoryDelta } from '../core/directory/directory-delta';
import { directorySnapshotSchema, type DirectorySnapshot, type DirectoryUser } from '../core/directory/directory-snapshot';
import type { SecretStore } from '../core/secrets/secret-store';
import { checkSnapshot } from '../core/sync/apply-change';
import { SyncRefusedError, type SetAside } from '../core/sync/directory-source';
import { FEED_FORMAT, FEED_VERSION, parseFeedDocument } from '../core/sync/feed/feed-document';
import { readManifest } from '../core/sync/feed/feed-manifest';
import { readPinnedKey, signFeedBytes, verifyFeedSignature } from '../core/sync/feed/feed-signature';
import type { Sleep } from '../core/sync/graph/graph-client';
import { GraphDirectorySource, graphSourceMemorySchema } from '../core/sync/graph/graph-source';
import type { PublisherConfig, PublisherSite } from './publisher-config';
import { readStreamedFeed, writeStreamedFeed } from './streamed-feed';

/**
 * One publisher run: read Microsoft Graph once for the fleet with the kiosk's own Graph
 * source (following the last run's delta link when it can), then write, per feed, a signed
 * snapshot and a signed delta from the feed's last cursor. Every file is checked as a kiosk
 * would check it (signature, schema, numbers, groups; the delta applied to the last
 * snapshot gives the new one) before anything is moved into place. One failure publishes
 * nothing and leaves the state as it was.
 */

/** Why a run published nothing, for the person running it; `reason` is short and stable. */
export class PublishRefusedError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export interface PublishDeps {
  secrets: SecretStore;
  clock: Clock;
  signingKey: KeyObject;
  fetch?: typeof fetch;
  sleep?: Sleep;
  /** Warnings for IT (records left out), never a phone number. */
  warn?: (line: string) => void;
}

export interface FeedOutcome {
  /** The site's name, or `""` for the one feed of a configuration without sites. */
  name: string;
  /** `unchanged`: nothing was rewritten, so every ETag (and every kiosk's 304) stays. */
  written: 'snapshot' | 'snapshot+delta' | 'unchanged';
  cursor: string;
  since: string | null;
  users: number;
  changedUsers: number;
  removedUsers: number;
}

export interface PublishOutcome {
  /** How Graph was read: the whole tenant, or the changes since the last run's delta link. */
  graphRead: 'full' | 'delta';
  generatedAt: string;
  feeds: FeedOutcome[];
  setAside: SetAside[];
}

const STATE_FILE = 'publisher-state.json';
/** The last directory published, whole: what the next run's Graph delta is applied to. Holds numbers; owner-only. */
const DIRECTORY_FILE = 'directory.json';

const stateSchema = z.strictObject({
  format: z.literal('frontline-kiosk-publisher-state'),
  version: z.literal(1),
  sequence: z.number().int().nonnegative(),
  lastGeneratedAt: z.string().nullable(),
  graph: graphSourceMemorySchema.nullable(),
  feeds: z.record(z.string(), z.strictObject({ cursor: z.string(), generatedAt: z.string(), deltas: z.array(z.string()) })),
});
type PublisherState = z.infer<typeof stateSchema>;

const emptyState = (): PublisherState => ({ format: 'frontline-kiosk-publisher-state', version: 1, sequence: 0, lastGeneratedAt: null, graph: null, feeds: {} });

export async function publish(config: PublisherConfig, options: { full?: boolean }, deps: PublishDeps): Promise<PublishOutcome> {
  const release = takeLock(config.stateDir);
  try {
    return await publishLocked(config, options, deps);
  } finally {
    release();
  }
}

/**
 * One run at a time per state folder: a run started by hand while the timer's runs would
 * compute both from the same state and publish two chains. A lock left by a run that died
 * (its process is gone) is taken over.
 */
function takeLock(folder: string): () => void {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const file = path.join(folder, 'publisher.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) {
        throw new PublishRefusedError('busy', `another publisher run (process ${holder}) is using ${folder}; this one published nothing.`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new PublishRefusedError('busy', `${file} could not be taken; another run may have just started.`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function publishLocked(config: PublisherConfig, options: { full?: boolean }, deps: PublishDeps): Promise<PublishOutcome> {
  const state = readState(config.stateDir);
  const previous = state.graph ? readDirectory(config.stateDir) : null;
  const full = options.full === true || previous === null;

  const source = new GraphDirectorySource(config.graph, { secrets: deps.secrets, clock: deps.clock, fetch: deps.fetch, sleep: deps.sleep });
  if (!full && state.graph) source.resume(state.graph);
  let change;
  try {
    change = await source.fetch(full ? null : state.graph!.cursor);
  } catch (error) {
    if (error instanceof SyncRefusedError) {
      const retry = error.retryAt ? ` Run again after ${new Date(error.retryAt).toISOString()}.` : '';
      throw new PublishRefusedError(error.reason, `${error.message}${retry}`);
    }
    throw error;
  }
  if (change.kind === 'unchanged' || change.kind === 'streamed-snapshot') throw new PublishRefusedError('graph-shape', 'Microsoft Graph gave no answer to publish.');
  const directory = change.kind === 'snapshot' ? change.snapshot : applyDelta(previous!, change.delta);
  const setAside = change.setAside ?? [];
  for (const record of setAside) deps.warn?.(`left out: ${record.reason}`);

  // The kiosk refuses a feed written before the last one it applied: generatedAt only moves forward.
  const now = Math.max(deps.clock.now(), state.lastGeneratedAt ? Date.parse(state.lastGeneratedAt) + 1000 : 0);
  const generatedAt = new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const sequence = state.sequence + 1;
  const cursor = `${generatedAt.replace(/[-:]/g, '')}-${sequence}`;
  const publicKey = readPinnedKey(createPublicKey(deps.signingKey).export({ type: 'spki', format: 'pem' }).toString());

  const targets: Array<{ name: string; site: PublisherSite | null }> = config.sites ? config.sites.map((site) => ({ name: site.name, site })) : [{ name: '', site: null }];
  // Staged beside the output (a rename never crosses file systems); what a run that died left behind goes first.
  mkdirSync(config.outputDir, { recursive: true });
  for (const name of readdirSync(config.outputDir)) if (name.startsWith('.publishing-')) rmSync(path.join(config.outputDir, name), { recursive: true, force: true });
  const staging = path.join(config.outputDir, `.publishing-${process.pid}`);
  mkdirSync(staging, { recursive: true });
  const moves: Array<{ from: string; to: string }> = [];
  const outcomes: FeedOutcome[] = [];
  const nextFeeds: PublisherState['feeds'] = {};
  try {
    for (const { name, site } of targets) {
      const snapshot = forSite(directory, site);
      const before = state.feeds[name];
      const last = !full && before && previous ? forSite(previous, site) : null;
      const delta = last ? diff(last, snapshot) : null;
      // Unchanged, and already in every form asked for (`streamed` just turned on needs its manifest).
      const formsInPlace = !config.streamed || existsSync(path.join(config.outputDir, name, 'feed.manifest.json'));
      if (delta && isEmpty(delta) && formsInPlace) {
        nextFeeds[name] = before!;
        outcomes.push({ name, written: 'unchanged', cursor: before!.cursor, since: null, users: snapshot.users.length, changedUsers: 0, removedUsers: 0 });
        continue;
      }
      const folder = path.join(staging, name);
      mkdirSync(path.join(folder, 'deltas'), { recursive: true });
      const snapshotBytes = feedBytes({ kind: 'snapshot', cursor, generatedAt, ...snapshot });
      await writeChecked(path.join(folder, 'feed.json'), snapshotBytes, deps.signingKey, publicKey, (bytes, label) => {
        const parsed = parseFeedDocument(bytes, label);
        if (parsed.kind !== 'snapshot') throw new PublishRefusedError('internal', `${label} is not a snapshot.`);
        kioskWouldAccept(parsed.setAside.concat(checkSnapshotOrRefuse(parsed.snapshot, label)), label);
      });
      // A snapshot-only run starts a new chain: the deltas of the old one are dropped.
      const deltas = before && delta && config.keepDeltas > 0 ? [...before.deltas, before.cursor].slice(-config.keepDeltas) : [];
      if (delta && before && config.keepDeltas > 0) {
        const deltaBytes = feedBytes({ kind: 'delta', cursor, since: before.cursor, generatedAt, ...delta });
        await writeChecked(path.join(folder, 'deltas', `${before.cursor}.json`), deltaBytes, deps.signingKey, publicKey, (bytes, label) => {
          const parsed = parseFeedDocument(bytes, label);
          if (parsed.kind !== 'delta' || parsed.since !== before.cursor) throw new PublishRefusedError('internal', `${label} is not a delta from ${before.cursor}.`);
          kioskWouldAccept(parsed.setAside, label);
          // What a kiosk at the last cursor holds after applying it must be the new snapshot exactly.
          if (canonical(applyDelta(last!, parsed.delta)) !== canonical(snapshot)) {
            throw new PublishRefusedError('inconsistent-delta', `${label} applied to the last published snapshot does not give the new one.`);
          }
        });
      }
      const target = path.join(config.outputDir, name);
      // The streamed form: its NDJSON named by cursor, so the one a kiosk is reading stays
      // in place while the next is published; the manifest naming it replaced last.
      const streamedName = `feed-${cursor}.ndjson`;
      if (config.streamed) {
        await writeStreamedChecked(folder, streamedName, { cursor, generatedAt, ...snapshot }, deps.signingKey, publicKey);
        moves.push(
          { from: path.join(folder, streamedName), to: path.join(target, streamedName) },
          { from: path.join(folder, 'feed.manifest.json.jws'), to: path.join(target, 'feed.manifest.json.jws') },
          { from: path.join(folder, 'feed.manifest.json'), to: path.join(target, 'feed.manifest.json') },
        );
      }
      moves.push(...(delta && config.keepDeltas > 0 ? [`deltas/${before!.cursor}.json`, `deltas/${before!.cursor}.json.jws`] : []).map((file) => ({ from: path.join(folder, file), to: path.join(target, file) })));
      // The feed before its signature, each replaced in one step (docs/directory-feed.md, Hosting a fleet).
      moves.push({ from: path.join(folder, 'feed.json'), to: path.join(target, 'feed.json') }, { from: path.join(folder, 'feed.json.jws'), to: path.join(target, 'feed.json.jws') });
      nextFeeds[name] = { cursor, generatedAt, deltas };
      outcomes.push({
        name,
        written: delta && config.keepDeltas > 0 ? 'snapshot+delta' : 'snapshot',
        cursor,
        since: delta ? before!.cursor : null,
        users: snapshot.users.length,
        changedUsers: delta ? delta.users.upserted.length : snapshot.users.length,
        removedUsers: delta ? delta.users.removed.length : 0,
      });
    }
    // Everything checked: now, and only now, into place.
    for (const { from, to } of moves) {
      mkdirSync(path.dirname(to), { recursive: true });
      renameSync(from, to);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  for (const { name } of targets) {
    pruneDeltas(path.join(config.outputDir, name, 'deltas'), nextFeeds[name]!.deltas);
    // The streamed file the manifest names, and the one before it (a kiosk may be reading it).
    if (config.streamed) pruneStreamed(path.join(config.outputDir, name), [nextFeeds[name]!.cursor, state.feeds[name]?.cursor]);
  }

  writeDirectory(config.stateDir, directory);
  const memory = source.memory();
  writeState(config.stateDir, { ...state, sequence, lastGeneratedAt: generatedAt, graph: memory, feeds: nextFeeds });
  return { graphRead: change.kind === 'snapshot' ? 'full' : 'delta', generatedAt, feeds: outcomes, setAside };
}

/** Signs `bytes` into `file` and `file.jws`, then reads both back as a kiosk would before anything is published. */
async function writeChecked(file: string, bytes: Buffer, key: KeyObject, publicKey: ReturnType<typeof readPinnedKey>, check: (bytes: Buffer, label: string) => void): Promise<void> {
  writeFileSync(file, bytes);
  writeFileSync(`${file}.jws`, `${await signFeedBytes(bytes, key)}\n`);
  const label = path.basename(file);
  const written = readFileSync(file);
  try {
    await verifyFeedSignature(written, readFileSync(`${file}.jws`, 'utf8'), [publicKey], label);
    check(written, label);
  } catch (error) {
    if (error instanceof SyncRefusedError) throw new PublishRefusedError(error.reason, `kiosks would refuse ${label}: ${error.message}`);
    throw error;
  }
}

/** Writes the streamed form of `snapshot` into `folder`, then reads it back as a kiosk would: signature, length, digest, every line. */
async function writeStreamedChecked(folder: string, feedName: string, snapshot: DirectorySnapshot & { cursor: string; generatedAt: string }, key: KeyObject, publicKey: ReturnType<typeof readPinnedKey>): Promise<void> {
  const { users, ...header } = snapshot;
  const files = await writeStreamedFeed(folder, 'feed', header, users, key, feedName);
  const label = path.basename(files.manifestPath);
  try {
    const manifestBytes = readFileSync(files.manifestPath);
    await verifyFeedSignature(manifestBytes, readFileSync(`${files.manifestPath}.jws`, 'utf8'), [publicKey], label);
    const manifest = readManifest(manifestBytes, label);
    if (!manifest) throw new PublishRefusedError('internal', `${label} is not a feed manifest.`);
    const { users: read, setAside } = await readStreamedFeed(folder, manifest, feedName);
    kioskWouldAccept(setAside, feedName);
    if (read !== users.length) throw new PublishRefusedError('internal', `${feedName} holds ${read} users, not ${users.length}.`);
  } catch (error) {
    if (error instanceof SyncRefusedError) throw new PublishRefusedError(error.reason, `kiosks would refuse ${label}: ${error.message}`);
    throw error;
  }
}

function pruneStreamed(folder: string, keep: ReadonlyArray<string | undefined>): void {
  if (!existsSync(folder)) return;
  const wanted = new Set(keep.filter((cursor) => cursor !== undefined).map((cursor) => `feed-${cursor}.ndjson`));
  for (const file of readdirSync(folder)) if (/^feed-.+\.ndjson$/.test(file) && !wanted.has(file)) rmSync(path.join(folder, file), { force: true });
}

function checkSnapshotOrRefuse(snapshot: DirectorySnapshot, label: string): SetAside[] {
  try {
    return checkSnapshot(snapshot);
  } catch (error) {
    if (error instanceof SyncRefusedError) throw new PublishRefusedError(error.reason, `kiosks would refuse ${label}: ${error.message}`);
    throw error;
  }
}

/** A record a kiosk would set aside is a record some worker cannot use: fix it in the directory, then publish. */
function kioskWouldAccept(setAside: SetAside[], label: string): void {
  if (setAside.length === 0) return;
  const listed = setAside.slice(0, 5).map((record) => record.reason).join(' ');
  throw new PublishRefusedError('kiosk-would-set-aside', `kiosks would set aside ${setAside.length} record${setAside.length === 1 ? '' : 's'} of ${label}: ${listed}${setAside.length > 5 ? ' …' : ''}`);
}

function feedBytes(document: Record<string, unknown>): Buffer {
  return Buffer.from(`${JSON.stringify({ format: FEED_FORMAT, version: FEED_VERSION, ...document })}\n`);
}

/** The users one site's kiosks sign in: every group and the policy stay, so eligibility reads as before. */
export function forSite(directory: DirectorySnapshot, site: PublisherSite | null): DirectorySnapshot {
  if (!site) return directory;
  const groups = site.groupIds ? new Set(site.groupIds.map((id) => id.toLowerCase())) : null;
  const suffix = site.userPrincipalNameSuffix?.toLowerCase();
  const users = directory.users.filter(
    (user) => (!groups || user.groupIds.some((id) => groups.has(id.toLowerCase()))) && (!suffix || user.userPrincipalName.toLowerCase().endsWith(suffix)),
  );
  return { ...directory, users, kioskSettings: { ...directory.kioskSettings, ...site.kioskSettings } };
}

/** What turns `before` into `after`: users and groups replaced whole or removed, the policy and settings if they changed. */
function diff(before: DirectorySnapshot, after: DirectorySnapshot): DirectoryDelta {
  const beforeUsers = new Map(before.users.map((user) => [user.id, JSON.stringify(user)]));
  const afterIds = new Set(after.users.map((user) => user.id));
  const beforeGroups = new Map(before.groups.map((group) => [group.id, group.displayName]));
  const afterGroups = new Set(after.groups.map((group) => group.id));
  return {
    users: { upserted: after.users.filter((user) => beforeUsers.get(user.id) !== JSON.stringify(user)), removed: [...beforeUsers.keys()].filter((id) => !afterIds.has(id)) },
    groups: { upserted: after.groups.filter((group) => beforeGroups.get(group.id) !== group.displayName), removed: [...beforeGroups.keys()].filter((id) => !afterGroups.has(id)) },
    ...(JSON.stringify(before.smsMethodPolicy) !== JSON.stringify(after.smsMethodPolicy) ? { smsMethodPolicy: after.smsMethodPolicy } : {}),
    ...(JSON.stringify(before.kioskSettings) !== JSON.stringify(after.kioskSettings) ? { kioskSettings: after.kioskSettings } : {}),
  };
}

function isEmpty(delta: DirectoryDelta): boolean {
  return delta.users.upserted.length + delta.users.removed.length + delta.groups.upserted.length + delta.groups.removed.length === 0 && !delta.smsMethodPolicy && !delta.kioskSettings;
}

/** A delta applied to a snapshot, as a kiosk's store applies it. */
export function applyDelta(snapshot: DirectorySnapshot, delta: DirectoryDelta): DirectorySnapshot {
  const users = new Map<string, DirectoryUser>(snapshot.users.map((user) => [user.id, user]));
  for (const id of delta.users.removed) users.delete(id);
  for (const user of delta.users.upserted) users.set(user.id, user);
  const groups = new Map(snapshot.groups.map((group) => [group.id, group]));
  for (const id of delta.groups.removed) groups.delete(id);
  for (const group of delta.groups.upserted) groups.set(group.id, group);
  return {
    groups: [...groups.values()],
    users: [...users.values()],
    smsMethodPolicy: delta.smsMethodPolicy ?? snapshot.smsMethodPolicy,
    kioskSettings: delta.kioskSettings ?? snapshot.kioskSettings,
  };
}

/** Order-free: the same directory reads the same whatever order its users came in. */
function canonical(snapshot: DirectorySnapshot): string {
  const byId = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return JSON.stringify({ ...snapshot, users: byId(snapshot.users), groups: byId(snapshot.groups) });
}

function pruneDeltas(folder: string, keep: readonly string[]): void {
  if (!existsSync(folder)) return;
  const wanted = new Set(keep.flatMap((since) => [`${since}.json`, `${since}.json.jws`]));
  for (const file of readdirSync(folder)) if (!wanted.has(file)) rmSync(path.join(folder, file), { force: true });
}

function readState(folder: string): PublisherState {
  const file = path.join(folder, STATE_FILE);
  if (!existsSync(file)) return emptyState();
  const parsed = stateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new PublishRefusedError('state', `${file} is not a publisher state file; move it away and run with --full.`);
  return parsed.data;
}

function readDirectory(folder: string): DirectorySnapshot | null {
  const file = path.join(folder, DIRECTORY_FILE);
  if (!existsSync(file)) return null;
  const parsed = directorySnapshotSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  return parsed.success ? parsed.data : null;
}

function writeState(folder: string, state: PublisherState): void {
  writeAtomically(path.join(folder, STATE_FILE), JSON.stringify(state));
}

function writeDirectory(folder: string, directory: DirectorySnapshot): void {
  writeAtomically(path.join(folder, DIRECTORY_FILE), JSON.stringify(directory));
}

/** Written whole beside the target, then renamed: a crash leaves the old file or the new one. */
function writeAtomically(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const next = `${file}.${process.pid}.tmp`;
  writeFileSync(next, text, { mode: 0o600 });
  renameSync(next, file);
}
