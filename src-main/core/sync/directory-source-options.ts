import type { Clock } from '../base/clock';
import type { SecretStore } from '../secrets/secret-store';
import type { DirectorySource } from './directory-source';
import { SignedFeedSource, type SignedFeedOptions } from './feed/signed-feed-source';
import { GraphDirectorySource, type GraphSourceOptions } from './graph/graph-source';

/** The device configuration's `directory`: which source, and its options (keychain entry names, never values). */
export type DirectorySourceOptions = { source: 'feed'; feed: SignedFeedOptions } | { source: 'graph'; graph: GraphSourceOptions };

/** The configured source. `id` names it in the sync state (a feed's location); absent, its kind does. */
export function createDirectorySource(options: DirectorySourceOptions, deps: { secrets: SecretStore; clock: Clock }): DirectorySource & { id?: string } {
  return options.source === 'feed' ? new SignedFeedSource(options.feed, deps) : new GraphDirectorySource(options.graph, deps);
}

/** The keychain entries a source reads while it fetches: what a sync worker is handed for each attempt. */
export function secretEntriesOf(options: DirectorySourceOptions): string[] {
  if (options.source === 'feed') return options.feed.bearerTokenSecret ? [options.feed.bearerTokenSecret] : [];
  const { clientSecret, certificate } = options.graph;
  return [clientSecret, certificate?.privateKeySecret].filter((name): name is string => name !== undefined);
}
