import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { APP_BAR_HEIGHT } from '../../shared/layout';
import { silentLogger } from '../../src-main/core/base/log';
import type { KioskApp } from '../../src-main/core/directory/directory-snapshot';
import { AppViews } from '../../src-main/electron/app-views';
import { BrowserWindow, resetElectronMock, session, WebContentsView, type FakeSession, type FakeWebContents } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

const shifts: KioskApp = { id: 'app-shifts', name: 'Shift schedule', page: 'shift-schedule', groupIds: ['all_users'] };
const roster: KioskApp = { id: 'app-roster', name: 'Roster', url: 'https://roster.example/', groupIds: ['all_users'] };

const rendererDir = mkdtempSync(path.join(tmpdir(), 'kiosk-app-views-'));
mkdirSync(path.join(rendererDir, 'apps'));
writeFileSync(path.join(rendererDir, 'index.html'), '<title>Kiosk</title>');
writeFileSync(path.join(rendererDir, 'apps', 'shift-schedule.html'), '<title>Shift schedule</title>');
afterAll(() => rmSync(rendererDir, { recursive: true, force: true }));

let win: BrowserWindow;
let views: AppViews;
let watched: FakeWebContents[];

/** The demo's issuer, answered by a stand-in: what the partition does with it is sso-requests' tests'. */
const demoIssuer = { issuer: 'https://sso.demo.frontline-kiosk.invalid/oidc', answer: async () => new Response('provider') };

function newAppViews(issuer: typeof demoIssuer | null = demoIssuer) {
  return new AppViews({
    rendererDir,
    devTools: false,
    log: silentLogger,
    onContents: (contents) => watched.push(contents as unknown as FakeWebContents),
    issuer: () => issuer,
  });
}

beforeEach(() => {
  resetElectronMock();
  watched = [];
  win = new BrowserWindow({});
  views = newAppViews();
  views.attach(win as unknown as Electron.BrowserWindow);
});

const partition = (sessionId: string) => session.partitions.get(`kiosk-app-${sessionId}`)!;

