import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { LogLevel } from './config/device-config';
import type { Logger } from './base/log';

const levels: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface FileLogOptions {
  dir: string;
  level: LogLevel;
  /** Rotate when the file passes this size; keep this many old files. */
  maxBytes?: number;
  keep?: number;
  now?: () => number;
}

/**
 * Hides what must never reach a log even if a caller slips: runs of 6 or more digits (a
 * code, a phone number, with or without separators and +) and long secret-looking tokens.
 */
export function redact(text: string): string {
  return text
    .replace(/\+?\d[\d\s().-]{4,}\d/g, (match) => (match.replace(/\D/g, '').length >= 6 ? '[redacted]' : match))
    .replace(/\b[A-Za-z0-9+/_-]{32,}={0,2}/g, '[redacted]');
}

/** Every string inside, redacted; numbers and the rest as they are. */
function redactValues(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map(redactValues);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, redactValues(inner)]));
  return value;
}

/**
 * The kiosk's log: JSON lines in the OS log folder, rotated by size (kiosk.log,
 * kiosk.1.log …), at the configured level, everything passed through `redact`.
 */
export function fileLogger(options: FileLogOptions): Logger {
  const file = path.join(options.dir, 'kiosk.log');
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const keep = options.keep ?? 5;
  const now = options.now ?? Date.now;
  mkdirSync(options.dir, { recursive: true });

  const rotate = () => {
    rmSync(path.join(options.dir, `kiosk.${keep}.log`), { force: true });
    for (let i = keep - 1; i >= 1; i -= 1) {
      const from = path.join(options.dir, `kiosk.${i}.log`);
      if (existsSync(from)) renameSync(from, path.join(options.dir, `kiosk.${i + 1}.log`));
    }
    renameSync(file, path.join(options.dir, 'kiosk.1.log'));
  };

  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (levels[level] > levels[options.level]) return;
    const line = JSON.stringify({ at: new Date(now()).toISOString(), level, message: redact(message), ...(fields && { fields: redactValues(fields) }) }) + '\n';
    try {
      if (existsSync(file) && statSync(file).size + line.length > maxBytes) rotate();
      appendFileSync(file, line, { mode: 0o600 });
    } catch {
      // A full or read-only disk must not take the kiosk down with it.
    }
  };
  return {
    error: (message, fields) => write('error', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    info: (message, fields) => write('info', message, fields),
  };
}
