/** Moments of a countdown worth saying aloud, in seconds. */
const milestones = [0, 1, 2, 3, 5, 10, 20, 30, 60, 120, 180, 240, 300, 600];

/**
 * What a screen reader should hear of a countdown: not every second (that drowns out
 * everything else) but the next milestone at or above it, so the live text changes only
 * as each milestone is reached — when it is also exactly right.
 */
export function announcedSeconds(seconds: number): number {
  return milestones.find((mark) => mark >= seconds) ?? seconds;
}
