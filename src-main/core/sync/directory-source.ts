import type { DirectorySnapshot } from '../directory/directory-snapshot';
import type { DirectoryDelta } from '../directory/directory-delta';

/** What one fetch from the directory brought back. */
export type DirectoryChange =
  | { kind: 'snapshot'; snapshot: DirectorySnapshot; cursor: string | null }
  | { kind: 'delta'; delta: DirectoryDelta; cursor: string }
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
