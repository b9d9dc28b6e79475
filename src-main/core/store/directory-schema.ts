import type Database from 'better-sqlite3';

/** The schema name the kiosk file's connections give the directory file they attach. */
export const DIRECTORY_SCHEMA = 'directory';

/** The schema holding the directory on this connection: `directory` when attached, else `main` (the sync worker's own connection). */
export function directorySchemaOf(db: Database.Database): string {
  const attached = db.prepare<[string], string>('SELECT name FROM pragma_database_list WHERE name = ?').pluck().get(DIRECTORY_SCHEMA);
  return attached ?? 'main';
}
