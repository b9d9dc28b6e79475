import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { callNames } from '../../shared/contract';
import type { Logger } from '../../src-main/core/base/log';
import { KioskShell } from '../../src-main/electron/kiosk-shell';
import { openDemoKiosk, type DemoKioskHarness } from '../core/kiosk-harness';
import { FakeClock } from '../fakes';
import { app, BrowserWindow, clipboard, ipcMain, powerMonitor, resetElectronMock, session, WebContentsView } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

let h: DemoKioskHarness;
let shell: KioskShell;
let win: BrowserWindow;
let errors: EventEmitter;
let log: Logger & { [K in keyof Logger]: Mock };

beforeEach(async () => {
  resetElectronMock();
  errors = new EventEmitter();
  log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const clock = new FakeClock();
  shell = new KioskShell({
    rendererDir: '/app/dist/renderer',
    preload: '/app/dist/main/preload.js',
    devTools: false,
    log,
    now: () => clock.now(),
    errorEvents: errors,
  });
  h = await openDemoKiosk({ clock, appLauncher: shell.appLauncher, wipeSession: shell.wipeSession, exitKiosk: shell.exitKiosk });
  await shell.start(h.kiosk);
  win = BrowserWindow.created[0]!;
});

afterEach(() => {
  shell.close();
  h.close();
});

async function signIn(phone = '+1 206 555 0100') {
  const started = await h.kiosk.handlers['signIn.start']({ phone });
  if (!started.ok || started.value.state !== 'challenge') throw new Error('no challenge');
  const verified = await h.kiosk.handlers['signIn.verify']({ challengeId: started.value.challengeId, code: h.lastCode() });
  if (!verified.ok) throw new Error(verified.error.code);
}

const current = () => h.kiosk.handlers['session.current']({});
const order = (mock: Mock) => mock.mock.invocationCallOrder[0] ?? Number.POSITIVE_INFINITY;
const sessionChanges = () =>
  win.webContents.send.mock.calls.flatMap(([channel, payload], at) =>
    channel === 'kiosk:event:session.changed' ? [{ payload, order: win.webContents.send.mock.invocationCallOrder[at]! }] : [],
  );

