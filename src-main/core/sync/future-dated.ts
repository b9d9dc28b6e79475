import { SyncRefusedError } from './directory-source';

/** How far ahead of the kiosk's clock a feed's generatedAt may be (clock skew between publisher and kiosk). */
export const MAX_FEED_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * A directory written "in the future" is refused: once applied, its date would make every
 * honest feed after it look like a replay (revocations included) until that future came.
 */
export function refuseFutureDated(generatedAt: number | null, now: number, name: string): void {
  if (generatedAt === null || generatedAt <= now + MAX_FEED_CLOCK_SKEW_MS) return;
  throw new SyncRefusedError(
    'future-dated',
    `${name} says it was written at ${new Date(generatedAt).toISOString()}, more than 5 minutes ahead of this kiosk's clock (${new Date(now).toISOString()}): check the publisher's clock and this kiosk's.`,
  );
}
