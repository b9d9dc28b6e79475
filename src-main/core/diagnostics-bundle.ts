import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DeviceConfig } from './config/device-config';
import { keychainEntriesOf } from './config/device-config';
import { redact } from './file-log';
import type { SecretStore } from './secrets/secret-store';
import { AuditRepository } from './store/audit-repository';
import { AuditUploadRepository } from './store/audit-upload-repository';
import { integrityCheck, schemaVersion, type KioskDatabase } from './store/database';
import { DirectoryRepository } from './store/directory-repository';
import { SyncStateRepository } from './store/sync-state-repository';
import { createDirectorySource } from './sync/directory-source-options';

/**
 * What IT needs to see a kiosk's trouble from afar, as one JSON document: status, the
 * configuration (keychain entries named, with whether each is present — never a value),
 * recent log lines, the sync history and SQLite's integrity check. Written by
 * `frontline-kiosk --diagnostics <file>` and sent by the admin screen's "Send diagnostics".
 *
 * Nothing in it holds a code, a secret or a full phone number: the configuration holds
 * entry names only, every text passes through the log's `redact` (runs of six or more
 * digits, long tokens), URLs keep only their origin and path, and the audit events it
 * quotes carry masked numbers only.
 */

export const DIAGNOSTICS_FORMAT = 'frontline-kiosk-diagnostics';
const LOG_LINES = 200;
const SYNC_EVENTS = 50;

export interface DiagnosticsInputs {
  version: string;
  now: number;
  /** Null: offline demo mode. */
  config: DeviceConfig | null;
  configFile: string;
  /** Open, or null when the kiosk has not created its database yet. */
  db: KioskDatabase | null;
  secrets: SecretStore;
  logDir: string;
}

export async function diagnosticsBundle(inputs: DiagnosticsInputs): Promise<Record<string, unknown>> {
  const { config, db } = inputs;
  const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());
  const keychain = [];
  for (const entry of config ? keychainEntriesOf(config) : []) {
    let present: boolean | 'unreadable';
    try {
      present = (await inputs.secrets.get(entry.name)) !== null;
    } catch {
      present = 'unreadable';
    }
    keychain.push({ name: entry.name, purpose: entry.purpose, present });
  }

  let database: Record<string, unknown> = { present: false };
  let status: Record<string, unknown> = { mode: config ? 'live' : 'demo', deviceName: config?.deviceName ?? null, site: config?.site ?? null };
  let syncHistory: unknown[] = [];
  if (db) {
    database = { present: true, file: path.basename(db.name), schemaVersion: schemaVersion(db), integrityCheck: integrityCheck(db) };
    // The sync state keeps its cursor for the source that wrote it: ask as that source.
    const source = config ? createDirectorySource(config.directory, { secrets: inputs.secrets, clock: { now: () => inputs.now } }) : null;
    const sync = new SyncStateRepository(db, source ? (source.id ?? source.kind) : 'demo').load();
    const upload = hasUploadState(db) ? new AuditUploadRepository(db).state() : null;
    status = {
      ...status,
      directory: new DirectoryRepository(db).counts(),
      sync: {
        source: config?.directory.source ?? null,
        // The feed's cursor is a version name; Graph's is a delta link, a URL that works as a credential.
        feedCursor: config?.directory.source === 'feed' ? feedCursorOf(sync.cursor) : null,
        lastAttemptAt: iso(sync.lastAttemptAt),
        lastSuccessAt: iso(sync.lastSuccessAt),
        lastError: sync.lastError && { reason: sync.lastError.reason, message: redact(sync.lastError.message) },
        consecutiveFailures: sync.consecutiveFailures,
      },
      auditUpload: upload && {
        acknowledgedId: upload.acknowledgedId,
        lastSuccessAt: iso(upload.lastSuccessAt),
        lastError: upload.lastError && { reason: upload.lastError.reason, message: redact(upload.lastError.message) },
      },
    };
    syncHistory = new AuditRepository(db).query({ types: ['sync.apply'], limit: SYNC_EVENTS }).map((event) => ({
      at: iso(event.at),
      outcome: event.outcome,
      reason: event.reason,
      details: event.details && scrub(event.details),
    }));
  }

  return {
    format: DIAGNOSTICS_FORMAT,
    version: 1,
    createdAt: iso(inputs.now),
    app: { version: inputs.version, platform: process.platform, arch: process.arch, node: process.versions.node },
    status,
    configuration: { file: inputs.configFile, settings: config && scrub(config), keychainEntries: keychain },
    syncHistory,
    recentLog: recentLogLines(inputs.logDir),
    database,
  };
}

function hasUploadState(db: KioskDatabase): boolean {
  try {
    new AuditUploadRepository(db).state();
    return true;
  } catch {
    return false;
  }
}

function feedCursorOf(stored: string | null): string | null {
  if (stored === null) return null;
  try {
    const cursor: unknown = (JSON.parse(stored) as { cursor?: unknown }).cursor;
    return typeof cursor === 'string' ? redact(cursor) : null;
  } catch {
    return null;
  }
}

/** The last lines of the kiosk's log (and the file before it, after a rotation), redacted again. */
function recentLogLines(folder: string): string[] {
  const lines: string[] = [];
  for (const name of ['kiosk.1.log', 'kiosk.log']) {
    const file = path.join(folder, name);
    if (!existsSync(file)) continue;
    try {
      lines.push(...readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== ''));
    } catch {
      lines.push(`(${name} could not be read)`);
    }
  }
  return lines.slice(-LOG_LINES).map(redact);
}

/** Every string redacted; a URL keeps only its origin and path (no query, fragment or user part). */
function scrub(value: unknown): unknown {
  if (typeof value === 'string') return withoutUrlSecrets(value) ?? redact(value);
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, scrub(inner)]));
  return value;
}

/** A URL as its origin (a host IT must see, 127.0.0.1 included) and its path redacted; null for any other text. */
function withoutUrlSecrets(text: string): string | null {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || !URL.canParse(text)) return null;
  const url = new URL(text);
  return `${url.origin}${redact(url.pathname)}`;
}
