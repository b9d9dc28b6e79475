import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { callNames } from '../../shared/contract';
import { ipcCallChannel, ipcEventChannel } from '../../shared/kiosk-bridge';
import { fail } from '../../shared/result';
import { dispatchCall } from '../core/handlers/contract-dispatch';
import type { Kiosk } from '../core/kiosk';
import type { Logger } from '../core/base/log';
import { isKioskUrl } from './app-protocol';

/**
 * Serves the contract to the kiosk window: one handler per call, each refusing any sender
 * but the window's own top frame showing the kiosk, and forwards every core event to it.
 * Returns a disposer that undoes both.
 */
export function serveContractOverIpc(win: BrowserWindow, kiosk: Kiosk, log: Logger): () => void {
  for (const name of callNames) {
    ipcMain.handle(ipcCallChannel(name), (event, input: unknown) => {
      if (!isKioskFrame(event, win)) {
        log.warn('ipc call refused: sender is not the kiosk window', { call: name });
        return fail('forbidden', 'This request did not come from the kiosk screen.');
      }
      return dispatchCall(kiosk.handlers, name, input, log);
    });
  }
  const stopForwarding = kiosk.events.onAny((name, payload) => {
    if (!win.isDestroyed()) win.webContents.send(ipcEventChannel(name), payload);
  });
  return () => {
    for (const name of callNames) ipcMain.removeHandler(ipcCallChannel(name));
    stopForwarding();
  };
}

/** Subframes, other windows and pages that navigated away all share the IPC bus: refuse them. */
function isKioskFrame(event: IpcMainInvokeEvent, win: BrowserWindow): boolean {
  if (win.isDestroyed()) return false;
  const frame = event.senderFrame;
  return (
    event.sender === win.webContents &&
    frame !== null &&
    frame === win.webContents.mainFrame &&
    isKioskUrl(frame.url)
  );
}
