import { writeSignedFeed, writeSignedStreamedFeed, type FeedFile } from '../test/hardening/signed-feed-file';
import { largeDelta, largeHeader, largeSnapshot, largeUsers } from '../test/core/sync/large-directory';

/** `users` people from test/core/sync/large-directory.ts, as a signed full snapshot at cursor c1. */
export function writeLargeSnapshotFeed(dir: string, users: number): Promise<FeedFile> {
  return writeSignedFeed(dir, { kind: 'snapshot', cursor: 'c1', generatedAt: '2026-11-22T06:00:00Z', ...largeSnapshot(users) });
}

/** Replaces the feed in `dir` with `changes` changes since c1 (three in four renamed, one in four removed). */
export function writeLargeDeltaFeed(dir: string, users: number, changes: number): Promise<FeedFile> {
  return writeSignedFeed(dir, { kind: 'delta', since: 'c1', cursor: 'c2', generatedAt: '2026-11-22T06:15:00Z', ...largeDelta(users, changes) });
}

/** The same `users` people as a streamed feed at cursor c1: a signed manifest and `feed.ndjson`, written a user at a time. */
export function writeLargeStreamedFeed(dir: string, users: number): Promise<FeedFile> {
  return writeSignedStreamedFeed(dir, { cursor: 'c1', generatedAt: '2026-11-22T06:00:00Z', ...largeHeader() }, largeUsers(users));
}
