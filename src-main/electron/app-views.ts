import { WebContentsView, type BrowserWindow, type Rectangle, type Session, type WebContents } from 'electron';
import { APP_BAR_HEIGHT } from '../../shared/layout';
import type { Logger } from '../core/base/log';
import type { AppLauncher, AppOpened } from '../core/session/app-launcher';
import type { KioskApp } from '../core/directory/directory-snapshot';
import { appStartUrl, chooseClientCertificate, confineAppNavigation, disableNativeDialogs } from './app-navigation';
import { DisposableStore, listen } from './disposables';
import { openAppPartition } from './app-partition';
import type { PartitionIssuer } from './sso-requests';

export interface AppViewSettings {
  /** dist/renderer: its apps folder holds the built-in pages. */
  rendererDir: string;
  devTools: boolean;
  log: Logger;
  /** Sees each new view's contents first, so the shell watches its input as well. */
  onContents: (contents: WebContents) => void;
  /** The single sign-on issuer new partitions answer in memory (with the built-in pages); none by default. */
  issuer?: () => PartitionIssuer | null;
}

/**
 * The apps a worker opens, each in a view inside the kiosk window below the app bar, all
 * in one partition made for that sign-in. The core takes this launcher before the window
 * exists; `attach` hands it the window.
 */
export class AppViews implements AppLauncher {
  private win: BrowserWindow | null = null;
  /** One view per app per sign-in, keyed `<sessionId>/<appId>`, with what it registered. */
  private readonly views = new Map<string, WebContentsView>();
  private readonly owned = new Map<string, DisposableStore>();
  /** Which app each view's contents show: for the client certificate policy. */
  private readonly appOf = new Map<WebContents, KioskApp>();
  /** What the window registered: disposed when another window is attached. */
  private windowListeners = new DisposableStore();
  /** The partitions sign-ins have used since the last wipe, by session id. */
  private readonly partitions = new Map<string, Session>();
  /** Partitions wiped clean, to be used again rather than made anew. */
  private readonly released: Session[] = [];
  /** The app on screen, if any: the one the worker opened last and has not left. */
  private shown: WebContentsView | null = null;
  /** True while the screen shows something over everything, which a view would cover. */
  private aside = false;

  constructor(private readonly settings: AppViewSettings) {}

  attach(win: BrowserWindow): void {
    this.windowListeners.dispose();
    this.windowListeners = new DisposableStore();
    this.win = win;
    // The kiosk is full screen, but a display can still change size under it.
    this.windowListeners.add(
      listen(win, 'resize', () => {
        for (const view of this.views.values()) view.setBounds(this.appArea(win));
      }),
    );
  }

  /** The certificate to present for a request from `contents`: the one policy names for that origin, else none. */
  clientCertificateFor<C extends { subjectName: string }>(contents: WebContents, url: string, offered: readonly C[]): C | undefined {
    return chooseClientCertificate(this.appOf.get(contents) ?? null, url, offered);
  }

  /** How many views are open: none after a wipe. */
  get openCount(): number {
    return this.views.size;
  }

  open(app: KioskApp, sessionId: string): Promise<AppOpened> {
    const win = this.win;
    if (!win || win.isDestroyed()) return Promise.reject(new Error('The kiosk window is not open.'));
    const key = `${sessionId}/${app.id}`;
    const view = this.views.get(key) ?? this.create(win, app, sessionId, key);
    this.shown = view;
    view.setBounds(this.appArea(win));
    this.showOnly(view);
    if (!this.aside) view.webContents.focus();
    return Promise.resolve({ target: 'kiosk' });
  }

  /** Hides every app, so the renderer's home screen shows; the apps keep their state. */
  showHome(): void {
    this.shown = null;
    this.showOnly(null);
    if (this.win && !this.win.isDestroyed()) this.win.webContents.focus();
  }

  /**
   * Steps the app on screen aside while the kiosk screen shows something over everything
   * (the idle warning, with its "I'm still here"), and back once it is gone: a view is
   * drawn above the screen, and would hide it.
   */
  stepAside(aside: boolean): void {
    this.aside = aside;
    this.showOnly(this.shown);
  }

