import { powerMonitor } from 'electron';
import type { Kiosk } from '../core/kiosk';
import type { Logger } from '../core/base/log';

/**
 * OS sleep or a locked screen means nobody is at the kiosk: whoever was signed in is
 * signed out ('suspend'). Returns a disposer.
 */
export function signOutOnSuspend(kiosk: Pick<Kiosk, 'endSession'>, log: Logger): () => void {
  const signOut = (osEvent: string) => () => {
    log.info('the OS suspended or locked the screen; signing out', { osEvent });
    kiosk.endSession('suspend').catch((error: unknown) => {
      log.error('could not sign out on suspend', { error: error instanceof Error ? error.name : typeof error });
    });
  };
  const onSuspend = signOut('suspend');
  const onLockScreen = signOut('lock-screen');
  powerMonitor.on('suspend', onSuspend);
  powerMonitor.on('lock-screen', onLockScreen);
  return () => {
    powerMonitor.off('suspend', onSuspend);
    powerMonitor.off('lock-screen', onLockScreen);
  };
}
