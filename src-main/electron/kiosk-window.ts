import { BrowserWindow, Menu } from 'electron';
import { isKioskUrl, kioskIndexUrl } from './app-protocol';

export interface KioskWindowSettings {
  /** Absolute path of the bundled preload (dist/main/preload.js). */
  preload: string;
  /** DevTools only in development: on a shop floor they would be a way out of the kiosk. */
  devTools: boolean;
}

/** The window, locked down but still blank: the caller wires IPC first, then `showKiosk`. */
export function createKioskWindow({ preload, devTools }: KioskWindowSettings): BrowserWindow {
  // No menu means no accelerators either (reload, devtools, zoom) for a worker to stumble on.
  Menu.setApplicationMenu(null);
  // Electron's security checklist, applied in full: the renderer is a sandboxed web page.
  // The options stay literal here so electronegativity can read them.
  const win = new BrowserWindow({
    kiosk: true,
    fullscreen: true,
    autoHideMenuBar: true,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      devTools,
      spellcheck: false,
    },
  });
  confineToKiosk(win);
  return win;
}

export function showKiosk(win: BrowserWindow): Promise<void> {
  return win.loadURL(kioskIndexUrl);
}

/**
 * Nothing closes the kiosk window (Alt+F4, the OS asking, a quit request) until
 * `mayClose` says an exit is under way.
 */
export function keepOpen(win: BrowserWindow, mayClose: () => boolean): void {
  win.on('close', (event) => {
    if (!mayClose()) event.preventDefault();
  });
}

/** The window may only ever show the kiosk: no other origin, no popups, no permissions. */
function confineToKiosk(win: BrowserWindow): void {
  const contents = win.webContents;
  contents.on('will-navigate', (event) => {
    if (!isKioskUrl(event.url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);
}
