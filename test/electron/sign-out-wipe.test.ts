import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import type { Logger } from '../../src-main/core/base/log';
import type { KioskApp } from '../../src-main/core/directory/directory-snapshot';
import { AppViews } from '../../src-main/electron/app-views';
import { FRONT_CHANNEL_LOGOUT_MS, wipeWorkerTraces } from '../../src-main/electron/sign-out-wipe';
import { BrowserWindow, clipboard, resetElectronMock, session, WebContentsView } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

const shifts: KioskApp = { id: 'app-shifts', name: 'Shift schedule', page: 'shift-schedule', groupIds: ['all_users'] };
const roster: KioskApp = { id: 'app-roster', name: 'Roster', url: 'https://roster.example/', groupIds: ['all_users'] };

let win: BrowserWindow;
let views: AppViews;
let log: Logger & { error: Mock; warn: Mock };

beforeEach(async () => {
  resetElectronMock();
  log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  win = new BrowserWindow({});
  views = new AppViews({ rendererDir: '/nonexistent/renderer', devTools: false, log, onContents: () => {} });
  views.attach(win as unknown as Electron.BrowserWindow);
  await views.open(shifts, 's1');
  await views.open(roster, 's1');
});

const partition = () => session.partitions.get('kiosk-app-s1')!;
const order = (mock: Mock) => mock.mock.invocationCallOrder[0] ?? Number.POSITIVE_INFINITY;

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('the wipe at sign-out', () => {
  it('closes the views, then clears storage, then the cache, then the clipboard', async () => {
    await wipeWorkerTraces(views, log);
    const [shiftsView, rosterView] = WebContentsView.created.map((view) => view.webContents.close);
    const { clearStorageData, clearCache } = partition();
    expect(win.contentView.children).toEqual([]);
    expect(Math.max(order(shiftsView!), order(rosterView!))).toBeLessThan(order(clearStorageData));
    expect(order(clearStorageData)).toBeLessThan(order(clearCache));
    expect(order(clearCache)).toBeLessThan(order(clipboard.clear));
    expect(clearStorageData).toHaveBeenCalledWith();
  });

  it('clears the selection as well as the clipboard (Linux)', async () => {
    await wipeWorkerTraces(views, log);
    expect(clipboard.clear).toHaveBeenCalledOnce();
    expect(clipboard.selection.clear).toHaveBeenCalledOnce();
  });

  it('resolves only once storage and cache are cleared', async () => {
    const storage = deferred();
    const cache = deferred();
    partition().clearStorageData.mockReturnValueOnce(storage.promise);
    partition().clearCache.mockReturnValueOnce(cache.promise);
    let done = false;
    const wiping = wipeWorkerTraces(views, log).then(() => (done = true));

    await new Promise(setImmediate);
    expect(partition().clearCache).not.toHaveBeenCalled();
    storage.resolve();
    await new Promise(setImmediate);
    expect(clipboard.clear).not.toHaveBeenCalled();
    expect(done).toBe(false);
    cache.resolve();
    await wiping;
    expect(clipboard.clear).toHaveBeenCalled();
  });

  it('goes on, and still resolves, when clearing storage fails', async () => {
    partition().clearStorageData.mockRejectedValueOnce(new Error('storage partition is busy'));
    await expect(wipeWorkerTraces(views, log)).resolves.toBeUndefined();
    expect(partition().clearCache).toHaveBeenCalled();
    expect(clipboard.clear).toHaveBeenCalled();
    expect(log.error).toHaveBeenCalledWith("wiping a worker's traces failed", expect.objectContaining({ step: 'storage' }));
  });

  it('goes on, and still resolves, when clearing the cache or the clipboard fails', async () => {
    partition().clearCache.mockRejectedValueOnce(new Error('cache is busy'));
    clipboard.clear.mockImplementationOnce(() => {
      throw new Error('no clipboard owner');
    });
    await expect(wipeWorkerTraces(views, log)).resolves.toBeUndefined();
    expect(log.error.mock.calls.map(([, fields]) => (fields as { step: string }).step)).toEqual(['cache', 'clipboard']);
  });

  it('clears the clipboard even when the worker opened no app', async () => {
    const noApps = new AppViews({ rendererDir: '/nonexistent/renderer', devTools: false, log, onContents: () => {} });
    await wipeWorkerTraces(noApps, log);
    expect(clipboard.clear).toHaveBeenCalledOnce();
    expect(partition().clearStorageData).not.toHaveBeenCalled();
  });
});

describe('front-channel logout at sign-out', () => {
  const LOGOUT_PAGE = 'https://hr.contoso.example/oidc/frontchannel-logout';
  const hr: KioskApp = {
    id: 'app-hr', name: 'HR', url: 'https://hr.contoso.example/', groupIds: ['all_users'],
    oidc: { clientId: 'hr', responseType: 'code', redirectUris: ['https://hr.contoso.example/cb'], postLogoutRedirectUris: [], frontchannelLogoutUri: LOGOUT_PAGE, scopes: ['openid'] },
  };
  const hrContents = () => WebContentsView.created.find((view) => view.webContents.loadURL.mock.calls[0]?.[0] === hr.url)!.webContents;

  beforeEach(async () => {
    await views.open(hr, 's1');
  });

  it('loads the app’s logout page in its own view before anything is wiped', async () => {
    await wipeWorkerTraces(views, log);
    const contents = hrContents();
    expect(contents.loadURL).toHaveBeenLastCalledWith(LOGOUT_PAGE);
    const logoutAt = contents.loadURL.mock.invocationCallOrder.at(-1)!;
    expect(logoutAt).toBeLessThan(order(contents.close));
    expect(logoutAt).toBeLessThan(order(partition().clearStorageData));
  });

  it('loads nothing in apps that registered no logout page', async () => {
    await wipeWorkerTraces(views, log);
    const others = WebContentsView.created.map((view) => view.webContents).filter((contents) => contents !== hrContents());
    for (const contents of others) expect(contents.loadURL).toHaveBeenCalledOnce();
  });

  it('waits for the page to load before wiping', async () => {
    const page = deferred();
    hrContents().loadURL.mockReturnValueOnce(page.promise);
    const wiping = wipeWorkerTraces(views, log);
    await new Promise(setImmediate);
    expect(hrContents().close).not.toHaveBeenCalled();
    page.resolve();
    await wiping;
    expect(partition().clearStorageData).toHaveBeenCalled();
  });

  it('cannot be held up by an app that never answers: the wipe goes on after the bound', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      hrContents().loadURL.mockReturnValueOnce(new Promise(() => {}));
      let done = false;
      const wiping = wipeWorkerTraces(views, log).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(FRONT_CHANNEL_LOGOUT_MS - 1);
      expect(done).toBe(false);
      expect(partition().clearStorageData).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      await wiping;
      expect(partition().clearStorageData).toHaveBeenCalled();
      expect(clipboard.clear).toHaveBeenCalled();
      expect(log.warn).toHaveBeenCalledWith('front-channel logout did not finish in time; wiping anyway', { apps: 1, ms: FRONT_CHANNEL_LOGOUT_MS });
    } finally {
      vi.useRealTimers();
    }
  });

  it('wipes just the same when the logout page fails to load', async () => {
    hrContents().loadURL.mockRejectedValueOnce(new Error('ERR_NAME_NOT_RESOLVED'));
    await wipeWorkerTraces(views, log);
    expect(partition().clearStorageData).toHaveBeenCalled();
    expect(log.warn).toHaveBeenCalledWith("an app did not load its front-channel logout page", { failed: 1 });
  });
});
