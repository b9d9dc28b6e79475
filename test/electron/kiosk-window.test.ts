import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Menu, type BrowserWindow } from './electron-mock';
import { createKioskWindow, kioskWindowOptions, showKiosk } from '../../src-main/electron/kiosk-window';

vi.mock('electron', () => import('./electron-mock'));

const settings = { preload: '/app/dist/main/preload.js', devTools: false };

function openWindow() {
  return createKioskWindow(settings) as unknown as BrowserWindow;
}

describe('kiosk window options', () => {
  it('runs the renderer isolated, sandboxed and without Node', () => {
    const { webPreferences } = kioskWindowOptions(settings);
    expect(webPreferences).toMatchObject({
      preload: '/app/dist/main/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    });
  });

  it('fills the screen in kiosk mode with no menu bar', () => {
    expect(kioskWindowOptions(settings)).toMatchObject({ kiosk: true, fullscreen: true, autoHideMenuBar: true });
  });

  it('offers DevTools only when asked to (development builds)', () => {
    expect(kioskWindowOptions({ ...settings, devTools: false }).webPreferences?.devTools).toBe(false);
    expect(kioskWindowOptions({ ...settings, devTools: true }).webPreferences?.devTools).toBe(true);
  });
});

describe('kiosk window', () => {
  beforeEach(() => {
    Menu.setApplicationMenu.mockClear();
  });

  it('is created with the kiosk options and removes the application menu', () => {
    const win = openWindow();
    expect(win.options).toEqual(kioskWindowOptions(settings));
    expect(Menu.setApplicationMenu).toHaveBeenCalledWith(null);
  });

  it('shows the kiosk page from the app scheme', async () => {
    const win = openWindow();
    await showKiosk(win as unknown as Electron.BrowserWindow);
    expect(win.loadURL).toHaveBeenCalledWith('app://kiosk/index.html');
  });

  it('refuses to navigate to another origin', () => {
    const { webContents } = openWindow();
    expect(webContents.attemptNavigation('https://evil.example/').prevented).toBe(true);
    expect(webContents.attemptNavigation('file:///etc/passwd').prevented).toBe(true);
    expect(webContents.attemptNavigation('app://kiosk.evil.example/index.html').prevented).toBe(true);
    expect(webContents.attemptNavigation('app://other/index.html').prevented).toBe(true);
  });

  it('lets the kiosk page navigate within itself', () => {
    const { webContents } = openWindow();
    expect(webContents.attemptNavigation('app://kiosk/index.html').prevented).toBe(false);
  });

  it('denies every new window', () => {
    const { webContents } = openWindow();
    expect(webContents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(webContents.windowOpenHandler?.({ url: 'app://kiosk/index.html' })).toEqual({ action: 'deny' });
  });

  it('denies every permission request and check', () => {
    const { webContents } = openWindow();
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      webContents.session.permissionRequestHandler?.(webContents, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect(webContents.session.permissionCheckHandler?.(webContents, permission)).toBe(false);
    }
  });
});
