import { clipboard } from 'electron';
import type { Logger } from '../core/base/log';
import type { AppViews } from './app-views';

/** A hung app cannot hold up sign-out: front-channel logout gets this long, then the wipe goes on. */
export const FRONT_CHANNEL_LOGOUT_MS = 3000;

/**
 * Wipes what a worker leaves behind, before the core shows the keypad again: front-channel
 * logout first, in each app's own view while its storage is still there (at most
 * `FRONT_CHANNEL_LOGOUT_MS`); then their app views, so no page writes while its storage is cleared; then each partition's
 * storage (cookies, local storage, IndexedDB, service workers…), HTTP cache, HTTP auth
 * cache and open connections (a kept-alive connection can carry a TLS client certificate
 * or an NTLM login into the next worker's requests); then the clipboard. Every step runs
 * even when one before it failed, since a wipe that stops halfway hands the rest to the
 * next worker; failures are logged, never thrown. A partition wiped clean goes back to the
 * views to be used again (Electron cannot destroy one, so per-sign-in partitions would grow
 * with uptime); one that failed to wipe is never used again.
 */
export async function wipeWorkerTraces(views: AppViews, log: Logger, frontChannelMs = FRONT_CHANNEL_LOGOUT_MS): Promise<void> {
  await frontChannelLogout(views, log, frontChannelMs);
  const partitions = views.closeAll();
  for (const partition of partitions) {
    const steps = [
      await attempt('storage', () => partition.clearStorageData(), log),
      await attempt('cache', () => partition.clearCache(), log),
      await attempt('auth cache', () => partition.clearAuthCache(), log),
      await attempt('connections', () => partition.closeAllConnections(), log),
    ];
    if (steps.every(Boolean)) views.release(partition);
  }
  await attempt('clipboard', clearClipboard, log);
}

/** Waits for the apps' front-channel logout pages, or for `ms`, whichever comes first; never throws. */
async function frontChannelLogout(views: AppViews, log: Logger, ms: number): Promise<void> {
  let loads: Promise<boolean>[];
  try {
    loads = views.frontChannelLogout().map((load) => load.then(() => true, () => false));
  } catch (error) {
    log.error('front-channel logout failed', { error: error instanceof Error ? error.name : typeof error });
    return;
  }
  if (loads.length === 0) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  const outcome = await Promise.race([Promise.all(loads), late]);
  clearTimeout(timer);
  if (outcome === 'late') log.warn('front-channel logout did not finish in time; wiping anyway', { apps: loads.length, ms });
  else if (outcome.includes(false)) log.warn('an app did not load its front-channel logout page', { failed: outcome.filter((loaded) => !loaded).length });
}

/**
 * Clears the clipboard. Windows' clipboard history (Win+V) and cloud clipboard keep their
 * own copies, which Electron cannot reach (that takes WinRT's Clipboard.ClearHistory):
 * turn them off by policy on kiosks (AllowClipboardHistory = 0, AllowCrossDeviceClipboard
 * = 0; README, For IT). macOS and Linux keep no history of their own.
 */
function clearClipboard(): void {
  clipboard.clear();
  // Linux also keeps the last text selected, pasted with a middle click; elsewhere it is undefined.
  const selection: Electron.Clipboard | undefined = clipboard.selection;
  selection?.clear();
}

/** Runs one step; true when it succeeded. */
async function attempt(step: string, run: () => unknown, log: Logger): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (error) {
    log.error("wiping a worker's traces failed", { step, error: error instanceof Error ? error.message : String(error) });
    return false;
  }
}
