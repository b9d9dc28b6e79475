import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { callNames } from '../../shared/contract';
import type * as electronMock from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

type ElectronMock = typeof electronMock;

const originalArgv = process.argv;
let dataDir: string;
let electron: ElectronMock | undefined;

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'kiosk-main-'));
  // The kiosk logs its start to stderr; keep the test output readable.
  vi.spyOn(console, 'error').mockImplementation(() => {});
});

afterEach(() => {
  electron?.app.emit('will-quit');
  electron = undefined;
  process.argv = originalArgv;
  vi.restoreAllMocks();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Loads main.ts afresh, as `electron dist/main/main.js ...args` would. */
async function launch(args: string[], { gotLock = true } = {}): Promise<ElectronMock> {
  vi.resetModules();
  const mock = (await import('electron')) as unknown as ElectronMock;
  mock.resetElectronMock();
  mock.app.gotLock = gotLock;
  process.argv = ['/usr/bin/electron', 'dist/main/main.js', ...args];
  await import('../../src-main/electron/main');
  electron = mock;
  return mock;
}

async function launchReady(args: string[]) {
  const mock = await launch(args);
  mock.app.becomeReady();
  await vi.waitFor(() => expect(mock.BrowserWindow.created[0]?.loadURL).toHaveBeenCalled());
  return { ...mock, win: mock.BrowserWindow.created[0]! };
}

describe('main process', () => {
  it('registers the app scheme before Electron is ready, and nothing else', async () => {
    const { protocol, BrowserWindow } = await launch(['--data-dir', dataDir]);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledOnce();
    expect(protocol.handle).not.toHaveBeenCalled();
    expect(BrowserWindow.created).toEqual([]);
  });

  it('quits at once when a kiosk is already running', async () => {
    const { app, BrowserWindow } = await launch(['--data-dir', dataDir], { gotLock: false });
    app.becomeReady();
    await new Promise(setImmediate); // let anything waiting for ready run

    expect(app.quit).toHaveBeenCalled();
    expect(BrowserWindow.created).toEqual([]);
  });

  it('opens the kiosk window on the app scheme with its demo data in --data-dir', async () => {
    const { app, protocol, ipcMain, win } = await launchReady(['--data-dir', dataDir]);
    expect(existsSync(path.join(dataDir, 'kiosk.db'))).toBe(true);
    expect(app.getPath('userData')).toBe(path.join(dataDir, 'electron'));
    expect(protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(ipcMain.handlers.size).toBe(callNames.length);
    expect(win.options).toMatchObject({ kiosk: true, webPreferences: { sandbox: true, devTools: true } });
    expect(win.loadURL).toHaveBeenCalledWith('app://kiosk/index.html');
  });

  it('brings the kiosk forward when launched a second time', async () => {
    const { app, win } = await launchReady(['--data-dir', dataDir]);
    win.minimized = true;
    app.emit('second-instance');
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
  });

  it('signs the worker out and reloads the keypad when the screen crashes', async () => {
    const { ipcMain, win } = await launchReady(['--data-dir', dataDir]);
    const call = (name: string, input: unknown) =>
      ipcMain.handlers.get(`kiosk:call:${name}`)!({ sender: win.webContents, senderFrame: win.webContents.mainFrame }, input);
    const started = (await call('signIn.start', { phone: '2065550100' })) as { value: { challengeId: string } };
    const text = win.webContents.send.mock.calls.find(([channel]) => channel === 'kiosk:event:demo.sms')![1] as { body: string };
    const code = /\b(\d{6})\b/.exec(text.body)![1];
    await call('signIn.verify', { challengeId: started.value.challengeId, code });
    expect(await call('session.current', {})).toMatchObject({ ok: true, value: { state: 'active' } });

    win.webContents.emit('render-process-gone', {}, { reason: 'crashed' });

    await vi.waitFor(async () => expect(await call('session.current', {})).toEqual({ ok: true, value: { state: 'ready', signedOut: 'crash' } }));
    expect(win.loadURL).toHaveBeenCalledTimes(2);
  });

  it('stops serving and closes the database when quitting', async () => {
    const { app, ipcMain } = await launchReady(['--data-dir', dataDir]);
    expect(existsSync(path.join(dataDir, 'kiosk.db-wal'))).toBe(true);
    app.emit('will-quit');
    expect(ipcMain.handlers.size).toBe(0);
    // SQLite removes the write-ahead log once the last connection closes cleanly.
    expect(existsSync(path.join(dataDir, 'kiosk.db-wal'))).toBe(false);
  });

  it('exits with an error, and opens nothing, when the kiosk cannot start', async () => {
    const notADir = path.join(dataDir, 'file');
    writeFileSync(notADir, '');
    const { app, BrowserWindow } = await launch(['--data-dir', notADir]);
    app.becomeReady();
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(1));
    expect(BrowserWindow.created).toEqual([]);
  });
});
