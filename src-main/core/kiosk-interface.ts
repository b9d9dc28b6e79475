import type { Clock, Scheduler } from './base/clock';
import type { Logger } from './base/log';
import type { RandomSource } from './base/random';
import type { DeviceConfig } from './config/device-config';
import type { CallHandlers } from './handlers/contract-dispatch';
import type { AuditLog } from './idp/audit-log';
import type { Stopwatch } from './idp/send-timing';
import type { KioskEvents } from './kiosk-events';
import type { SecretStore } from './secrets/secret-store';
import type { AppLauncher } from './session/app-launcher';
import type { SmsSender } from './sms/sms-sender';
import type { SingleSignOn } from './sso/single-sign-on';
import type { SignOutReason } from './store/session-repository';

/** Offline demo mode (no configuration), or live with IT's configuration. */
export type KioskSetup = { mode: 'demo' } | { mode: 'live'; config: DeviceConfig };

export interface KioskOptions {
  /** Where `kiosk.db` lives. A fresh directory in demo mode means a fresh demo tenant. */
  dataDir: string;
  /** Where the log is written (the diagnostics bundle quotes its last lines); default `<dataDir>/logs`. */
  logDir?: string;
  /** The configuration file the kiosk started with, named in the diagnostics bundle. */
  configFile?: string;
  version: string;
  /** A live configuration in the browser preview host: the screen says so. */
  preview?: boolean;
  deviceName?: string;
  clock?: Clock;
  /** Runs the session's timers; tests pass the fake clock, which is also a scheduler. */
  scheduler?: Scheduler;
  random?: RandomSource;
  /** Default: the OS keychain live; for the demo, which never touches the keychain, a 0600 file in `dataDir`. */
  secrets?: SecretStore;
  /** Where texts go: default the configured provider live, the on-screen demo phone in the demo. */
  smsSender?: SmsSender;
  /**
   * Wipes a worker's traces at sign-out before the keypad shows (the Electron shell: app
   * partitions and clipboard). The preview host has nothing to wipe.
   */
  wipeSession?: (reason: SignOutReason) => Promise<void>;
  /** Shows the apps a worker opens: the Electron shell's views, else a browser tab. */
  appLauncher?: AppLauncher;
  /** Leaves kiosk mode once the admin PIN checks out; absent where there is none (preview). */
  exitKiosk?: () => void;
  /** Measures and pads send times; tests pass one that never sleeps. */
  stopwatch?: Stopwatch;
  log?: Logger;
  /** Bench-only: false writes the guessing and sending counters without forcing them to disk. */
  _durableCounters?: boolean;
  /**
   * The built sync worker entry (dist/main/sync-worker.js): a live kiosk then syncs on a
   * worker thread. Absent (unit tests), sync runs on the calling thread.
   */
  syncWorkerFile?: string;
}

export interface Kiosk {
  handlers: CallHandlers;
  events: KioskEvents;
  /**
   * Ends the signed-in session or code entry, for a reason the shell detected (crash,
   * suspend, admin); resolves once the worker's traces are wiped.
   */
  endSession(reason: SignOutReason): Promise<void>;
  /** Touch, key or pointer input the shell saw itself. */
  recordActivity(): void;
  /** The directory changed: ends a session whose worker may no longer sign in. */
  directoryChanged(): Promise<void>;
  audit: AuditLog;
  /** Test-only: resolves once every text handed to the provider has been answered or failed. */
  _textsSettled(): Promise<void>;
  /** The OpenID Connect provider for the apps; a shell mounts it at its issuer. */
  sso: SingleSignOn;
  close(): void;
}