describe('an app view', () => {
  it('shows inside the kiosk window', async () => {
    expect(await views.open(shifts, 's1')).toEqual({ target: 'kiosk' });
    expect(win.contentView.children).toEqual([WebContentsView.created[0]]);
  });

  it('runs the app isolated and sandboxed, without Node or a preload', async () => {
    await views.open(roster, 's1');
    const { webPreferences } = WebContentsView.created[0]!.options;
    expect(webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      devTools: false,
    });
    expect(webPreferences).not.toHaveProperty('preload');
  });

  it("runs in an in-memory partition of this sign-in's own", async () => {
    await views.open(roster, 's1');
    expect(session.fromPartition).toHaveBeenCalledWith('kiosk-app-s1');
    expect(session.fromPartition.mock.calls.flat()).not.toContainEqual(expect.stringMatching(/^persist:/));
    expect(WebContentsView.created[0]!.options.webPreferences?.session).toBe(partition('s1'));
  });

  it('gives the next sign-in a partition of its own', async () => {
    await views.open(roster, 's1');
    views.closeAll();
    await views.open(roster, 's2');
    expect(WebContentsView.created[1]!.options.webPreferences?.session).toBe(partition('s2'));
    expect(partition('s2')).not.toBe(partition('s1'));
  });

  it('loads an https app at its address', async () => {
    await views.open(roster, 's1');
    expect(WebContentsView.created[0]!.webContents.loadURL).toHaveBeenCalledWith('https://roster.example/');
  });

  it('loads a built-in page from the demo origin, which the partition serves from the apps folder only', async () => {
    await views.open(shifts, 's1');
    expect(WebContentsView.created[0]!.webContents.loadURL).toHaveBeenCalledWith('https://sso.demo.frontline-kiosk.invalid/apps/shift-schedule.html');
    const handlers = new Map(partition('s1').protocol.handle.mock.calls as [string, (request: Request) => Promise<Response>][]);
    expect((await handlers.get('https')!(new Request('https://sso.demo.frontline-kiosk.invalid/apps/shift-schedule.html'))).status).toBe(200);
    // The rest of the demo origin is the provider's, which answers only under /oidc: never the kiosk's files.
    expect(await (await handlers.get('https')!(new Request('https://sso.demo.frontline-kiosk.invalid/index.html'))).text()).toBe('provider');
    expect((await handlers.get('app')!(new Request('app://kiosk/apps/shift-schedule.html'))).status).toBe(404);
  });

  it('leaves https alone in the partitions of a kiosk that serves no single sign-on', async () => {
    views = newAppViews(null);
    views.attach(win as unknown as Electron.BrowserWindow);
    await views.open(roster, 's1');
    expect(partition('s1').protocol.handle.mock.calls.map(([scheme]) => scheme)).toEqual(['app']);
  });

  it('sits below the app bar, across the whole window', async () => {
    await views.open(shifts, 's1');
    expect(WebContentsView.created[0]!.bounds).toEqual({ x: 0, y: APP_BAR_HEIGHT, width: 1280, height: 800 - APP_BAR_HEIGHT });
  });

  it('follows the window when it is resized', async () => {
    await views.open(shifts, 's1');
    await views.open(roster, 's1');
    win.resizeTo(1920, 1080);
    for (const view of WebContentsView.created) expect(view.bounds).toEqual({ x: 0, y: APP_BAR_HEIGHT, width: 1920, height: 1080 - APP_BAR_HEIGHT });
  });

  it('is made once per app per sign-in: opening the app again shows the same view', async () => {
    await views.open(shifts, 's1');
    views.showHome();
    await views.open(shifts, 's1');
    expect(WebContentsView.created).toHaveLength(1);
    expect(WebContentsView.created[0]!.visible).toBe(true);
    expect(win.contentView.children).toHaveLength(1);
  });

  it('is the only app showing', async () => {
    await views.open(shifts, 's1');
    await views.open(roster, 's1');
    const [shiftsView, rosterView] = WebContentsView.created;
    expect([shiftsView!.visible, rosterView!.visible]).toEqual([false, true]);
    await views.open(shifts, 's1');
    expect([shiftsView!.visible, rosterView!.visible]).toEqual([true, false]);
    expect(shiftsView!.webContents.focus).toHaveBeenCalled();
  });

  it('hides, but stays open, when the worker goes home', async () => {
    await views.open(shifts, 's1');
    await views.open(roster, 's1');
    views.showHome();
    expect(WebContentsView.created.map((view) => view.visible)).toEqual([false, false]);
    expect(WebContentsView.created.map((view) => view.webContents.destroyed)).toEqual([false, false]);
    expect(win.webContents.focus).toHaveBeenCalled();
  });

  it('steps aside while the screen shows something over everything, and comes back after', async () => {
    await views.open(shifts, 's1');
    await views.open(roster, 's1');
    const [shiftsView, rosterView] = WebContentsView.created;
    views.stepAside(true);
    expect([shiftsView!.visible, rosterView!.visible]).toEqual([false, false]);
    views.stepAside(false);
    expect([shiftsView!.visible, rosterView!.visible]).toEqual([false, true]);
  });

  it('stays home after stepping aside if the worker went home meanwhile', async () => {
    await views.open(shifts, 's1');
    views.stepAside(true);
    views.showHome();
    views.stepAside(false);
    expect(WebContentsView.created[0]!.visible).toBe(false);
  });

  it("hands its contents to the shell to watch", async () => {
    await views.open(shifts, 's1');
    expect(watched).toEqual([WebContentsView.created[0]!.webContents]);
  });

  it('keeps to where the app may go', async () => {
    await views.open(roster, 's1');
    const { webContents } = WebContentsView.created[0]!;
    expect(webContents.attemptNavigation('http://roster.example/').prevented).toBe(true);
    expect(webContents.windowOpenHandler?.({ url: 'https://roster.example/' })).toEqual({ action: 'deny' });
  });

  it('is closed when its page crashes, so the tile opens it afresh', async () => {
    await views.open(shifts, 's1');
    const crashed = WebContentsView.created[0]!;
    crashed.webContents.emit('render-process-gone', {}, { reason: 'crashed' });
    expect(win.contentView.children).toEqual([]);
    await views.open(shifts, 's1');
    expect(WebContentsView.created).toHaveLength(2);
    expect(win.contentView.children).toEqual([WebContentsView.created[1]]);
  });

  it('cannot open before the kiosk window exists', async () => {
    await expect(newAppViews().open(shifts, 's1')).rejects.toThrow('The kiosk window is not open.');
  });
});

describe("a sign-in's partition", () => {
  let apps: FakeSession;
  beforeEach(async () => {
    await views.open(roster, 's1');
    apps = partition('s1');
  });

  it('denies every permission request and check', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'fullscreen']) {
      const callback = vi.fn();
      apps.permissionRequestHandler?.(null, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect(apps.permissionCheckHandler?.(null, permission)).toBe(false);
    }
  });

  it('cancels every download', () => {
    expect(apps.attemptDownload('https://roster.example/rota.pdf').prevented).toBe(true);
  });
});

describe('closing every app', () => {
  it('closes and removes each view, and hands back the partitions they used', async () => {
    await views.open(shifts, 's1');
    await views.open(roster, 's1');
    expect(views.closeAll()).toEqual([partition('s1')]);
    expect(win.contentView.children).toEqual([]);
    for (const view of WebContentsView.created) expect(view.webContents.close).toHaveBeenCalledOnce();
    expect(views.closeAll()).toEqual([]);
  });

  it('opens the app afresh afterwards', async () => {
    await views.open(shifts, 's1');
    views.closeAll();
    await views.open(shifts, 's2');
    expect(WebContentsView.created).toHaveLength(2);
  });

  it('still closes the views when the window is already gone', async () => {
    await views.open(shifts, 's1');
    win.destroy();
    expect(views.closeAll()).toEqual([partition('s1')]);
    expect(WebContentsView.created[0]!.webContents.close).toHaveBeenCalled();
  });
});
