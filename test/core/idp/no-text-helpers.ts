import Database from 'better-sqlite3';
import path from 'node:path';
import type { SessionView } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import type { DemoKioskHarness } from '../kiosk-harness';
import { directoryFileOf } from '../../../src-main/core/store/database';

export function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** What an answer says, as a person would see it: the error's code and tries left, or the state. */
export function answer(result: Result<SessionView | unknown>): string {
  if (result.ok) return `ok:${(result.value as SessionView).state}`;
  return `${result.error.code}${result.error.attemptsLeft === undefined ? '' : `:${result.error.attemptsLeft}`}`;
}

/** Signs in by text, as the worker would. */
export async function signInByText(h: DemoKioskHarness, phone: string): Promise<SessionView> {
  const started = value(await h.kiosk.handlers['signIn.start']({ phone }));
  if (started.state !== 'challenge') throw new Error(`expected a challenge, got ${started.state}`);
  return value(await h.kiosk.handlers['signIn.verify']({ challengeId: started.challengeId, code: h.lastCode() }));
}

export const signOut = async (h: DemoKioskHarness) => value(await h.kiosk.handlers['session.signOut']({}));

/** The audit events since `afterId`, as their shape: type, outcome and which fields are set (not their values). */
export function auditShapes(h: DemoKioskHarness, afterId = 0): Array<{ type: string; outcome: string; hasUser: boolean; hasPhone: boolean; details: string }> {
  const db = new Database(path.join(h.dataDir, 'kiosk.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT type, outcome, user_id, phone_masked, details FROM audit_events WHERE id > ? ORDER BY id').all(afterId) as Array<{
      type: string;
      outcome: string;
      user_id: string | null;
      phone_masked: string | null;
      details: string | null;
    }>;
    return rows.map((row) => ({ type: row.type, outcome: row.outcome, hasUser: row.user_id !== null, hasPhone: row.phone_masked !== null, details: Object.keys(JSON.parse(row.details ?? '{}') as object).sort().join(',') }));
  } finally {
    db.close();
  }
}

export function auditReasons(h: DemoKioskHarness, afterId = 0): Array<string | null> {
  const db = new Database(path.join(h.dataDir, 'kiosk.db'), { readonly: true });
  try {
    return (db.prepare('SELECT reason FROM audit_events WHERE id > ? ORDER BY id').all(afterId) as Array<{ reason: string | null }>).map((row) => row.reason);
  } finally {
    db.close();
  }
}

export function lastAuditId(h: DemoKioskHarness): number {
  const db = new Database(path.join(h.dataDir, 'kiosk.db'), { readonly: true });
  try {
    return (db.prepare('SELECT coalesce(max(id), 0) AS id FROM audit_events').get() as { id: number }).id;
  } finally {
    db.close();
  }
}

/** Changes the kiosk settings as a directory sync would, then tells the kiosk. */
export async function patchSettings(h: DemoKioskHarness, patch: object): Promise<void> {
  const db = new Database(directoryFileOf(path.join(h.dataDir, 'kiosk.db')));
  try {
    db.prepare('UPDATE kiosk_settings SET settings = json_patch(settings, ?)').run(JSON.stringify(patch));
  } finally {
    db.close();
  }
  await h.kiosk.directoryChanged();
}

/** Every stored byte of the database as text, to look for what must never be stored. */
export function databaseText(h: DemoKioskHarness): string {
  const db = new Database(path.join(h.dataDir, 'kiosk.db'), { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    return tables.map((table) => JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).raw().all(), (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('latin1') : v))).join('\n');
  } finally {
    db.close();
  }
}
