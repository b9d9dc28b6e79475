import { parseOptions } from '../base/parse-options';
import { z } from 'zod';
import type { Clock, Scheduler } from '../base/clock';
import type { AuditLog, AuditRecord } from '../idp/audit-log';
import { silentLogger, type Logger } from '../base/log';
import { randomId, type RandomSource } from '../base/random';
import type { SecretStore } from '../secrets/secret-store';
import { deliver, parseEndpointUrl, readProviderSecret } from '../sms/http-delivery';
import { SmsSendError } from '../sms/sms-sender';
import type { AuditUploadRepository } from '../store/audit-upload-repository';
import { PeriodicTask, randomUnit, type RunOutcome } from './periodic-task';
import type { SyncError } from '../store/sync-state-repository';

/** Where audit events go, with the feed source: the device configuration's part. */
export const auditUploadOptionsSchema = z.strictObject({
  /** The backend's endpoint: `https://…` (plain `http:` only to 127.0.0.1 or localhost). */
  url: z
    .string()
    .min(1)
    .max(2048)
    .superRefine((value, context) => {
      try {
        parseEndpointUrl('url', value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message.replace(/^url /, '') });
      }
    }),
  /** Name of the keychain entry holding a bearer token for the backend. */
  bearerTokenSecret: z.string().min(1, 'must name a keychain entry').max(200).optional(),
  /** Events per request. */
  batchSize: z.number().int().min(1).max(5000).default(500),
  intervalMinutes: z.number().min(1).max(1440).default(5),
  timeoutMs: z.number().int().min(100).max(300_000).default(30_000),
});
export type AuditUploadOptions = z.input<typeof auditUploadOptionsSchema>;

export interface AuditUploadDeps {
  uploads: AuditUploadRepository;
  audit: AuditLog;
  secrets: SecretStore;
  clock: Clock;
  scheduler: Scheduler;
  random: RandomSource;
  fetch?: typeof fetch;
  log?: Logger;
  /** Sent with each batch so the backend can tell kiosks apart by name too. */
  deviceName?: string;
}

export const AUDIT_UPLOAD_FORMAT = 'frontline-kiosk-audit';
export const DIAGNOSTICS_UPLOAD_FORMAT = 'frontline-kiosk-diagnostics-upload';

/** What the backend receives: one JSON POST per batch, with the same key in `Idempotency-Key`. */
export interface AuditUploadBatch {
  format: typeof AUDIT_UPLOAD_FORMAT;
  version: 1;
  /** `<device id>-<first id>-<last id>`: the same for every retry of this batch. */
  idempotencyKey: string;
  device: { id: string; name: string | null };
  firstId: number;
  lastId: number;
  /** Oldest first. Phone numbers only masked; ids increase and are never reused on a device. */
  events: AuditRecord[];
}

export interface AuditUploadStatus {
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  lastError: SyncError | null;
  /** Events recorded and not yet acknowledged by the backend. */
  waiting: number;
  /** When the next upload is due; null before `start()`, while one runs, and once stopped. */
  nextAttemptAt: number | null;
}

/** A run sends at most this many batches, then waits for the next: a backlog drains over a few runs. */
const MAX_BATCHES_PER_RUN = 20;

/**
 * Uploads the audit log to the organisation's backend from a local outbox — the audit table
 * itself, read from the last acknowledged id — at least once. A batch keeps its id range,
 * and so its idempotency key, until the backend acknowledges it with a 2xx; a backend that
 * stores each key once gets every event exactly once. Offline, events wait: retention
 * pruning never deletes one that is not acknowledged.
 */
export class AuditUpload {
  private readonly options: z.output<typeof auditUploadOptionsSchema>;
  private readonly url: string;
  private readonly task: PeriodicTask;
  private readonly log: Logger;

  constructor(
    options: AuditUploadOptions,
    private readonly deps: AuditUploadDeps,
  ) {
    this.options = parseOptions(auditUploadOptionsSchema, options, 'Audit upload');
    this.url = parseEndpointUrl('url', this.options.url).href;
    this.log = deps.log ?? silentLogger;
    const { uploads } = deps;
    uploads.ensure(randomId(deps.random));
    deps.audit.setPruneFloor(() => uploads.state().acknowledgedId);

    const intervalMs = this.options.intervalMinutes * 60_000;
    this.task = new PeriodicTask(
      { intervalMs, jitter: 0.2, backoffBaseMs: 30_000, backoffMaxMs: Math.max(intervalMs, 15 * 60_000) },
      (signal) => this.drain(signal),
      deps,
      deps.uploads.state().consecutiveFailures,
    );
  }

