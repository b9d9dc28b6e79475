import type { Clock, Scheduler } from '../base/clock';
import type { DeviceConfig } from '../config/device-config';
import type { AuditLog } from '../idp/audit-log';
import type { Logger } from '../base/log';
import type { RandomSource } from '../base/random';
import type { SecretStore } from '../secrets/secret-store';
import type { SmsSender } from '../sms/sms-sender';
import { TwilioSender } from '../sms/twilio-sender';
import { WebhookSender } from '../sms/webhook-sender';
import type { KioskDatabase } from '../store/database';
import type { DirectoryRepository } from '../store/directory-repository';
import { AuditUpload } from '../sync/audit-upload';
import type { DirectorySource } from '../sync/directory-source';
import { GraphDirectorySource } from '../sync/graph/graph-source';
import { SignedFeedSource } from '../sync/feed/signed-feed-source';
import { SyncScheduler, type SyncStatus } from '../sync/sync-scheduler';

/** What a live kiosk needs beyond the demo: a real SMS provider, the directory sync, audit upload. */

export function smsSenderFor(config: DeviceConfig, deps: { secrets: SecretStore; clock: Clock; random: RandomSource }): SmsSender {
  const { sms } = config;
  if (sms.provider === 'twilio') {
    const { provider: _twilio, ...options } = sms;
    return new TwilioSender(options, { secrets: deps.secrets });
  }
  const { provider: _webhook, ...options } = sms;
  return new WebhookSender(options, deps);
}

export function directorySourceFor(config: DeviceConfig, deps: { secrets: SecretStore; clock: Clock }): DirectorySource & { id?: string } {
  const { directory } = config;
  return directory.source === 'feed' ? new SignedFeedSource(directory.feed, deps) : new GraphDirectorySource(directory.graph, deps);
}

export interface LiveSync {
  scheduler: SyncScheduler;
  upload: AuditUpload | null;
  stop(): void;
}

export interface LiveSyncDeps {
  db: KioskDatabase;
  directory: DirectoryRepository;
  audit: AuditLog;
  secrets: SecretStore;
  clock: Clock;
  scheduler: Scheduler;
  random: RandomSource;
  log: Logger;
  onStatus: (status: SyncStatus) => void;
  onApplied: () => Promise<void>;
}

/**
 * The sync runner for the configured source, and the audit uploader. The uploader must
 * exist before the audit log's first prune: it pins events not yet uploaded.
 */
export function startLiveSync(config: DeviceConfig, deps: LiveSyncDeps): LiveSync {
  const upload = config.auditUpload ? new AuditUpload(config.auditUpload, { ...deps, deviceName: config.deviceName }) : null;
  const source = directorySourceFor(config, deps);
  const scheduler = new SyncScheduler(
    { intervalMs: config.syncIntervalMinutes * 60_000 },
    { ...deps, source, sourceId: source.id, onStatus: deps.onStatus, onApplied: () => deps.onApplied() },
  );
  scheduler.start();
  upload?.start();
  return {
    scheduler,
    upload,
    stop: () => {
      scheduler.stop();
      upload?.stop();
    },
  };
}
