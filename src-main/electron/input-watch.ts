import type { WebContents } from 'electron';
import { isEscapeShortcut } from './escape-shortcuts';

/**
 * Input that does not show a person at the screen: pointer moves and enter/leave also
 * come from a view appearing under a resting cursor, and must not keep a session alive.
 */
const notActivity: ReadonlySet<string> = new Set(['undefined', 'mouseMove', 'mouseEnter', 'mouseLeave', 'pointerMove', 'pointerRawUpdate']);

export interface InputWatch {
  /** A touch, key, click or scroll reached the page (throttle it: a drag fires hundreds). */
  onActivity: () => void;
  /** True in kiosk mode; false once an exit is under way, when keys pass untouched. */
  lockedDown: () => boolean;
}

/**
 * Watches a page's input from main: activity the renderer cannot see (inside an app's
 * view) keeps the session alive, and shortcuts out of the kiosk are swallowed.
 */
export function watchInput(contents: WebContents, watch: InputWatch): void {
  contents.on('before-input-event', (event, input) => {
    if (watch.lockedDown() && isEscapeShortcut(input)) event.preventDefault();
  });
  contents.on('input-event', (_event, input) => {
    if (!notActivity.has(input.type)) watch.onActivity();
  });
}

/** Runs `action` at most once per `intervalMs`, starting with the first call. */
export function throttle(action: () => void, intervalMs: number, now: () => number): () => void {
  let last = Number.NEGATIVE_INFINITY;
  return () => {
    const at = now();
    if (at - last < intervalMs) return;
    last = at;
    action();
  };
}