describe('the kiosk shell', () => {
  it('opens the locked-down kiosk window on the keypad, serving the contract to it', () => {
    expect(BrowserWindow.created).toHaveLength(1);
    expect(win.options).toMatchObject({ kiosk: true, webPreferences: { preload: '/app/dist/main/preload.js', sandbox: true } });
    expect(win.loadURL).toHaveBeenCalledWith('app://kiosk/index.html');
    expect(ipcMain.handlers.size).toBe(callNames.length);
  });

  it("opens a worker's app in a view over the kiosk window, in this sign-in's partition", async () => {
    await signIn();
    expect(await h.kiosk.handlers['apps.open']({ appId: 'app-shifts' })).toEqual({ ok: true, value: { target: 'kiosk' } });
    const [view] = WebContentsView.created;
    expect(win.contentView.children).toEqual([view]);
    expect(view!.webContents.loadURL).toHaveBeenCalledWith('https://sso.demo.frontline-kiosk.invalid/apps/shift-schedule.html');
    expect([...session.partitions.keys()]).toEqual([expect.stringMatching(/^kiosk-app-[0-9a-f]{32}$/)]);

    await h.kiosk.handlers['apps.home']({});
    expect(view!.visible).toBe(false);
  });

  it('wipes the apps and the clipboard at sign-out, before the keypad shows', async () => {
    await signIn();
    await h.kiosk.handlers['apps.open']({ appId: 'app-shifts' });
    const [view] = WebContentsView.created;
    const [partition] = session.partitions.values();

    expect(await h.kiosk.handlers['session.signOut']({})).toEqual({ ok: true, value: { state: 'ready', signedOut: 'user' } });

    expect(view!.webContents.close).toHaveBeenCalled();
    expect(win.contentView.children).toEqual([]);
    expect(partition!.clearStorageData).toHaveBeenCalled();
    expect(partition!.clearCache).toHaveBeenCalled();
    const keypad = sessionChanges().find(({ payload }) => (payload as { state: string }).state === 'ready')!;
    expect(order(clipboard.clear)).toBeLessThan(keypad.order);
  });

  it("keeps a worker busy inside an app signed in, though the kiosk screen sees no touch", async () => {
    await signIn();
    await h.kiosk.handlers['apps.open']({ appId: 'app-shifts' });
    const appContents = WebContentsView.created[0]!.webContents;

    h.clock.advance(250_000);
    appContents.receiveInput('touchStart');
    h.clock.advance(250_000);
    expect(await current()).toMatchObject({ ok: true, value: { state: 'active' } });

    h.clock.advance(3_600_000);
    expect(await current()).toMatchObject({ ok: true, value: { state: 'ready', signedOut: 'idle' } });
    await vi.waitFor(() => expect(appContents.close).toHaveBeenCalled());
  });

  it("steps the app aside for the idle warning, and back for \"I'm still here\"", async () => {
    await signIn();
    await h.kiosk.handlers['apps.open']({ appId: 'app-shifts' });
    const [view] = WebContentsView.created;

    h.clock.advance(300_000);
    expect(await current()).toMatchObject({ ok: true, value: { state: 'warning' } });
    expect(view!.visible).toBe(false);

    await h.kiosk.handlers['session.stillHere']({});
    expect(view!.visible).toBe(true);
  });

  it('tells the kiosk of input it sees at most once a second', async () => {
    const recordActivity = vi.spyOn(h.kiosk, 'recordActivity');
    win.webContents.receiveInput('touchStart');
    win.webContents.receiveInput('touchMove');
    h.clock.advance(999);
    win.webContents.receiveInput('touchEnd');
    expect(recordActivity).toHaveBeenCalledOnce();
    h.clock.advance(1);
    win.webContents.receiveInput('mouseWheel');
    expect(recordActivity).toHaveBeenCalledTimes(2);
  });

  it('swallows the keys out of the kiosk, in the window and in app views', async () => {
    await signIn();
    await h.kiosk.handlers['apps.open']({ appId: 'app-shifts' });
    expect(win.webContents.pressKey({ key: 'F4', alt: true }).prevented).toBe(true);
    expect(WebContentsView.created[0]!.webContents.pressKey({ key: 'w', control: true }).prevented).toBe(true);
  });

  it('refuses to close the window', () => {
    expect(win.attemptClose().prevented).toBe(true);
    expect(app.quit).not.toHaveBeenCalled();
  });
});

describe('admin exit', () => {
  it('ends the session as admin, then lets the window close and quits', async () => {
    const endSession = vi.spyOn(h.kiosk, 'endSession');
    await signIn();
    expect(await h.kiosk.handlers['admin.open']({ pin: '2468' })).toEqual({ ok: true, value: {} });
    expect(await h.kiosk.handlers['admin.exit']({})).toEqual({ ok: true, value: {} });

    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledOnce());
    expect(endSession).toHaveBeenCalledWith('admin');
    expect(order(endSession)).toBeLessThan(order(app.quit));
    expect(await current()).toEqual({ ok: true, value: { state: 'ready', signedOut: 'admin' } });
    expect(win.attemptClose().prevented).toBe(false);
    expect(win.webContents.pressKey({ key: 'F4', alt: true }).prevented).toBe(false);
  });

  it('keeps the window shut while the session is still ending', async () => {
    let endSessionDone!: () => void;
    vi.spyOn(h.kiosk, 'endSession').mockReturnValueOnce(new Promise<void>((resolve) => (endSessionDone = resolve)));
    shell.exitKiosk();
    expect(win.attemptClose().prevented).toBe(true);
    expect(app.quit).not.toHaveBeenCalled();
    endSessionDone();
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());
  });

  it('quits even if ending the session failed, and only once', async () => {
    vi.spyOn(h.kiosk, 'endSession').mockRejectedValueOnce(new Error('database is locked'));
    shell.exitKiosk();
    shell.exitKiosk();
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledOnce());
    expect(log.error).toHaveBeenCalledWith('could not end the session before leaving', { error: 'Error' });
  });
});

