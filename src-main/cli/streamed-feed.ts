import { createHash, type KeyObject } from 'node:crypto';
import { closeSync, createReadStream, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { DirectorySnapshotInput } from '../core/directory/directory-snapshot';
import { FEED_FORMAT, FEED_VERSION } from '../core/sync/feed/feed-document';
import type { SetAside } from '../core/sync/directory-source';
import { MANIFEST_FORMAT, openStreamedFeed, type FeedManifest } from '../core/sync/feed/feed-manifest';
import { signFeedBytes } from '../core/sync/feed/feed-signature';

/** A snapshot's header as a streamed feed's first line carries it: everything but the users. */
export type StreamedFeedHeader = Omit<DirectorySnapshotInput, 'users'> & { cursor: string; generatedAt?: string };

export interface StreamedFeedFiles {
  /** `<base>.manifest.json`: what kiosks are configured with (`location`); signed by `<base>.manifest.json.jws`. */
  manifestPath: string;
  /** `<base>.ndjson`: a header line, then one user per line. */
  feedPath: string;
  bytes: number;
  users: number;
}

const FLUSH_BYTES = 1024 * 1024;

/**
 * Writes a streamed feed into `dir` (docs/directory-feed.md, "Large feeds"): `<base>.ndjson`
 * (or `feedName`)
 * — the header line, then each user of `users` on a line of its own, written as the
 * iterable gives them, so a million users never sit in memory at once — and the manifest
 * naming it by length and SHA-256, signed with `key`. Each file is written beside its
 * target and renamed; the manifest last, so a server never serves a manifest whose feed is
 * not there yet.
 */
export async function writeStreamedFeed(
  dir: string,
  base: string,
  header: StreamedFeedHeader,
  users: Iterable<unknown>,
  key: KeyObject,
  feedName = `${base}.ndjson`,
): Promise<StreamedFeedFiles> {
  const feedPath = path.join(dir, feedName);
  const manifestPath = path.join(dir, `${base}.manifest.json`);
  const temporary = (file: string) => path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  const digest = createHash('sha256');
  const fd = openSync(temporary(feedPath), 'w');
  let bytes = 0;
  let count = 0;
  let pending: string[] = [];
  let pendingLength = 0;
  const flush = () => {
    const chunk = Buffer.from(pending.join(''));
    writeSync(fd, chunk);
    digest.update(chunk);
    bytes += chunk.length;
    pending = [];
    pendingLength = 0;
  };
  const line = (value: unknown) => {
    const text = `${JSON.stringify(value)}\n`;
    pending.push(text);
    pendingLength += text.length;
    if (pendingLength >= FLUSH_BYTES) flush();
  };
  try {
    line({ format: FEED_FORMAT, version: FEED_VERSION, kind: 'snapshot', ...header });
    for (const user of users) {
      line(user);
      count += 1;
    }
    flush();
  } finally {
    closeSync(fd);
  }
  renameSync(temporary(feedPath), feedPath);
  const manifest: FeedManifest = {
    format: MANIFEST_FORMAT,
    version: 1,
    kind: 'snapshot',
    cursor: header.cursor,
    ...(header.generatedAt !== undefined && { generatedAt: header.generatedAt }),
    feed: { name: path.basename(feedPath), bytes, sha256: digest.digest('base64url') },
  };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(temporary(`${manifestPath}.jws`), `${await signFeedBytes(manifestBytes, key)}\n`);
  writeFileSync(temporary(manifestPath), manifestBytes);
  renameSync(temporary(`${manifestPath}.jws`), `${manifestPath}.jws`);
  renameSync(temporary(manifestPath), manifestPath);
  return { manifestPath, feedPath, bytes, users: count };
}

/**
 * Reads the streamed file `manifest` names, in `folder`, as a kiosk would: length, digest,
 * header and every line. Returns how many users it holds and the records a kiosk would set
 * aside; refuses (SyncRefusedError) whatever a kiosk would refuse. `name` labels it in messages.
 */
export async function readStreamedFeed(folder: string, manifest: FeedManifest, name?: string): Promise<{ users: number; setAside: SetAside[] }> {
  const file = path.join(folder, manifest.feed.name);
  const opened = await openStreamedFeed(createReadStream(file), manifest, name ?? file);
  let users = 0;
  for await (const batch of opened.batches) users += batch.length;
  return { users, setAside: opened.setAside };
}
