import type { DirectorySnapshot, DirectoryUser } from '../directory/directory-snapshot';
import type { DirectoryDelta } from '../directory/directory-delta';

/**
 * A record the kiosk could not understand, left out of a change that is otherwise applied:
 * one user, phone method, policy target or role member — never the whole sync. Setting a
 * record aside never grants anything: a user set aside is held disabled and privileged
 * (their readable numbers still count as taken), a target set aside from `excludeTargets`
 * excludes everyone, a role member of unknown type who is a synced user is privileged.
 */
export interface SetAside {
  record: 'user' | 'phoneMethod' | 'target' | 'roleMember';
  /** The record's id as the directory gave it, or its place (`users[3]`) when it has none. */
  id: string;
  /** The user a phone method belongs to. */
  userId?: string;
  /** Short and stable: `unreadable-mobile`, `invalid-user`, `unknown-target-type`, … */
  code: string;
  /** For IT: which record, which field, what is wrong, and what the kiosk did instead. */
  reason: string;
  /** A user's numbers as the directory gave them, so they stay taken while the user is set aside. */
  heldNumbers?: string[];
}

/**
 * A snapshot too large to hold, as a source streams it: the header at once, the users in
 * batches. The iteration throws a `SyncRefusedError` at its end unless every byte was
 * authenticated, so nothing it yields may be applied before it has finished.
 */
export interface StreamedUsers {
  header: Omit<DirectorySnapshot, 'users'>;
  batches: AsyncIterable<DirectoryUser[]>;
  /** Filled while the batches are read: users that did not fit the schema, set aside alone. */
  setAside: SetAside[];
  /**
   * For a refusal of the content found before the end (a user id twice): reads the rest, and
   * throws the digest's refusal if the file is not what was signed, else `error`.
   */
  settle(error: unknown): Promise<never>;
  /** Stops reading and closes the file or connection. */
  cancel(): Promise<void>;
}

/** What one fetch from the directory brought back; `setAside` lists records the source left out. */
export type DirectoryChange =
  | { kind: 'snapshot'; snapshot: DirectorySnapshot; cursor: string | null; setAside?: SetAside[] }
  | { kind: 'streamed-snapshot'; stream: StreamedUsers; cursor: string | null; setAside?: SetAside[] }
  | { kind: 'delta'; delta: DirectoryDelta; cursor: string; setAside?: SetAside[] }
  | { kind: 'unchanged' };

/**
 * Where users and policy come from: a signed JSON feed, or Microsoft Graph. A source
 * validates and authenticates what it fetches and refuses anything it cannot trust by
 * rejecting with a `SyncRefusedError`; it never writes to the store itself.
 */
export interface DirectorySource {
  readonly kind: 'feed' | 'graph';
  /** `cursor` is what the last successful fetch returned; null asks for a full snapshot. */
  fetch(cursor: string | null, signal?: AbortSignal): Promise<DirectoryChange>;
}

/** A fetch the kiosk refused: nothing was applied. `reason` is short and stable, for status and audit. */
export class SyncRefusedError extends Error {
  override name = 'SyncRefusedError';

  constructor(
    /** `unsigned`, `bad-signature`, `too-large`, `malformed`, `schema`, `http-503`, `throttled`, `network`, … */
    readonly reason: string,
    message: string,
    /** When the source asked to be retried (Retry-After), ms since the epoch. */
    readonly retryAt?: number,
  ) {
    super(message);
  }
}