describe('the OS', () => {
  it.each(['suspend', 'lock-screen'])('%s signs the worker out as a suspend', async (osEvent) => {
    await signIn();
    powerMonitor.emit(osEvent);
    await vi.waitFor(async () => expect(await current()).toEqual({ ok: true, value: { state: 'ready', signedOut: 'suspend' } }));
    expect(app.quit).not.toHaveBeenCalled();
  });

  it('shutting down (Linux, macOS) signs the worker out and lets the kiosk go', async () => {
    await signIn();
    powerMonitor.emit('shutdown');
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());
    expect(await current()).toMatchObject({ ok: true, value: { state: 'ready', signedOut: 'suspend' } });
    expect(win.attemptClose().prevented).toBe(false);
  });

  it('ending the Windows session signs the worker out and lets the kiosk go', async () => {
    await signIn();
    win.emit('session-end', {});
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());
    expect(await current()).toMatchObject({ ok: true, value: { state: 'ready', signedOut: 'suspend' } });
  });
});

describe('a failing screen', () => {
  it('that hangs signs the worker out as a crash and is reloaded', async () => {
    await signIn();
    win.webContents.emit('unresponsive');
    await vi.waitFor(() => expect(win.loadURL).toHaveBeenCalledTimes(2));
    expect(win.webContents.forcefullyCrashRenderer).toHaveBeenCalled();
    expect(await current()).toEqual({ ok: true, value: { state: 'ready', signedOut: 'crash' } });
  });

  it('that crashed is reloaded after an uncaught error in main, which is logged', async () => {
    await signIn();
    win.webContents.crashed = true;
    errors.emit('uncaughtException', new Error('+12065550100 was not found'));
    await vi.waitFor(() => expect(win.loadURL).toHaveBeenCalledTimes(2));
    expect(await current()).toEqual({ ok: true, value: { state: 'ready', signedOut: 'crash' } });
    expect(log.error).toHaveBeenCalledWith('uncaught error in the main process', expect.objectContaining({ kind: 'uncaughtException', type: 'Error' }));
    expect(JSON.stringify(log.error.mock.calls)).not.toContain('2065550100');
  });

  it('that is gone is opened again on the keypad after an uncaught error, serving the contract', async () => {
    await signIn();
    await h.kiosk.handlers['apps.open']({ appId: 'app-shifts' });
    win.destroy();
    errors.emit('unhandledRejection', new Error('window is gone'));

    await vi.waitFor(() => expect(BrowserWindow.created[1]?.loadURL).toHaveBeenCalledWith('app://kiosk/index.html'));
    const reopened = BrowserWindow.created[1]!;
    expect(await current()).toEqual({ ok: true, value: { state: 'ready', signedOut: 'crash' } });
    expect(WebContentsView.created[0]!.webContents.close).toHaveBeenCalled();
    expect(ipcMain.handlers.size).toBe(callNames.length);
    expect(reopened.attemptClose().prevented).toBe(true);

    await signIn();
    await h.kiosk.handlers['apps.open']({ appId: 'app-shifts' });
    expect(reopened.contentView.children).toEqual([WebContentsView.created[1]]);
  });

  it('that is fine is left alone after an uncaught error', async () => {
    await signIn();
    errors.emit('uncaughtException', new Error('a sync hiccup'));
    await new Promise(setImmediate);
    expect(BrowserWindow.created).toHaveLength(1);
    expect(win.loadURL).toHaveBeenCalledOnce();
    expect(await current()).toMatchObject({ ok: true, value: { state: 'active' } });
  });
});

describe('closing the shell', () => {
  it('stops serving the contract and listening to the OS and to uncaught errors', () => {
    shell.close();
    expect(ipcMain.handlers.size).toBe(0);
    expect(powerMonitor.eventNames()).toEqual([]);
    expect(errors.eventNames()).toEqual([]);
  });

  it('brings the window forward when the kiosk is launched again', () => {
    win.minimized = true;
    shell.bringForward();
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
  });
});

describe('a site asking for a client certificate (issue #12, item 10)', () => {
  it('gets none unless policy names one, instead of the first in the store', () => {
    const event = { preventDefault: vi.fn() };
    const choose = vi.fn();
    app.emit('select-client-certificate', event, win.webContents, 'https://roster.example/', [{ subjectName: 'CN=first' }], choose);
    expect(event.preventDefault).toHaveBeenCalledOnce();
    expect(choose).toHaveBeenCalledWith(undefined);
  });

  it('stops listening once the shell closes', () => {
    expect(app.listenerCount('select-client-certificate')).toBe(1);
    shell.close();
    expect(app.listenerCount('select-client-certificate')).toBe(0);
  });
});
