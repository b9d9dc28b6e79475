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

type Call = (name: string, input: unknown) => Promise<unknown>;

function callerFor(ipcMain: ElectronMock['ipcMain'], win: electronMock.BrowserWindow): Call {
  const from = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
  return async (name, input) => ipcMain.handlers.get(`kiosk:call:${name}`)!(from, input);
}

/** Alex Rivera signs in with the code the demo phone receives. */
async function signIn(call: Call, win: electronMock.BrowserWindow) {
  const started = (await call('signIn.start', { phone: '2065550100' })) as { value: { challengeId: string } };
  const text = win.webContents.send.mock.calls.findLast(([channel]) => channel === 'kiosk:event:demo.sms')![1] as { body: string };
  const code = /\b(\d{6})\b/.exec(text.body)![1];
  await call('signIn.verify', { challengeId: started.value.challengeId, code });
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
    const call = callerFor(ipcMain, win);
    await signIn(call, win);
    expect(await call('session.current', {})).toMatchObject({ ok: true, value: { state: 'active' } });

    win.webContents.emit('render-process-gone', {}, { reason: 'crashed' });

    await vi.waitFor(() => expect(win.loadURL).toHaveBeenCalledTimes(2));
    expect(await call('session.current', {})).toEqual({ ok: true, value: { state: 'ready', signedOut: 'crash' } });
  });

  it("hands the core the shell's app views and wipe: an app opens in the window, and sign-out wipes it", async () => {
    const { ipcMain, win, WebContentsView, clipboard } = await launchReady(['--data-dir', dataDir]);
    const call = callerFor(ipcMain, win);
    await signIn(call, win);

    expect(await call('apps.open', { appId: 'app-shifts' })).toEqual({ ok: true, value: { target: 'kiosk' } });
    const [view] = WebContentsView.created;
    expect(win.contentView.children).toEqual([view]);
    expect(view!.webContents.loadURL).toHaveBeenCalledWith('https://sso.demo.frontline-kiosk.invalid/apps/shift-schedule.html');

    await call('session.signOut', {});
    expect(view!.webContents.close).toHaveBeenCalled();
    expect(clipboard.clear).toHaveBeenCalled();
  });

  it('answers the demo issuer in the app partition with the kiosk’s own provider, offline', async () => {
    const { ipcMain, win, WebContentsView } = await launchReady(['--data-dir', dataDir]);
    const call = callerFor(ipcMain, win);
    await signIn(call, win);
    await call('apps.open', { appId: 'app-shifts' });
    const partition = WebContentsView.created[0]!.webContents.session;
    const https = partition.protocol.handle.mock.calls.find(([scheme]) => scheme === 'https')![1] as (request: Request) => Promise<Response>;

    const discovery = await https(new Request('https://sso.demo.frontline-kiosk.invalid/oidc/.well-known/openid-configuration'));
    expect(discovery.status).toBe(200);
    expect(((await discovery.json()) as { issuer: string }).issuer).toBe('https://sso.demo.frontline-kiosk.invalid/oidc');
    expect(partition.fetch).not.toHaveBeenCalled();
  });

  it("hands the core the shell's exit: the admin PIN and admin.exit quit the app", async () => {
    const { ipcMain, win, app } = await launchReady(['--data-dir', dataDir]);
    const call = callerFor(ipcMain, win);
    expect(win.attemptClose().prevented).toBe(true);

    expect(await call('admin.open', { pin: '2468' })).toEqual({ ok: true, value: {} });
    expect(await call('admin.exit', {})).toEqual({ ok: true, value: {} });
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());
    expect(win.attemptClose().prevented).toBe(false);
  });

  it('stops serving and closes the database when quitting', async () => {
    const { app, ipcMain } = await launchReady(['--data-dir', dataDir]);
    expect(existsSync(path.join(dataDir, 'kiosk.db-wal'))).toBe(true);
    app.emit('will-quit');
    expect(ipcMain.handlers.size).toBe(0);
    // SQLite removes the write-ahead log once the last connection closes cleanly.
    expect(existsSync(path.join(dataDir, 'kiosk.db-wal'))).toBe(false);
  });

  it('refuses to start live mode with a broken configuration, naming the field, and never falls back to demo', async () => {
    const configFile = path.join(dataDir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ deviceName: 'Till 3', directory: { source: 'feed' }, sms: { provider: 'webhook' } }));
    const { app, dialog, BrowserWindow } = await launch(['--data-dir', dataDir, '--config', configFile]);
    app.becomeReady();
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(1));
    expect(dialog.showErrorBox).toHaveBeenCalledWith('Frontline Kiosk cannot start', expect.stringContaining('directory.feed'));
    expect(BrowserWindow.created).toEqual([]);
    expect(existsSync(path.join(dataDir, 'kiosk.db'))).toBe(false);
  });

  it('starts the offline demo with --demo even where a configuration exists', async () => {
    const configFile = path.join(dataDir, 'config.json');
    writeFileSync(configFile, '{ "this is": "not even valid for live mode" }');
    const { win } = await launchReady(['--data-dir', dataDir, '--config', configFile, '--demo']);
    expect(win.loadURL).toHaveBeenCalledWith('app://kiosk/index.html');
    expect(existsSync(path.join(dataDir, 'kiosk.db'))).toBe(true);
  });

  it("runs IT's commands without opening a window", async () => {
    const { app, BrowserWindow } = await launch(['--help']);
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(0));
    expect(BrowserWindow.created).toEqual([]);
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
