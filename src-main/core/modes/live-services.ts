import type { Clock } from '../base/clock';
import type { RandomSource } from '../base/random';
import type { DeviceConfig, SmsProviderConfig } from '../config/device-config';
import { ADMIN_PIN_HASH } from '../idp/admin-pin';
import type { SecretStore } from '../secrets/secret-store';
import { FallbackSender, HealthReportingSender } from '../sms/fallback-sender';
import type { SmsSender } from '../sms/sms-sender';
import type { ProviderHealthRepository, ProviderRole } from '../store/provider-health-repository';
import { TwilioSender } from '../sms/twilio-sender';
import { WebhookSender } from '../sms/webhook-sender';
import { AuditUpload } from '../sync/audit-upload';
import { freeDiskBytes, Heartbeat, heartbeatDetails } from '../sync/heartbeat';
import path from 'node:path';
import type { DirectorySource } from '../sync/directory-source';
import { createDirectorySource } from '../sync/directory-source-options';
import { SyncScheduler } from '../sync/sync-scheduler';
import { SyncWorker } from '../sync/sync-worker';
import type { ModeServices } from './mode-services';

type SenderDeps = { secrets: SecretStore; clock: Clock; random: RandomSource; version?: string; health?: ProviderHealthRepository };

/**
 * The configured provider, and its fallback if there is one; each reports its health
 * (where `health` is given: not for `--check-config`, which only builds them).
 */
export function smsSenderFor(config: DeviceConfig, deps: SenderDeps): SmsSender {
  const { fallback, ...primary } = config.sms;
  const first = reporting(providerSender(primary, deps), 'primary', deps);
  return fallback ? new FallbackSender(first, reporting(providerSender(fallback, deps), 'fallback', deps)) : first;
}

function providerSender(sms: SmsProviderConfig, deps: SenderDeps): SmsSender {
  if (sms.provider === 'twilio') {
    const { provider: _twilio, ...options } = sms;
    return new TwilioSender(options, { secrets: deps.secrets, version: deps.version });
  }
  const { provider: _webhook, ...options } = sms;
  return new WebhookSender(options, deps);
}

function reporting(sender: SmsSender, role: ProviderRole, deps: SenderDeps): SmsSender {
  return deps.health ? new HealthReportingSender(sender, role, { health: deps.health, clock: deps.clock }) : sender;
}

export function directorySourceFor(config: DeviceConfig, deps: { secrets: SecretStore; clock: Clock }): DirectorySource & { id?: string } {
  return createDirectorySource(config.directory, deps);
}

/** A live kiosk with IT's configuration: the configured SMS provider, directory sync and audit upload. */
export function liveServices(config: DeviceConfig, version: string): ModeServices {
  let upload: AuditUpload | null = null;
  return {
    mode: 'live',
    deviceName: config.deviceName,
    organizationName: config.deviceName,
    adminPinSecret: config.adminPinSecret ?? ADMIN_PIN_HASH,
    smsSender: (deps) => smsSenderFor(config, { ...deps, version, health: deps.store.providerHealth }),
    // The uploader must exist before the audit log's first prune: it pins events not yet uploaded.
    setUp: async (deps) => {
      upload = config.auditUpload ? new AuditUpload(config.auditUpload, { ...deps, uploads: deps.store.auditUploads, deviceName: config.deviceName }) : null;
    },
    start: (deps) => {
      const source = directorySourceFor(config, deps);
      const sourceId = source.id ?? source.kind;
      const { syncWorkerFile } = deps;
      // With a built worker entry (the Electron shell, the preview host), fetching and
      // applying run on a worker thread; without one (unit tests), on this thread.
      const attempts = syncWorkerFile
        ? () => new SyncWorker({ workerFile: syncWorkerFile, databaseFile: deps.store.db.name, source: config.directory, sourceId, secrets: deps.secrets })
        : undefined;
      const scheduler = new SyncScheduler(
        { intervalMs: config.syncIntervalMinutes * 60_000 },
        { ...deps, db: deps.store.db, directory: deps.store.directory, source, sourceId, attempts, onStatus: deps.onStatus, onApplied: () => deps.onApplied() },
      );
      scheduler.start();
      upload?.start();
      // Heartbeats ride the audit upload: without one there is nowhere for them to go.
      const startedAt = deps.clock.now();
      const heartbeat = upload
        ? new Heartbeat({
            ...deps,
            details: async () => {
              const sync = deps.store.syncState(sourceId).load();
              return heartbeatDetails({
                version,
                startedAt,
                now: deps.clock.now(),
                sourceKind: source.kind,
                storedCursor: sync.cursor,
                lastAttemptAt: sync.lastAttemptAt,
                lastSuccessAt: sync.lastSuccessAt,
                lastErrorReason: sync.lastError?.reason ?? null,
                recentSends: deps.store.sendLog.recentSendTimes(20),
                freeDiskBytes: await freeDiskBytes(path.dirname(deps.store.db.name)),
              });
            },
          })
        : null;
      heartbeat?.start();
      return {
        lastSync: () => {
          const sync = scheduler.status();
          if (!sync.lastAttemptAt) return null;
          return { at: sync.lastAttemptAt, ok: sync.lastError === null, ...(sync.lastError && { message: sync.lastError.message }) };
        },
        setAside: () => {
          const { setAside, setAsideCount } = scheduler.status();
          return { count: setAsideCount, records: setAside.slice(0, 20).map(({ record, id, reason }) => ({ record, id, reason })) };
        },
        directorySyncedAt: () => scheduler.status().lastSuccessAt,
        syncNow: async () => {
          await scheduler.syncNow();
        },
        ...(upload && { sendDiagnostics: (bundle: Record<string, unknown>) => upload!.sendDiagnostics(bundle) }),
        stop: () => {
          scheduler.stop();
          heartbeat?.stop();
          upload?.stop();
        },
      };
    },
  };
}
