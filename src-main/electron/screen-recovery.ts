import type { BrowserWindow } from 'electron';
import type { Kiosk } from '../core/kiosk';
import type { Logger } from '../core/base/log';
import { showKiosk } from './kiosk-window';

/**
 * Fail closed: a kiosk screen whose renderer died or hung can no longer show the idle
 * warning or sign anyone out, so whoever was signed in is signed out ('crash') and the
 * keypad is loaded afresh.
 */
export function failClosedOnScreenLoss(win: BrowserWindow, kiosk: Pick<Kiosk, 'endSession'>, log: Logger): void {
  const contents = win.webContents;
  contents.on('render-process-gone', (_event, details) => {
    log.warn('kiosk screen crashed; signing out', { reason: details.reason });
    void signOutAfterCrash(kiosk, log).then(() => reloadKiosk(win, log));
  });
  // Sign out at once, then kill the hung renderer: its 'render-process-gone' reloads the keypad.
  contents.on('unresponsive', () => {
    log.warn('kiosk screen stopped responding; signing out');
    void signOutAfterCrash(kiosk, log).then(() => {
      if (!win.isDestroyed()) contents.forcefullyCrashRenderer();
    });
  });
}

/** Ends the session as 'crash'; resolves even if that failed, so recovery goes on. */
export function signOutAfterCrash(kiosk: Pick<Kiosk, 'endSession'>, log: Logger): Promise<void> {
  return kiosk.endSession('crash').catch((error: unknown) => {
    log.error('could not sign out after the screen was lost', { error: error instanceof Error ? error.name : typeof error });
  });
}

export function reloadKiosk(win: BrowserWindow, log: Logger): void {
  if (win.isDestroyed()) return;
  showKiosk(win).catch((error: unknown) => log.error('could not reload the kiosk screen', { error: String(error) }));
}
