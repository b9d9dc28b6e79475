import { describe, expect, it, vi, beforeEach } from 'vitest';
import { silentLogger } from '../../src-main/core/base/log';
import type { KioskApp } from '../../src-main/core/directory/directory-snapshot';
import { nativeDialogGuard } from '../../src-main/electron/app-navigation';
import { AppViews } from '../../src-main/electron/app-views';
import { DisposableStore, listen, toDisposable } from '../../src-main/electron/disposables';
import { wipeWorkerTraces } from '../../src-main/electron/sign-out-wipe';
import { BrowserWindow, resetElectronMock, session, WebContentsView, type FakeWebContents } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

/** Issue #12, items 10 and 11, and issue #11's disposables: the app views against the electron mock. */

const roster: KioskApp = { id: 'app-roster', name: 'Roster', url: 'https://roster.example/', groupIds: ['all_users'] };
const cert = (subjectName: string) => ({ subjectName }) as Electron.Certificate;

let win: BrowserWindow;
let views: AppViews;
beforeEach(() => {
  resetElectronMock();
  win = new BrowserWindow({});
  views = new AppViews({ rendererDir: '/nonexistent/renderer', devTools: false, log: silentLogger, onContents: () => {} });
  views.attach(win as unknown as Electron.BrowserWindow);
});
const contentsOf = (i: number) => WebContentsView.created[i]!.webContents as unknown as FakeWebContents & Electron.WebContents;

describe('client certificates (item 10)', () => {
  it('selects none unless policy names one for the origin that asks', async () => {
    await views.open(roster, 's1');
    const offered = [cert('CN=first-in-store'), cert('CN=roster-kiosk')];
    expect(views.clientCertificateFor(contentsOf(0), 'https://roster.example/login', offered)).toBeUndefined();
    await views.open({ ...roster, id: 'app-2', clientCertificates: [{ origin: 'https://roster.example', subjectName: 'CN=roster-kiosk' }] }, 's1');
    expect(views.clientCertificateFor(contentsOf(1), 'https://roster.example/login', offered)).toEqual(cert('CN=roster-kiosk'));
    expect(views.clientCertificateFor(contentsOf(1), 'https://other.example/', offered)).toBeUndefined();
    // The kiosk's own window, or anything not an app view, never gets one.
    expect(views.clientCertificateFor(win.webContents as unknown as Electron.WebContents, 'https://roster.example/', offered)).toBeUndefined();
  });
});

describe('print and file choosers (item 10)', () => {
  it('are turned off in app views unless policy allows them', () => {
    expect(nativeDialogGuard(roster)).toContain('window.print = () => undefined');
    expect(nativeDialogGuard(roster)).toContain("t.type === 'file'");
    expect(nativeDialogGuard({ ...roster, allowPrint: true })).not.toContain('window.print');
    expect(nativeDialogGuard({ ...roster, allowPrint: true, allowFileChooser: true })).toBeNull();
  });

  it('runs the guard in every frame that finishes loading', async () => {
    await views.open(roster, 's1');
    const contents = contentsOf(0);
    contents.emit('did-frame-finish-load');
    expect(contents.mainFrame.executeJavaScript).toHaveBeenCalledWith(nativeDialogGuard(roster));
  });
});

describe('the wipe (item 11)', () => {
  it('also clears the auth cache and open connections, and reuses the wiped partition instead of growing', async () => {
    for (let i = 0; i < 10; i += 1) {
      await views.open(roster, `s${i}`);
      await wipeWorkerTraces(views, silentLogger);
    }
    const [only] = [...session.partitions.values()];
    expect(session.partitions.size).toBe(1);
    expect(only!.clearAuthCache).toHaveBeenCalledTimes(10);
    expect(only!.closeAllConnections).toHaveBeenCalledTimes(10);
  });

  it('never reuses a partition whose wipe failed', async () => {
    await views.open(roster, 's1');
    session.partitions.get('kiosk-app-s1')!.clearStorageData.mockRejectedValueOnce(new Error('busy'));
    await wipeWorkerTraces(views, silentLogger);
    await views.open(roster, 's2');
    expect([...session.partitions.keys()]).toEqual(['kiosk-app-s1', 'kiosk-app-s2']);
  });
});

describe('owned listeners (issue #11)', () => {
  it('a closed app view leaves no listener behind on its contents', async () => {
    await views.open(roster, 's1');
    const contents = contentsOf(0);
    const events = ['will-navigate', 'will-frame-navigate', 'will-redirect', 'render-process-gone', 'did-frame-finish-load'];
    expect(events.map((e) => contents.listenerCount(e))).toEqual([1, 1, 1, 1, 1]);
    views.closeAll();
    expect(events.map((e) => contents.listenerCount(e))).toEqual([0, 0, 0, 0, 0]);
  });

  it('a window replaced by another leaves no listener behind', () => {
    const next = new BrowserWindow({});
    expect(win.listenerCount('resize')).toBe(1);
    views.attach(next as unknown as Electron.BrowserWindow);
    expect(win.listenerCount('resize')).toBe(0);
    expect(next.listenerCount('resize')).toBe(1);
  });

  it('a store disposes what it owns once, newest first, and at once what is added after', () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => order.push('first')));
    store.add(toDisposable(() => order.push('second')));
    store.dispose();
    store.dispose();
    store.add(toDisposable(() => order.push('late')));
    expect(order).toEqual(['second', 'first', 'late']);
    const emitter = new BrowserWindow({});
    store.add(listen(emitter, 'x', () => undefined));
    expect(emitter.listenerCount('x')).toBe(0);
  });
});