  /** Starts uploading, the first run after a random part of the interval so a fleet spreads out. */
  start(): void {
    this.task.start(Math.round(randomUnit(this.deps.random) * this.options.intervalMinutes * 60_000));
  }

  /** Uploads what is waiting now (or joins the upload in progress). */
  async uploadNow(): Promise<AuditUploadStatus> {
    await this.task.runNow();
    return this.status();
  }

  status(): AuditUploadStatus {
    const { lastAttemptAt, lastSuccessAt, lastError, acknowledgedId } = this.deps.uploads.state();
    return {
      lastAttemptAt,
      lastSuccessAt,
      lastError,
      waiting: this.deps.audit.countAfter(acknowledgedId),
      nextAttemptAt: this.task.nextRunAt(),
    };
  }

  idle(): Promise<void> {
    return this.task.idle();
  }

  /** Stops the timer; events keep waiting in the outbox, still safe from pruning. */
  stop(): void {
    this.task.stop();
  }

  private async drain(signal: AbortSignal): Promise<RunOutcome> {
    for (let sent = 0; sent < MAX_BATCHES_PER_RUN; sent++) {
      const batch = this.nextBatch();
      if (!batch) return { ok: true };
      const error = await this.send(batch);
      // Stopped while sending: the kiosk is closing, and its database with it.
      if (signal.aborted) return { ok: false };
      if (error) {
        this.deps.uploads.recordFailure(this.deps.clock.now(), error);
        this.log.warn('audit upload failed; the batch waits and is sent again', { reason: error.reason, firstId: batch.firstId, lastId: batch.lastId });
        return { ok: false };
      }
      this.deps.uploads.acknowledged(this.deps.clock.now());
    }
    return { ok: true };
  }

  /** The pinned batch if one is unacknowledged, else the next events, pinned now. */
  private nextBatch(): AuditUploadBatch | null {
    const state = this.deps.uploads.state();
    let firstId = state.pendingFirstId;
    let lastId = state.pendingLastId;
    let events: AuditRecord[];
    if (firstId !== null && lastId !== null) {
      events = this.deps.audit.eventsAfter(state.acknowledgedId, lastId - state.acknowledgedId, lastId);
    } else {
      events = this.deps.audit.eventsAfter(state.acknowledgedId, this.options.batchSize);
      if (events.length === 0) return null;
      firstId = events[0]!.id;
      lastId = events.at(-1)!.id;
      this.deps.uploads.pin(firstId, lastId);
    }
    return {
      format: AUDIT_UPLOAD_FORMAT,
      version: 1,
      idempotencyKey: `${state.deviceId}-${firstId}-${lastId}`,
      device: { id: state.deviceId, name: this.deps.deviceName ?? null },
      firstId,
      lastId,
      events,
    };
  }

  /**
   * Sends a diagnostics bundle to the same endpoint, once, now: `{ format:
   * "frontline-kiosk-diagnostics-upload", idempotencyKey, device, bundle }`, told apart from
   * audit batches by its `format`. Null when the backend took it.
   */
  async sendDiagnostics(bundle: Record<string, unknown>): Promise<SyncError | null> {
    const { deviceId } = this.deps.uploads.state();
    const idempotencyKey = `${deviceId}-diagnostics-${this.deps.clock.now()}`;
    const body = { format: DIAGNOSTICS_UPLOAD_FORMAT, version: 1, idempotencyKey, device: { id: deviceId, name: this.deps.deviceName ?? null }, bundle };
    return this.send({ idempotencyKey, body: JSON.stringify(body) });
  }

  private async send(batch: { idempotencyKey: string; body?: string }): Promise<SyncError | null> {
    try {
      const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Idempotency-Key': batch.idempotencyKey };
      if (this.options.bearerTokenSecret) {
        headers.Authorization = `Bearer ${await readProviderSecret(this.deps.secrets, this.options.bearerTokenSecret, 'the audit backend bearer token')}`;
      }
      await deliver({
        recipient: 'The audit backend',
        url: this.url,
        headers,
        body: batch.body ?? JSON.stringify(batch),
        timeoutMs: this.options.timeoutMs,
        fetch: this.deps.fetch ?? fetch,
      });
      return null;
    } catch (error) {
      if (error instanceof SmsSendError) return { reason: error.reason, message: error.message };
      return { reason: 'internal', message: error instanceof Error ? error.message : String(error) };
    }
  }
}
