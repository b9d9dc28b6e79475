import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import type { Logger } from '../../src-main/core/base/log';
import { failClosedOnScreenLoss } from '../../src-main/electron/screen-recovery';
import { BrowserWindow } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

let win: BrowserWindow;
let kiosk: { endSession: Mock<(reason: string) => Promise<void>> };
let log: Logger & { error: Mock };

beforeEach(() => {
  win = new BrowserWindow({});
  kiosk = { endSession: vi.fn(async () => {}) };
  log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  failClosedOnScreenLoss(win as unknown as Electron.BrowserWindow, kiosk, log);
});

const order = (mock: Mock) => mock.mock.invocationCallOrder[0] ?? Number.POSITIVE_INFINITY;

describe('the kiosk screen, failing closed', () => {
  it('signs the worker out as a crash, then reloads the keypad, when its renderer dies', async () => {
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    await vi.waitFor(() => expect(win.loadURL).toHaveBeenCalledWith('app://kiosk/index.html'));
    expect(kiosk.endSession).toHaveBeenCalledWith('crash');
    expect(order(kiosk.endSession)).toBeLessThan(order(win.loadURL));
  });

  it('reloads the keypad even when signing out failed', async () => {
    kiosk.endSession.mockRejectedValueOnce(new Error('database is locked'));
    win.webContents.emit('render-process-gone', {}, { reason: 'oom', exitCode: 0 });
    await vi.waitFor(() => expect(win.loadURL).toHaveBeenCalled());
    expect(log.error).toHaveBeenCalledWith('could not sign out after the screen was lost', { error: 'Error' });
  });

  it('signs the worker out at once when it hangs, then kills and reloads it', async () => {
    win.webContents.emit('unresponsive');
    expect(kiosk.endSession).toHaveBeenCalledWith('crash');
    await vi.waitFor(() => expect(win.loadURL).toHaveBeenCalledOnce());
    expect(order(kiosk.endSession)).toBeLessThan(order(win.webContents.forcefullyCrashRenderer));
    expect(order(win.webContents.forcefullyCrashRenderer)).toBeLessThan(order(win.loadURL));
  });

  it('reloads nothing once the window is gone', async () => {
    win.destroyed = true;
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    await vi.waitFor(() => expect(kiosk.endSession).toHaveBeenCalledWith('crash'));
    await new Promise(setImmediate);
    expect(win.loadURL).not.toHaveBeenCalled();
  });
});
