import os from 'node:os';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/**
 * Just enough of Electron's main and preload APIs to drive src-main/electron in Node:
 * each fake records what the code under test asked of it, so tests assert on that.
 * Use with `vi.mock('electron', () => import('./electron-mock'))`.
 */

type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
type PermissionCheckHandler = (contents: unknown, permission: string) => boolean;
type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };

/** What Electron hands a listener that may cancel: the event, and whether it was. */
function cancellable<T extends object>(fields: T): T & { preventDefault(): void; readonly prevented: boolean } {
  const event = { ...fields, prevented: false, preventDefault: () => void (event.prevented = true) };
  return event;
}

export class FakeSession extends EventEmitter {
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  readonly protocol = { handle: vi.fn() };
  readonly clearStorageData = vi.fn(async () => {});
  readonly clearCache = vi.fn(async () => {});
  readonly clearAuthCache = vi.fn(async () => {});
  readonly closeAllConnections = vi.fn(async () => {});
  /** The session's cookie store, by name (enough for one host's cookies). */
  readonly cookieJar = new Map<string, { name: string; value: string; url: string } & Record<string, unknown>>();
  readonly cookies = {
    get: vi.fn(async (_filter: { url?: string }) => [...this.cookieJar.values()]),
    set: vi.fn(async (details: { name: string; value: string; url: string } & Record<string, unknown>) => void this.cookieJar.set(details.name, details)),
    remove: vi.fn(async (_url: string, name: string) => void this.cookieJar.delete(name)),
  };
  /** `ses.fetch`: Chromium's network stack in this session; tests say what it answers. */
  readonly fetch = vi.fn(async (_input: Request | string, _init?: RequestInit & { bypassCustomProtocolHandlers?: boolean }) => new Response('from the network'));
  constructor(readonly partition = '') {
    super();
  }
  setPermissionRequestHandler(handler: PermissionRequestHandler) {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler) {
    this.permissionCheckHandler = handler;
  }
  /** What Chromium does when a page starts a download: emit, then honour preventDefault. */
  attemptDownload(url: string): { prevented: boolean } {
    const event = cancellable({});
    this.emit('will-download', event, { getURL: () => url, cancel: vi.fn() }, null);
    return { prevented: event.prevented };
  }
}

/** `session.fromPartition` hands out one session per partition name, as Electron does. */
export const session = {
  partitions: new Map<string, FakeSession>(),
  fromPartition: vi.fn((partition: string): FakeSession => {
    const existing = session.partitions.get(partition);
    if (existing) return existing;
    const created = new FakeSession(partition);
    session.partitions.set(partition, created);
    return created;
  }),
};

export class FakeFrame {
  readonly executeJavaScript = vi.fn(async (_code: string) => undefined);
  constructor(public url: string) {}
  get framesInSubtree(): FakeFrame[] {
    return [this];
  }
}

export interface FakeInput {
  type?: string;
  key: string;
  control?: boolean;
  meta?: boolean;
  alt?: boolean;
  shift?: boolean;
}

export class FakeWebContents extends EventEmitter {
  mainFrame = new FakeFrame('app://kiosk/index.html');
  windowOpenHandler: WindowOpenHandler | null = null;
  destroyed = false;
  crashed = false;
  readonly send = vi.fn<(channel: string, payload: unknown) => void>();
  readonly loadURL = vi.fn(async (_url: string) => {});
  readonly focus = vi.fn();
  readonly close = vi.fn(() => {
    this.destroyed = true;
    this.emit('destroyed');
  });
  /** Electron kills the renderer, then reports it gone. */
  readonly forcefullyCrashRenderer = vi.fn(() => {
    this.crashed = true;
    this.emit('render-process-gone', {}, { reason: 'killed', exitCode: 9 });
  });
  constructor(readonly session = new FakeSession()) {
    super();
  }
  setWindowOpenHandler(handler: WindowOpenHandler) {
    this.windowOpenHandler = handler;
  }
  isDestroyed() {
    return this.destroyed;
  }
  isCrashed() {
    return this.crashed;
  }
  /** What Chromium does when a page tries to navigate: emit, then honour preventDefault. */
  attemptNavigation(url: string): { prevented: boolean } {
    const event = cancellable({ url });
    this.emit('will-navigate', event);
    return { prevented: event.prevented };
  }
  /** A server redirect during a navigation. */
  attemptRedirect(url: string): { prevented: boolean } {
    const event = cancellable({ url });
    this.emit('will-redirect', event);
    return { prevented: event.prevented };
  }
  /** A key reaching the page: `before-input-event` may swallow it. */
  pressKey(input: FakeInput): { prevented: boolean } {
    const event = cancellable({});
    this.emit('before-input-event', event, { type: 'keyDown', control: false, meta: false, alt: false, shift: false, ...input });
    return { prevented: event.prevented };
  }
  /** Any input Chromium delivers to the page (`input-event`). */
  receiveInput(type: string) {
    this.emit('input-event', {}, { type });
  }
}

interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class WebContentsView {
  static readonly created: WebContentsView[] = [];
  readonly webContents: FakeWebContents;
  bounds: Bounds = { x: 0, y: 0, width: 0, height: 0 };
  visible = true;
  readonly setBounds = vi.fn((bounds: Bounds) => void (this.bounds = bounds));
  readonly setVisible = vi.fn((visible: boolean) => void (this.visible = visible));
  constructor(readonly options: { webPreferences?: { session?: FakeSession } & Record<string, unknown> } = {}) {
    this.webContents = new FakeWebContents(options.webPreferences?.session ?? new FakeSession());
    WebContentsView.created.push(this);
  }
  getBounds() {
    return this.bounds;
  }
  getVisible() {
    return this.visible;
  }
}

/** A window's `contentView`: the views stacked in it. */
export class FakeView {
  readonly children: WebContentsView[] = [];
  readonly addChildView = vi.fn((view: WebContentsView) => void this.children.push(view));
  readonly removeChildView = vi.fn((view: WebContentsView) => {
    const at = this.children.indexOf(view);
    if (at >= 0) this.children.splice(at, 1);
  });
}

export class BrowserWindow extends EventEmitter {
  static readonly created: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly contentView = new FakeView();
  readonly loadURL = vi.fn(async (_url: string) => {});
  readonly focus = vi.fn();
  readonly restore = vi.fn();
  destroyed = false;
  minimized = false;
  contentBounds: Bounds = { x: 0, y: 0, width: 1280, height: 800 };
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.created.push(this);
  }
  isDestroyed() {
    return this.destroyed;
  }
  isMinimized() {
    return this.minimized;
  }
  getContentBounds() {
    return this.contentBounds;
  }
  /** Test control: the display changed size; Electron emits 'resize'. */
  resizeTo(width: number, height: number) {
    this.contentBounds = { ...this.contentBounds, width, height };
    this.emit('resize');
  }
  /** What Electron does on Alt+F4, the title bar's close or app.quit(): emit, then honour preventDefault. */
  attemptClose(): { prevented: boolean } {
    const event = cancellable({});
    this.emit('close', event);
    return { prevented: event.prevented };
  }
  /** Destroys the window without asking, as `win.destroy()` or a dying GPU process would. */
  destroy() {
    this.destroyed = true;
    this.emit('closed');
  }
}

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

export const ipcMain = {
  handlers: new Map<string, InvokeHandler>(),
  handle(channel: string, handler: InvokeHandler) {
    // Electron throws on a second handler for one channel; so does the fake.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  },
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  },
};

export const protocol = {
  registerSchemesAsPrivileged: vi.fn(),
  handle: vi.fn(),
};

class FakeApp extends EventEmitter {
  isPackaged = false;
  gotLock = true;
  paths = new Map<string, string>();
  private markReady: () => void = () => {};
  private ready = Promise.resolve();
  readonly quit = vi.fn();
  readonly exit = vi.fn();
  constructor() {
    super();
    this.reset();
  }
  reset() {
    this.removeAllListeners();
    this.isPackaged = false;
    this.gotLock = true;
    this.paths = new Map([
      ['userData', '/nonexistent/user-data'],
      ['logs', path.join(os.tmpdir(), 'frontline-kiosk-test-logs')],
    ]);
    this.ready = new Promise<void>((resolve) => (this.markReady = resolve));
  }
  requestSingleInstanceLock() {
    return this.gotLock;
  }
  whenReady() {
    return this.ready;
  }
  /** Test control: what Electron does once Chromium has started. */
  becomeReady() {
    this.markReady();
  }
  getPath(name: string) {
    const value = this.paths.get(name);
    if (!value) throw new Error(`No path for ${name}`);
    return value;
  }
  setPath(name: string, value: string) {
    this.paths.set(name, value);
  }
}
export const app = new FakeApp();

export const Menu = { setApplicationMenu: vi.fn() };

/** Emits 'suspend', 'lock-screen', 'shutdown' when a test says the OS did. */
export const powerMonitor = new EventEmitter();

export const dialog = { showErrorBox: vi.fn() };

/** As on Linux: the system clipboard, and the selection a middle click pastes. */
export const clipboard = { clear: vi.fn(), selection: { clear: vi.fn() } };

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown) {
    this.exposed.set(key, api);
  },
};

class FakeIpcRenderer extends EventEmitter {
  readonly invoke = vi.fn(async (_channel: string, _input: unknown): Promise<unknown> => ({ ok: true, value: null }));
}
export const ipcRenderer = new FakeIpcRenderer();

/** Back to a freshly started Electron: for tests that load main.ts more than once. */
export function resetElectronMock() {
  dialog.showErrorBox.mockClear();
  BrowserWindow.created.length = 0;
  WebContentsView.created.length = 0;
  session.partitions.clear();
  ipcMain.handlers.clear();
  contextBridge.exposed.clear();
  ipcRenderer.removeAllListeners();
  powerMonitor.removeAllListeners();
  app.reset();
  vi.clearAllMocks();
}
