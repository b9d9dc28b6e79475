import Database from 'better-sqlite3';
import { directoryFileOf } from '../../src-main/core/store/database';

/**
 * Every row of every table in a kiosk database, both files (the directory's as
 * `directory.<table>`), through second read-only connections (so it sees what was
 * committed), each table's rows in a stable order: equal dumps, equal stores.
 */
export function dumpStore(file: string, options: { except?: readonly string[] } = {}): Record<string, string[]> {
  return { ...dumpFile(file, '', options), ...dumpFile(directoryFileOf(file), 'directory.', options) };
}

function dumpFile(file: string, prefix: string, options: { except?: readonly string[] }): Record<string, string[]> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all()
      .map((row) => row.name)
      .filter((name) => !options.except?.includes(name) && !options.except?.includes(`${prefix}${name}`));
    return Object.fromEntries(tables.map((table) => [`${prefix}${table}`, db.prepare(`SELECT * FROM "${table}"`).all().map((row) => JSON.stringify(row)).sort()]));
  } finally {
    db.close();
  }
}
