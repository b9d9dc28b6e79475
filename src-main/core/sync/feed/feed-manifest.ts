import { createHash } from 'node:crypto';
import { z } from 'zod';
import { directorySnapshotSchema, directoryUserSchema, type DirectoryUser } from '../../directory/directory-snapshot';
import { SyncRefusedError, type SetAside, type StreamedUsers } from '../directory-source';
import { setAsideInvalidUsers, setAsideUnknownTargets } from '../set-aside-records';
import { FEED_FORMAT, FEED_VERSION } from './feed-document';

/**
 * A large directory as a streamed feed (docs/directory-feed.md, "Large feeds"): a small
 * signed manifest names a newline-delimited JSON file by length and SHA-256, so the kiosk
 * can check it record by record without ever holding it whole — as TUF signs metadata
 * (lengths and hashes of targets) rather than the targets. The manifest is signed exactly
 * like a feed (`<manifest>.jws`); the file it names is a header line (the snapshot without
 * its users) and then one user per line.
 */

export const MANIFEST_FORMAT = 'frontline-kiosk-directory-manifest';
/** A manifest is a few hundred bytes: anything this large is a feed, not a manifest. */
export const MAX_MANIFEST_BYTES = 16 * 1024;
/** Users handed on at a time: the one batch a streamed sync holds in memory. */
export const STREAM_BATCH_USERS = 500;
/** One user's line: a person with a few phone methods is well under 4 KiB. */
const MAX_LINE_BYTES = 256 * 1024;

const base64urlSha256 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a SHA-256 digest in base64url (43 characters, no padding)');

/** A file name beside the manifest: no folders, no `..`, no scheme, no query. */
const feedFileName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a plain file name beside the manifest (letters, digits, ".", "_", "-"; no folders)');

export const feedManifestSchema = z.strictObject({
  $schema: z.string().max(2048).optional(),
  format: z.literal(MANIFEST_FORMAT),
  version: z.literal(1),
  /** Only snapshots are streamed: deltas are small, and keep the detached form. */
  kind: z.literal('snapshot'),
  cursor: z.string().min(1).max(512),
  generatedAt: z.string().max(64).optional(),
  feed: z.strictObject({
    /** The NDJSON file, beside the manifest (same folder, same server). */
    name: feedFileName,
    bytes: z.number().int().min(1).max(64 * 1024 ** 3),
    sha256: base64urlSha256,
  }),
});
export type FeedManifest = z.output<typeof feedManifestSchema>;

/** The first line of a streamed feed: the snapshot's header fields and everything but its users. */
const streamHeaderSchema = directorySnapshotSchema.omit({ users: true }).extend({
  format: z.literal(FEED_FORMAT),
  version: z.literal(FEED_VERSION),
  kind: z.literal('snapshot'),
  cursor: z.string().min(1).max(512),
  generatedAt: z.string().max(64).optional(),
});
/**
 * Reads already-authenticated bytes as a manifest when they are one (small, and in the
 * manifest format); null when they are a feed. A manifest that does not fit its schema is
 * refused naming the field.
 */
export function readManifest(bytes: Uint8Array, name: string): FeedManifest | null {
  if (bytes.byteLength > MAX_MANIFEST_BYTES) return null;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return null;
  }
  if (typeof json !== 'object' || json === null || (json as { format?: unknown }).format !== MANIFEST_FORMAT) return null;
  const parsed = feedManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SyncRefusedError('schema', `${name} is a feed manifest that does not match its schema at ${issue.path.join('.') || '(the top level)'}: ${issue.message}.`);
  }
  return parsed.data;
}

/**
 * Opens a streamed feed: reads up to its header line, checks it against the manifest, and
 * returns the users still to come. `chunks` is the file or the response body; it is read
 * once, never more than the manifest's length (plus one chunk).
 *
 * A problem found in the content before the digest has been checked (a line that is not
 * JSON, a header off the schema, a user twice) may only mean the file was damaged or
 * changed: the rest is read and hashed first (`settle`), and the refusal is the digest's
 * (`manifest-mismatch`) unless the file is exactly what was signed. Only then does the
 * content's own error stand, and only then may it quote the content.
 */
export async function openStreamedFeed(chunks: AsyncIterable<Uint8Array>, manifest: FeedManifest, name: string): Promise<StreamedUsers> {
  const reading = { draining: false };
  const lines = verifiedLines(chunks, manifest, name, reading);
  const settle = async (error: unknown): Promise<never> => {
    if (!(error instanceof SyncRefusedError) || !CONTENT_ERRORS.has(error.reason)) {
      await lines.return(undefined);
      throw error;
    }
    reading.draining = true;
    // Throws the digest's refusal, or a transport one, if the file is not what was signed.
    for (let next = await lines.next(); !next.done; next = await lines.next());
    throw error;
  };
  const cancel = async () => void (await lines.return(undefined));
  try {
    const first = await lines.next();
    if (first.done) throw new SyncRefusedError('malformed', `${name} is empty: it has no header line.`);
    const header = parseHeader(first.value.text, manifest, name);
    const setAside: SetAside[] = [];
    const policy = setAsideUnknownTargets(header.smsMethodPolicy.includeTargets, header.smsMethodPolicy.excludeTargets, setAside);
    return {
      header: { groups: header.groups, smsMethodPolicy: { ...header.smsMethodPolicy, ...policy }, kioskSettings: header.kioskSettings },
      setAside,
      batches: userBatches(lines, name, setAside, settle),
      settle,
      cancel,
    };
  } catch (error) {
    return settle(error);
  }
}

