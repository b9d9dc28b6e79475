import type { AdminStatus, DemoSms, DeviceStatus } from '../../../shared/contract';
import type { Clock, Scheduler } from '../base/clock';
import type { Logger } from '../base/log';
import type { RandomSource } from '../base/random';
import type { AuditLog } from '../idp/audit-log';
import type { SecretStore } from '../secrets/secret-store';
import type { SmsSender } from '../sms/sms-sender';
import type { KioskStore } from '../store/kiosk-store';
import type { SyncStatus } from '../sync/sync-scheduler';

export interface ModeDeps {
  store: KioskStore;
  secrets: SecretStore;
  clock: Clock;
  scheduler: Scheduler;
  random: RandomSource;
  log: Logger;
}

/** What runs in the background once the kiosk is wired: a live kiosk's sync and audit upload. */
export interface BackgroundWork {
  lastSync(): AdminStatus['lastSync'];
  /** What the last sync set aside; absent in the demo. */
  setAside?: () => AdminStatus['setAside'];
  /** When the directory last synced successfully (kept across restarts); absent in the demo, whose directory never ages. */
  directorySyncedAt?: () => number | null;
  /** Absent in the demo, which has no directory to sync. */
  syncNow?: () => Promise<void>;
  /** Sends a diagnostics bundle through the audit upload; absent without one. Resolves with the failure, or null. */
  sendDiagnostics?: (bundle: Record<string, unknown>) => Promise<{ reason: string; message: string } | null>;
  stop(): void;
}

/**
 * Everything that differs between the offline demo and a live kiosk, stated once: where
 * texts go, what the store holds before the first sign-in, what runs in the background.
 */
export interface ModeServices {
  readonly mode: DeviceStatus['mode'];
  readonly deviceName: string;
  /** The organisation shown before the directory's settings arrive (a live kiosk that never synced). */
  readonly organizationName: string;
  /** The keychain entry of the admin PIN's hash. */
  readonly adminPinSecret: string;
  smsSender(deps: ModeDeps & { onDemoSms: (sms: DemoSms) => void }): SmsSender;
  /** After the store opens and before anyone signs in. */
  setUp(deps: ModeDeps & { audit: AuditLog }): Promise<void>;
  /** Puts the demo back as it started; absent live. */
  reset?: (deps: ModeDeps & { audit: AuditLog }) => void;
  /** Started last, when everything it calls back into exists. */
  start(deps: ModeDeps & { audit: AuditLog; onStatus: (status: SyncStatus) => void; onApplied: () => Promise<void>; syncWorkerFile?: string }): BackgroundWork;
}
