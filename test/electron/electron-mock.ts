import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/**
 * Just enough of Electron's main and preload APIs to drive src-main/electron in Node:
 * each fake records what the code under test asked of it, so tests assert on that.
 * Use with `vi.mock('electron', () => import('./electron-mock'))`.
 */

type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
type PermissionCheckHandler = (contents: unknown, permission: string) => boolean;

export class FakeSession {
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  setPermissionRequestHandler(handler: PermissionRequestHandler) {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler) {
    this.permissionCheckHandler = handler;
  }
}

export class FakeFrame {
  constructor(public url: string) {}
}

export class FakeWebContents extends EventEmitter {
  readonly session = new FakeSession();
  mainFrame = new FakeFrame('app://kiosk/index.html');
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  readonly send = vi.fn<(channel: string, payload: unknown) => void>();
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }) {
    this.windowOpenHandler = handler;
  }
  /** What Chromium does when a page tries to navigate: emit, then honour preventDefault. */
  attemptNavigation(url: string): { prevented: boolean } {
    let prevented = false;
    this.emit('will-navigate', { url, preventDefault: () => (prevented = true) });
    return { prevented };
  }
}

export class BrowserWindow {
  static readonly created: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loadURL = vi.fn(async (_url: string) => {});
  readonly focus = vi.fn();
  readonly restore = vi.fn();
  destroyed = false;
  minimized = false;
  constructor(readonly options: Record<string, unknown>) {
    BrowserWindow.created.push(this);
  }
  isDestroyed() {
    return this.destroyed;
  }
  isMinimized() {
    return this.minimized;
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
    this.paths = new Map([['userData', '/nonexistent/user-data']]);
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
  BrowserWindow.created.length = 0;
  ipcMain.handlers.clear();
  contextBridge.exposed.clear();
  ipcRenderer.removeAllListeners();
  app.reset();
  vi.clearAllMocks();
}
