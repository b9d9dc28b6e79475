import Database from 'better-sqlite3';
import { migrations as allMigrations, type Migration } from './migrations';

export type KioskDatabase = Database.Database;

export class DatabaseTooNewError extends Error {
  constructor(found: number, known: number) {
    super(`The kiosk database is at schema version ${found}, but this version of the app only knows up to ${known}. Install the newer app version or point it at a fresh data directory.`);
  }
}

const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/** Opens (creating if needed) the kiosk's SQLite file and brings its schema up to date. */
export function openDatabase(file: string, migrations: readonly Migration[] = allMigrations): KioskDatabase {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // WAL with NORMAL survives an app crash without loss; only an OS crash or power loss
    // can drop the last transactions. The counters that limit guessing and sending are
    // written in durable transactions instead (`kiosk-store.ts`), which a power loss
    // cannot roll back.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    // After a checkpoint, the write-ahead log's file is cut back to this: a 1,000,000-user
    // sync must not leave hundreds of megabytes of log behind.
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function migrate(db: KioskDatabase, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest) throw new DatabaseTooNewError(current, latest);
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}

/** SQLite's own check of every page and index (`PRAGMA integrity_check`): `['ok']` when the file is sound. */
export function integrityCheck(db: KioskDatabase, maxErrors = 20): string[] {
  const rows = db.pragma(`integrity_check(${Math.max(1, Math.floor(maxErrors))})`) as Array<{ integrity_check: string }>;
  return rows.map((row) => row.integrity_check);
}

/** The schema version the file is at (its migrations applied). */
export function schemaVersion(db: KioskDatabase): number {
  return db.pragma('user_version', { simple: true }) as number;
}