/** Refusals of the content itself: possibly only damage, until the digest says otherwise. */
const CONTENT_ERRORS = new Set(['malformed', 'schema', 'manifest-mismatch', 'invalid-directory']);

async function* userBatches(
  lines: AsyncGenerator<{ text: string; line: number }>,
  name: string,
  setAside: SetAside[],
  settle: (error: unknown) => Promise<never>,
): AsyncGenerator<DirectoryUser[]> {
  let raw: unknown[] = [];
  let numbers: number[] = [];
  const flush = () => {
    // Line numbers as an editor shows them: the header is line 1.
    const kept = setAsideInvalidUsers(raw, directoryUserSchema, 'line', setAside, (index) => numbers[index]!);
    raw = [];
    numbers = [];
    return kept;
  };
  // Read by hand: an error here must leave the lines open for `settle` to read to the end.
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    const { text, line } = next.value;
    if (text.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // Never the engine's message: it may quote a person's name or number.
      await settle(new SyncRefusedError('malformed', `${name}: line ${line} is not valid JSON.`));
    }
    raw.push(json);
    numbers.push(line);
    if (raw.length >= STREAM_BATCH_USERS) yield flush();
  }
  if (raw.length > 0) yield flush();
}

function parseHeader(text: string, manifest: FeedManifest, name: string): z.output<typeof streamHeaderSchema> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SyncRefusedError('malformed', `${name}: line 1, the header, is not valid JSON.`);
  }
  const parsed = streamHeaderSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SyncRefusedError('schema', `${name}: the header line does not match the feed schema at ${issue.path.join('.') || '(the top level)'}: ${issue.message}.`);
  }
  const header = parsed.data;
  for (const field of ['cursor', 'generatedAt'] as const) {
    if (header[field] !== manifest[field]) {
      throw new SyncRefusedError('manifest-mismatch', `${name}: the header's ${field} (${JSON.stringify(header[field] ?? null)}) is not the signed manifest's (${JSON.stringify(manifest[field] ?? null)}).`);
    }
  }
  return header;
}

/**
 * The file's lines, decoded as strict UTF-8, while a SHA-256 and a byte count run over
 * every byte. Refuses as soon as the file passes the manifest's length, and at the end
 * unless length and digest are the manifest's; text that is not UTF-8 or a line over
 * MAX_LINE_BYTES is refused only after that (it may be damage). With `reading.draining`
 * it only counts and hashes what is left.
 */
async function* verifiedLines(
  chunks: AsyncIterable<Uint8Array>,
  manifest: FeedManifest,
  name: string,
  reading: { draining: boolean },
): AsyncGenerator<{ text: string; line: number }> {
  const digest = createHash('sha256');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let total = 0;
  let pending = '';
  let pendingBytes = 0;
  let line = 0;
  let held: SyncRefusedError | null = null;
  const hold = (error: SyncRefusedError) => {
    held ??= error;
    reading.draining = true;
  };
  for await (const chunk of chunks) {
    total += chunk.byteLength;
    if (total > manifest.feed.bytes) {
      throw new SyncRefusedError('manifest-mismatch', `${name} is longer than the ${manifest.feed.bytes} bytes its signed manifest gives.`);
    }
    digest.update(chunk);
    if (reading.draining) continue;
    let decoded: string;
    try {
      decoded = decoder.decode(chunk, { stream: true });
    } catch {
      hold(new SyncRefusedError('malformed', `${name} is not UTF-8 text (after line ${line}).`));
      continue;
    }
    const text = pending + decoded;
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1 && !reading.draining) {
      line += 1;
      yield { text: text.slice(start, newline), line };
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    // Told to drain while lines were being handed out: the rest is only hashed.
    pending = reading.draining ? '' : text.slice(start);
    // Bytes, not UTF-16 units: the limit is on the file.
    pendingBytes = Buffer.byteLength(pending);
    if (pendingBytes > MAX_LINE_BYTES) hold(new SyncRefusedError('malformed', `${name}: line ${line + 1} is longer than ${MAX_LINE_BYTES} bytes.`));
  }
  if (total !== manifest.feed.bytes) {
    throw new SyncRefusedError('manifest-mismatch', `${name} ends after ${total} bytes, but its signed manifest gives ${manifest.feed.bytes}.`);
  }
  if (digest.digest('base64url') !== manifest.feed.sha256) {
    throw new SyncRefusedError('manifest-mismatch', `${name} does not match the SHA-256 in its signed manifest: it was changed after signing, or is another file.`);
  }
  if (held) throw held;
  if (reading.draining) return;
  try {
    pending += decoder.decode(new Uint8Array(0), { stream: false });
  } catch {
    throw new SyncRefusedError('malformed', `${name} is not UTF-8 text (it ends inside a character).`);
  }
  if (pending !== '') {
    line += 1;
    yield { text: pending, line };
  }
}
