import { app, powerMonitor, type BrowserWindow, type WebContents } from 'electron';
import type { Kiosk } from '../core/kiosk';
import type { Logger } from '../core/base/log';
import type { AppLauncher } from '../core/session/app-launcher';
import { AppViews } from './app-views';
import { throttle, watchInput } from './input-watch';
import { serveContractOverIpc } from './ipc';
import { createKioskWindow, keepOpen, showKiosk } from './kiosk-window';
import { signOutOnSuspend } from './power-events';
import { failClosedOnScreenLoss, reloadKiosk, signOutAfterCrash } from './screen-recovery';
import { wipeWorkerTraces } from './sign-out-wipe';
import type { PartitionIssuer } from './sso-requests';
import { surviveUncaughtErrors } from './uncaught-errors';

/** Main reports a person at the screen at most once a second: idle timeouts count seconds. */
const ACTIVITY_INTERVAL_MS = 1000;

export interface KioskShellSettings {
  /** dist/renderer: the kiosk screen, and the built-in app pages in its apps folder. */
  rendererDir: string;
  /** Absolute path of the bundled preload (dist/main/preload.js). */
  preload: string;
  devTools: boolean;
  log: Logger;
  /** Milliseconds now, for the activity throttle; tests pass their own. */
  now?: () => number;
  /** Where uncaught errors are reported: `process`, unless a test passes its own. */
  errorEvents?: Pick<NodeJS.EventEmitter, 'on' | 'off'>;
}

/**
 * The Electron side of the kiosk: the window, the apps' views, and what keeps a worker's
 * session safe in them. It is made before the kiosk, since the core takes its app
 * launcher, sign-out wipe and admin exit; `start` then opens the window they act on.
 */
export class KioskShell {
  readonly appLauncher: AppLauncher;
  readonly wipeSession: () => Promise<void>;
  readonly exitKiosk: () => void;

  private readonly views: AppViews;
  private readonly recordActivity: () => void;
  private kiosk: Kiosk | null = null;
  private win: BrowserWindow | null = null;
  /** Set once the kiosk is leaving: from then on the window may close and keys pass. */
  private exiting = false;
  private leaving: Promise<void> | null = null;
  private stopServing: () => void = () => {};
  private readonly disposers: (() => void)[] = [];
  private issuer: PartitionIssuer | null = null;

  constructor(private readonly settings: KioskShellSettings) {
    const { rendererDir, devTools, log } = settings;
    this.views = new AppViews({ rendererDir, devTools, log, onContents: (contents) => this.watch(contents), issuer: () => this.issuer });
    this.appLauncher = this.views;
    this.wipeSession = () => wipeWorkerTraces(this.views, log);
    this.exitKiosk = () => void this.leave('admin');
    this.recordActivity = throttle(() => this.kiosk?.recordActivity(), ACTIVITY_INTERVAL_MS, settings.now ?? Date.now);
  }

  /** Opens the kiosk window on the keypad, serving `kiosk` to it, and watches the OS. */
  async start(kiosk: Kiosk): Promise<void> {
    this.kiosk = kiosk;
    const { log, errorEvents } = this.settings;
    const onShutdown = () => void this.leave('suspend');
    powerMonitor.on('shutdown', onShutdown);
    // Left alone, Electron presents the first certificate in the store to any site that asks.
    const onCertificate = (
      event: Electron.Event,
      contents: WebContents | null,
      url: string,
      offered: Electron.Certificate[],
      choose: (certificate?: Electron.Certificate) => void,
    ) => {
      event.preventDefault();
      choose(contents ? this.views.clientCertificateFor(contents, url, offered) : undefined);
    };
    app.on('select-client-certificate', onCertificate);
    this.disposers.push(
      // The idle warning is drawn by the kiosk screen, which an app's view would cover.
      kiosk.events.on('session.changed', (view) => this.views.stepAside(view.state === 'warning')),
      signOutOnSuspend(kiosk, log),
      surviveUncaughtErrors(log, () => this.recover(), errorEvents),
      () => powerMonitor.off('shutdown', onShutdown),
      () => app.off('select-client-certificate', onCertificate),
    );
    await this.openWindow(kiosk);
  }

  /** Single sign-on for the apps: their partitions answer `issuer` in memory, with no network. */
  serveSingleSignOn(issuer: PartitionIssuer): void {
    this.issuer = issuer;
  }

  /** A second launch (a double tap on the icon) brings the kiosk forward. */
  bringForward(): void {
    const win = this.win;
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  }

  /** The app is quitting: stop serving the contract and listening to the OS. */
  close(): void {
    this.stopServing();
    for (const dispose of this.disposers.splice(0)) dispose();
  }

  private async openWindow(kiosk: Kiosk): Promise<void> {
    const { preload, devTools, log } = this.settings;
    this.stopServing();
    const win = createKioskWindow({ preload, devTools });
    this.win = win;
    this.stopServing = serveContractOverIpc(win, kiosk, log);
    keepOpen(win, () => this.exiting);
    // Windows ending the user's session (log off, shut down) is the OS leaving, not a worker.
    win.on('session-end', () => void this.leave('suspend'));
    this.watch(win.webContents);
    failClosedOnScreenLoss(win, kiosk, log);
    this.views.attach(win);
    await showKiosk(win);
  }

  private watch(contents: WebContents): void {
    watchInput(contents, { onActivity: this.recordActivity, lockedDown: () => !this.exiting });
  }

  /**
   * Leaves kiosk mode, for the admin once the PIN checked out or for the OS shutting down:
   * the session ends first, with its wipe, then the window may close and the app quits.
   */
  private leave(reason: 'admin' | 'suspend'): Promise<void> {
    this.leaving ??= (async () => {
      this.settings.log.info('leaving kiosk mode', { reason });
      await this.kiosk?.endSession(reason).catch((error: unknown) => {
        this.settings.log.error('could not end the session before leaving', { error: error instanceof Error ? error.name : typeof error });
      });
      this.exiting = true;
      app.quit();
    })();
    return this.leaving;
  }

  /** After an uncaught error: a window that is gone or crashed comes back on the keypad, signed out. */
  private recover(): void {
    const { win, kiosk } = this;
    const { log } = this.settings;
    if (!win || !kiosk || this.exiting) return;
    const gone = win.isDestroyed();
    if (!gone && !win.webContents.isCrashed()) return;
    if (gone) this.win = null;
    void signOutAfterCrash(kiosk, log)
      .then(() => (gone ? this.openWindow(kiosk) : reloadKiosk(win, log)))
      .catch((error: unknown) => log.error('could not reopen the kiosk window', { error: error instanceof Error ? error.name : typeof error }));
  }
}
