import { statfs } from 'node:fs/promises';
import { z } from 'zod';
import type { Clock, Scheduler } from '../base/clock';
import type { AuditLog } from '../idp/audit-log';

/**
 * Every 15 minutes a live kiosk with an audit upload records a small status event in its
 * audit log, which is the upload's outbox: offline, heartbeats wait there and go out in
 * order with the rest, each batch under its idempotency key, so the backend stores each one
 * once. The organisation's log system then sees the fleet; `frontline-kiosk-publisher
 * fleet-report` reads them. A heartbeat names no person and no number: counts and states only.
 */

export const HEARTBEAT_EVENT = 'kiosk.heartbeat';
export const HEARTBEAT_INTERVAL_MS = 15 * 60_000;

/** The event's details: flat, as every audit event's are. Absent fields are unknown (a kiosk that never synced). */
export const heartbeatDetailsSchema = z.object({
  version: z.string(),
  mode: z.enum(['live', 'demo']),
  uptimeSeconds: z.number(),
  freeDiskBytes: z.number().optional(),
  /** The feed's cursor (the publisher's name for the directory version); never Graph's delta link, which is a credential-bearing URL. */
  directoryCursor: z.string().optional(),
  /** When the directory last synced successfully, ms since the epoch. */
  directorySyncedAt: z.number().optional(),
  lastSyncAt: z.number().optional(),
  lastSyncOk: z.boolean().optional(),
  lastSyncReason: z.string().optional(),
  /** Provider health, from the send log: the last 20 real texts. */
  smsRecentSends: z.number(),
  smsRecentFailures: z.number(),
  smsLastDelivered: z.boolean().optional(),
});
export type HeartbeatDetails = z.infer<typeof heartbeatDetailsSchema>;

export interface HeartbeatInputs {
  version: string;
  startedAt: number;
  now: number;
  sourceKind: 'feed' | 'graph';
  /** The sync state's stored cursor, as the source wrote it. */
  storedCursor: string | null;
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  lastErrorReason: string | null;
  /** Newest first. */
  recentSends: ReadonlyArray<{ delivered: boolean }>;
  freeDiskBytes: number | null;
}

export function heartbeatDetails(inputs: HeartbeatInputs): HeartbeatDetails {
  const cursor = inputs.sourceKind === 'feed' ? feedCursorOf(inputs.storedCursor) : null;
  return {
    version: inputs.version,
    mode: 'live',
    uptimeSeconds: Math.max(0, Math.round((inputs.now - inputs.startedAt) / 1000)),
    ...(inputs.freeDiskBytes !== null && { freeDiskBytes: inputs.freeDiskBytes }),
    ...(cursor !== null && { directoryCursor: cursor }),
    ...(inputs.lastSuccessAt !== null && { directorySyncedAt: inputs.lastSuccessAt }),
    ...(inputs.lastAttemptAt !== null && { lastSyncAt: inputs.lastAttemptAt, lastSyncOk: inputs.lastErrorReason === null }),
    ...(inputs.lastErrorReason !== null && { lastSyncReason: inputs.lastErrorReason }),
    smsRecentSends: inputs.recentSends.length,
    smsRecentFailures: inputs.recentSends.filter((send) => !send.delivered).length,
    ...(inputs.recentSends[0] && { smsLastDelivered: inputs.recentSends[0].delivered }),
  };
}

/** The signed feed source stores its position as JSON; the feed's own cursor is the part IT recognises. */
function feedCursorOf(stored: string | null): string | null {
  if (stored === null) return null;
  try {
    const cursor: unknown = (JSON.parse(stored) as { cursor?: unknown }).cursor;
    return typeof cursor === 'string' ? cursor.slice(0, 512) : null;
  } catch {
    return null;
  }
}

/** Free bytes for an unprivileged process on the file system holding `folder`; null if it cannot be read. */
export async function freeDiskBytes(folder: string): Promise<number | null> {
  try {
    const stats = await statfs(folder);
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}

export interface HeartbeatDeps {
  audit: AuditLog;
  clock: Clock;
  scheduler: Scheduler;
  details: () => Promise<HeartbeatDetails>;
}

export class Heartbeat {
  private cancel: (() => void) | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly deps: HeartbeatDeps) {}

  /** The first heartbeat at once (a kiosk that just started says so), then every 15 minutes. */
  start(): void {
    if (this.cancel) return;
    this.cancel = () => undefined;
    this.tick();
  }

  /** Resolves when the heartbeat being recorded (if any) is in the outbox. */
  idle(): Promise<void> {
    return this.running;
  }

  stop(): void {
    this.cancel?.();
    this.cancel = null;
  }

  private tick(): void {
    this.running = this.beat();
    this.cancel = this.deps.scheduler.after(HEARTBEAT_INTERVAL_MS, () => this.tick());
  }

  private async beat(): Promise<void> {
    const details = await this.deps.details();
    if (!this.cancel) return;
    this.deps.audit.record({ type: HEARTBEAT_EVENT, outcome: 'info', details: details as Record<string, string | number | boolean> });
  }
}
