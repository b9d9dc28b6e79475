import path from 'node:path';
import { app, type BrowserWindow } from 'electron';
import { createDemoKiosk } from '../core/kiosk';
import { consoleLogger } from '../core/log';
import { handleKioskScheme, registerKioskScheme } from './app-protocol';
import { serveContractOverIpc } from './ipc';
import { createKioskWindow, showKiosk } from './kiosk-window';
import { dataDirFromArgs } from './launch-options';

const log = consoleLogger;
const customDataDir = dataDirFromArgs(process.argv);
let win: BrowserWindow | null = null;

// A custom data dir gets its own Chromium profile as well, so a test run shares neither
// the single-instance lock nor web storage with an installed kiosk or another run.
if (customDataDir) app.setPath('userData', path.join(customDataDir, 'electron'));

registerKioskScheme();

// One kiosk per device: a second launch (a double tap on the icon) only brings it forward.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log.error('kiosk failed to start', { error: error instanceof Error ? error.message : String(error) });
      app.exit(1);
    });
}

async function start(): Promise<void> {
  // Only offline demo mode exists so far (DESIGN.md: no config means demo mode).
  const kiosk = await createDemoKiosk({
    dataDir: customDataDir ?? path.join(app.getPath('userData'), 'demo'),
    version: __KIOSK_VERSION__,
    log,
  });
  // main.js and preload.js are bundled side by side into dist/main, next to dist/renderer.
  handleKioskScheme(path.join(__dirname, '..', 'renderer'));
  win = createKioskWindow({ preload: path.join(__dirname, 'preload.js'), devTools: !app.isPackaged });
  const stopServing = serveContractOverIpc(win, kiosk, log);
  // Fail closed: if the screen dies, so does the session, and the keypad comes back.
  win.webContents.on('render-process-gone', (_event, details: { reason: string }) => {
    log.warn('kiosk screen crashed; signing out', { reason: details.reason });
    void kiosk.endSession('crash').finally(() => {
      if (!win || win.isDestroyed()) return;
      showKiosk(win).catch((error: unknown) => log.error('could not reload the kiosk screen', { error: String(error) }));
    });
  });
  app.once('will-quit', () => {
    stopServing();
    kiosk.close();
  });
  await showKiosk(win);
}
