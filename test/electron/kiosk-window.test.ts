import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Menu, type BrowserWindow } from './electron-mock';
import { createKioskWindow, keepOpen, showKiosk } from '../../src-main/electron/kiosk-window';

vi.mock('electron', () => import('./electron-mock'));

const settings = { preload: '/app/dist/main/preload.js', devTools: false };

function openWindow(overrides: Partial<typeof settings> = {}) {
  return createKioskWindow({ ...settings, ...overrides }) as unknown as BrowserWindow;
}

describe('kiosk window options', () => {
  it('runs the renderer isolated, sandboxed and without Node', () => {
    expect(openWindow().options.webPreferences).toEqual({
      preload: '/app/dist/main/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      devTools: false,
      spellcheck: false,
    });
  });

  it('fills the screen in kiosk mode with no menu bar', () => {
    expect(openWindow().options).toMatchObject({ kiosk: true, fullscreen: true, autoHideMenuBar: true });
  });

  it('offers DevTools only when asked to (development builds)', () => {
    expect(openWindow({ devTools: false }).options.webPreferences).toMatchObject({ devTools: false });
    expect(openWindow({ devTools: true }).options.webPreferences).toMatchObject({ devTools: true });
  });
});

describe('kiosk window', () => {
  beforeEach(() => {
    Menu.setApplicationMenu.mockClear();
  });

  it('removes the application menu', () => {
    openWindow();
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

  it('refuses to close until an exit is under way', () => {
    const win = openWindow();
    let exiting = false;
    keepOpen(win as unknown as Electron.BrowserWindow, () => exiting);
    expect(win.attemptClose().prevented).toBe(true);
    exiting = true;
    expect(win.attemptClose().prevented).toBe(false);
  });
});
