import { clipboard } from 'electron';
import type { Logger } from '../core/base/log';
import type { AppViews } from './app-views';

/**
 * Wipes what a worker leaves behind, before the core shows the keypad again: their app
 * views first, so no page writes while its storage is cleared; then each partition's
 * storage (cookies, local storage, IndexedDB, service workers…) and HTTP cache; then the
 * clipboard. Every step runs even when one before it failed, since a wipe that stops
 * halfway hands the rest to the next worker; failures are logged, never thrown.
 */
export async function wipeWorkerTraces(views: AppViews, log: Logger): Promise<void> {
  const partitions = views.closeAll();
  for (const partition of partitions) {
    await attempt('storage', () => partition.clearStorageData(), log);
    await attempt('cache', () => partition.clearCache(), log);
  }
  await attempt('clipboard', clearClipboard, log);
}

function clearClipboard(): void {
  clipboard.clear();
  // Linux also keeps the last text selected, pasted with a middle click; elsewhere it is undefined.
  const selection: Electron.Clipboard | undefined = clipboard.selection;
  selection?.clear();
}

async function attempt(step: string, run: () => unknown, log: Logger): Promise<void> {
  try {
    await run();
  } catch (error) {
    log.error("wiping a worker's traces failed", { step, error: error instanceof Error ? error.message : String(error) });
  }
}