  /** Closes every view, and hands back the partitions they used so the wipe can clear them. */
  closeAll(): Session[] {
    for (const key of [...this.views.keys()]) {
      try {
        this.close(key);
      } catch (error) {
        this.settings.log.error('could not close an app view', { error: error instanceof Error ? error.name : typeof error });
      }
    }
    const used = [...this.partitions.values()];
    this.partitions.clear();
    return used;
  }

  /**
   * Front-channel logout (OpenID Connect Front-Channel Logout 1.0 §2): each open app that
   * registered a `frontchannelLogoutUri` loads it in its own view, so the page clears its
   * own session with its own cookies, before the wipe clears the partition. Settles with
   * each load; the wipe bounds how long it waits.
   */
  frontChannelLogout(): Promise<void>[] {
    const loads: Promise<void>[] = [];
    for (const view of this.views.values()) {
      const contents = view.webContents;
      const uri = this.appOf.get(contents)?.oidc?.frontchannelLogoutUri;
      if (uri && !contents.isDestroyed()) loads.push(contents.loadURL(uri));
    }
    return loads;
  }

  /** A partition the wipe cleared completely: the next sign-in uses it again. */
  release(partition: Session): void {
    if (!this.released.includes(partition)) this.released.push(partition);
  }

  private create(win: BrowserWindow, app: KioskApp, sessionId: string, key: string): WebContentsView {
    let partition = this.partitions.get(sessionId);
    if (!partition) {
      partition = this.released.shift() ?? openAppPartition(sessionId, this.settings.rendererDir, this.settings.issuer?.() ?? null, this.settings.log);
      this.partitions.set(sessionId, partition);
    }
    // An app is someone else's web page: isolated, sandboxed, no Node, and no preload, so
    // it has no IPC and no way to reach the kiosk's contract.
    const view = new WebContentsView({
      webPreferences: {
        session: partition,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webviewTag: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        navigateOnDragDrop: false,
        devTools: this.settings.devTools,
        spellcheck: false,
      },
    });
    const contents = view.webContents;
    const owned = new DisposableStore();
    this.owned.set(key, owned);
    this.appOf.set(contents, app);
    owned.add(
      confineAppNavigation(contents, app, (url) =>
        this.settings.log.warn('an app tried to leave its allowed origins', { appId: app.id, origin: URL.canParse(url) ? new URL(url).origin : 'unparsable' }),
      ),
    );
    owned.add(disableNativeDialogs(contents, app));
    this.settings.onContents(contents);
    // A crashed app shows nothing; forgetting it means the next tap on its tile starts afresh.
    owned.add(listen(contents, 'render-process-gone', () => this.close(key)));
    win.contentView.addChildView(view);
    this.views.set(key, view);
    contents.loadURL(appStartUrl(app)).catch((error: unknown) => {
      this.settings.log.warn('an app did not load', { appId: app.id, code: error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined });
    });
    return view;
  }

  private showOnly(shown: WebContentsView | null): void {
    for (const view of this.views.values()) view.setVisible(view === shown && !this.aside);
  }

  private close(key: string): void {
    const view = this.views.get(key);
    if (!view) return;
    this.views.delete(key);
    this.owned.get(key)?.dispose();
    this.owned.delete(key);
    this.appOf.delete(view.webContents);
    if (this.shown === view) this.shown = null;
    if (this.win && !this.win.isDestroyed()) this.win.contentView.removeChildView(view);
    // A view's contents outlive the view unless closed: close them, or the page runs on.
    if (!view.webContents.isDestroyed()) view.webContents.close();
  }

  /** Everything below the renderer's app bar. */
  private appArea(win: BrowserWindow): Rectangle {
    const { width, height } = win.getContentBounds();
    return { x: 0, y: APP_BAR_HEIGHT, width, height: Math.max(0, height - APP_BAR_HEIGHT) };
  }
}
