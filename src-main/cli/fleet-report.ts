import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { HEARTBEAT_EVENT, heartbeatDetailsSchema, type HeartbeatDetails } from '../core/sync/heartbeat';

/**
 * The fleet at a glance, from the heartbeats the kiosks sent through their audit upload: a
 * folder of files of JSON lines, each line one upload batch as the backend received it (or
 * one heartbeat event with its `device`). The newest heartbeat of each kiosk counts.
 */

const deviceSchema = z.object({ id: z.string().min(1), name: z.string().nullable().optional() });
const eventSchema = z.object({ type: z.string(), at: z.number(), details: z.unknown() });
const lineSchema = z.union([
  z.object({ format: z.literal('frontline-kiosk-audit'), device: deviceSchema, events: z.array(eventSchema) }),
  eventSchema.extend({ device: deviceSchema }),
]);

/** A kiosk that has not sent a heartbeat for this long (four missed beats) is flagged as silent. */
const SILENT_AFTER_MS = 60 * 60_000;

interface Latest {
  device: { id: string; name: string | null };
  at: number;
  details: HeartbeatDetails;
}

export interface FleetReport {
  lines: string[];
  kiosks: number;
  flagged: number;
}

export function fleetReport(folder: string, options: { now: number; staleHours: number }): FleetReport {
  const latest = new Map<string, Latest>();
  let unreadable = 0;
  const files = readdirSync(folder)
    .map((name) => path.join(folder, name))
    .filter((file) => statSync(file).isFile())
    .sort();
  for (const file of files) {
    for (const text of readFileSync(file, 'utf8').split('\n')) {
      if (text.trim() === '') continue;
      let line;
      try {
        line = lineSchema.parse(JSON.parse(text));
      } catch {
        unreadable += 1;
        continue;
      }
      const events = 'events' in line ? line.events : [line];
      for (const event of events) {
        if (event.type !== HEARTBEAT_EVENT) continue;
        const details = heartbeatDetailsSchema.safeParse(event.details);
        if (!details.success) {
          unreadable += 1;
          continue;
        }
        const before = latest.get(line.device.id);
        if (!before || event.at > before.at) latest.set(line.device.id, { device: { id: line.device.id, name: line.device.name ?? null }, at: event.at, details: details.data });
      }
    }
  }

  const staleMs = options.staleHours * 3_600_000;
  const lines: string[] = [];
  let flagged = 0;
  const kiosks = [...latest.values()].sort((a, b) => (a.device.name ?? a.device.id).localeCompare(b.device.name ?? b.device.id));
  for (const { device, at, details } of kiosks) {
    const flags: string[] = [];
    const directoryAgeMs = details.directorySyncedAt === undefined ? null : options.now - details.directorySyncedAt;
    if (directoryAgeMs === null) flags.push('NEVER SYNCED');
    else if (directoryAgeMs > staleMs) flags.push(`DIRECTORY OLD (${hours(directoryAgeMs)})`);
    if (details.lastSyncOk === false) flags.push(`SYNC FAILING (${details.lastSyncReason ?? 'error'})`);
    if (options.now - at > SILENT_AFTER_MS) flags.push(`SILENT for ${hours(options.now - at)}`);
    if (flags.length > 0) flagged += 1;
    const cursor = details.directoryCursor ? ` cursor ${details.directoryCursor},` : '';
    lines.push(
      `${flags.length > 0 ? '!!' : 'ok'} ${device.name ?? '(unnamed)'} [${device.id}] ${details.mode} ${details.version}:${cursor} directory ${directoryAgeMs === null ? 'never synced' : `${hours(directoryAgeMs)} old`}, ` +
        `last heartbeat ${new Date(at).toISOString()}, up ${hours(details.uptimeSeconds * 1000)}, ${details.freeDiskBytes === undefined ? 'disk unknown' : `${Math.round(details.freeDiskBytes / 1024 ** 2)} MiB free`}` +
        `${flags.length > 0 ? ` — ${flags.join('; ')}` : ''}`,
    );
  }
  lines.push(`${kiosks.length} kiosk${kiosks.length === 1 ? '' : 's'}, ${flagged} flagged${unreadable > 0 ? `; ${unreadable} unreadable line${unreadable === 1 ? '' : 's'} skipped` : ''}.`);
  return { lines, kiosks: kiosks.length, flagged };
}

function hours(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}
