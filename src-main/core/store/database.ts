import { copyFileSync, existsSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { catchUpWithDirectory, DirectoryCommitRepository } from './directory-commits';
import { directoryMigrations } from './directory-migrations';
import { DIRECTORY_SCHEMA } from './directory-schema';
import { migrations as allMigrations, type Migration } from './migrations';

export type KioskDatabase = Database.Database;

export class DatabaseTooNewError extends Error {
  constructor(found: number, known: number) {
    super(`The kiosk database is at schema version ${found}, but this version of the app only knows up to ${known}. Install the newer app version or point it at a fresh data directory.`);
  }
}

const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * The directory's own file beside the kiosk file (`kiosk.db` → `kiosk.directory.db`): only
 * the sync writes it, so a long directory write never holds the lock sign-in writes wait for.
 */
export function directoryFileOf(kioskFile: string): string {
  return kioskFile.replace(/(\.db)?$/, '.directory.db');
}

/** Every file a kiosk database is made of, write-ahead logs included: what a copy or a wipe must take. */
export function databaseFilesOf(kioskFile: string): string[] {
  return [kioskFile, directoryFileOf(kioskFile)].flatMap((file) => [file, `${file}-wal`, `${file}-shm`]);
}

/** Copies a closed kiosk database (both files, with any write-ahead log) to `toFile`, replacing what was there. */
export function copyDatabase(fromFile: string, toFile: string): void {
  const from = databaseFilesOf(fromFile);
  databaseFilesOf(toFile).forEach((target, i) => {
    rmSync(target, { force: true });
    if (existsSync(from[i]!)) copyFileSync(from[i]!, target);
  });
}

/**
 * Opens (creating if needed) the kiosk's SQLite file and brings its schema up to date, with
 * the directory file attached as `directory`. Directory tables are found by their plain
 * names (the kiosk file has none of its own since migration 8); on this connection they are
 * read, and written only where no sync worker runs (the demo, unit tests' in-process sync).
 * Then finishes what a sync killed between its two commits left undone (`directory-commits.ts`).
 */
export function openDatabase(file: string, migrations: readonly Migration[] = allMigrations): KioskDatabase {
  const db = new Database(file);
  try {
    configure(db, 'main');
    const directoryFile = directoryFileOf(file);
    // Made and migrated on a connection of its own (a schema's user_version is its file's),
    // then attached. better-sqlite3 is built without URI file names, so the attachment
    // cannot be opened read-only; the kiosk file's connection simply never writes it in live mode.
    openDirectoryDatabase(directoryFile).close();
    db.prepare(`ATTACH DATABASE ? AS ${DIRECTORY_SCHEMA}`).run(directoryFile);
    configure(db, DIRECTORY_SCHEMA);
    migrate(db, migrations);
    // A sync killed between its directory commit and its record here is finished now.
    catchUpWithDirectory(db, new DirectoryCommitRepository(db).latest());
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The directory file alone, as the sync worker writes it: directory tables in `main`. */
export function openDirectoryDatabase(file: string): KioskDatabase {
  const db = new Database(file);
  try {
    configure(db, 'main');
    migrate(db, directoryMigrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function configure(db: KioskDatabase, schema: string): void {
  db.pragma(`${schema}.journal_mode = WAL`);
  // WAL with NORMAL survives an app crash without loss; only an OS crash or power loss
  // can drop the last transactions. The counters that limit guessing and sending are
  // written in durable transactions instead (`kiosk-store.ts`), which a power loss
  // cannot roll back.
  db.pragma(`${schema}.synchronous = NORMAL`);
  // After a checkpoint, the write-ahead log's file is cut back to this: a 1,000,000-user
  // sync must not leave hundreds of megabytes of log behind.
  db.pragma(`${schema}.journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  if (schema !== 'main') return;
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

export function migrate(db: KioskDatabase, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest) throw new DatabaseTooNewError(current, latest);
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (migration.version <= current) continue;
    if (migration.before) db.transaction(() => db.exec(migration.before!))();
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
