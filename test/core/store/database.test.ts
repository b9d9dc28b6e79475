import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseTooNewError, directoryFileOf, migrate, openDatabase } from '../../../src-main/core/store/database';
import { directoryMigrations } from '../../../src-main/core/store/directory-migrations';
import { DirectoryRepository } from '../../../src-main/core/store/directory-repository';
import { migrations } from '../../../src-main/core/store/migrations';
import { SyncStateRepository } from '../../../src-main/core/store/sync-state-repository';
import { SessionRepository } from '../../../src-main/core/store/session-repository';
import { tempDir } from '../../fakes';

const temp = tempDir();
afterAll(() => temp.remove());
const file = (name: string) => path.join(temp.dir, name);

describe('the kiosk database', () => {
  it('creates the schema in WAL mode with foreign keys on', () => {
    const db = openDatabase(file('new.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    const tables = (schema: string) => db.prepare(`SELECT name FROM ${schema}.sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all();
    expect(tables('main')).toEqual(expect.arrayContaining(['challenges', 'sessions', 'audit_events', 'directory_sync_state']));
    expect(tables('main')).not.toContain('users');
    // The directory in its own file, beside the kiosk file, which only the sync writes.
    expect(tables('directory')).toEqual(expect.arrayContaining(['users', 'groups', 'group_members', 'phone_methods', 'sms_method_policy', 'kiosk_settings']));
    expect(db.pragma('directory.journal_mode', { simple: true })).toBe('wal');
    db.close();
    const directory = new Database(directoryFileOf(file('new.db')));
    expect(directory.pragma('user_version', { simple: true })).toBe(directoryMigrations.at(-1)!.version);
    directory.close();
  });

  it('applies each migration once, however often it is opened', () => {
    openDatabase(file('twice.db')).close();
    const db = openDatabase(file('twice.db'));
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    db.close();
  });

  it('refuses a database written by a newer version of the app, and leaves it untouched', () => {
    const raw = new Database(file('future.db'));
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => openDatabase(file('future.db'))).toThrow(DatabaseTooNewError);
    const after = new Database(file('future.db'));
    expect(after.pragma('user_version', { simple: true })).toBe(99);
    after.close();
  });

  it('rolls back a migration that fails half way', () => {
    const latest = migrations.at(-1)!.version;
    const broken = [...migrations, { version: latest + 1, name: 'broken', sql: 'CREATE TABLE extra (id INTEGER); SELECT * FROM missing_table;' }];
    openDatabase(file('rollback.db')).close();
    expect(() => openDatabase(file('rollback.db'), broken)).toThrow(/missing_table/);
    const db = openDatabase(file('rollback.db'));
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").pluck().get()).toBe(0);
    db.close();
  });

  it('holds at most one open session per kiosk', () => {
    const db = openDatabase(file('sessions.db'));
    db.prepare("INSERT INTO users (id, display_name, user_principal_name, account_enabled) VALUES ('u1', 'A', 'a@x', 1)").run();
    const sessions = new SessionRepository(db);
    sessions.open('s1', 'u1', 1);
    expect(() => sessions.open('s2', 'u1', 2)).toThrow(/UNIQUE/);
    sessions.close('s1', 3, 'user');
    sessions.open('s2', 'u1', 4);
    expect(sessions.openSessions().map((s) => s.id)).toEqual(['s2']);
    db.close();
  });
});

/** A kiosk database as the app left it at migration 7, with a synced directory, a cursor and a session. */
function databaseAtMigration7(name: string): string {
  const raw = new Database(file(name));
  raw.pragma('journal_mode = WAL');
  migrate(raw, migrations.filter((m) => m.version <= 7));
  raw.exec(`
    INSERT INTO users (id, display_name, user_principal_name, account_enabled, is_privileged, sync_fingerprint) VALUES
      ('u1', 'Alex Rivera', 'alex@contoso.example', 1, 0, 'f1'), ('u2', 'Sam Lee', 'sam@contoso.example', 1, 0, 'f2');
    INSERT INTO groups (id, display_name) VALUES ('g1', 'Floor');
    INSERT INTO group_members (group_id, user_id) VALUES ('g1', 'u1'), ('g1', 'u2');
    INSERT INTO phone_methods (id, user_id, phone_number, phone_type, sms_sign_in_state, directory_sms_sign_in_state) VALUES
      ('m', 'u1', '+12065550100', 'mobile', 'ready', 'ready'), ('m', 'u2', '+12065550101', 'mobile', 'ready', 'ready');
    INSERT INTO sms_method_policy (id, state, include_targets, exclude_targets) VALUES (1, 'enabled', '[]', '[]');
    INSERT INTO kiosk_settings (id, settings) VALUES (1, '{"defaultCountry":"US","organizationName":"Contoso"}');
    INSERT INTO directory_sync_state (id, source_id, cursor, last_success_at, consecutive_failures) VALUES (1, 'feed', 'c7', 1000, 0);
    INSERT INTO sessions (id, user_id, started_at) VALUES ('s1', 'u1', 2000);
  `);
  raw.close();
  return file(name);
}

describe('upgrading to the directory in its own file (migration 8)', () => {
  it('moves the directory out of the kiosk file, keeping every row, the cursor and the session', () => {
    const db = openDatabase(databaseAtMigration7('upgrade.db'));
    try {
      expect(db.prepare("SELECT count(*) FROM main.sqlite_master WHERE name IN ('users', 'phone_methods', 'kiosk_settings')").pluck().get()).toBe(0);
      const directory = new DirectoryRepository(db);
      expect(directory.holdersOf('+12065550100')).toEqual([
        { userId: 'u1', displayName: 'Alex Rivera', accountEnabled: true, isPrivileged: false, phoneType: 'mobile', smsSignInState: 'ready', groupIds: ['g1'] },
      ]);
      expect(directory.counts()).toEqual({ users: 2, readyPhones: 2 });
      expect(directory.kioskSettings()).toMatchObject({ defaultCountry: 'US', organizationName: 'Contoso' });
      expect(directory.storedFingerprintsOf(['u1', 'u2', 'u3'])).toEqual(new Map([['u1', 'f1'], ['u2', 'f2']]));
      // The next sync goes on from where the last one left off, not from a full snapshot.
      expect(new SyncStateRepository(db, 'feed').load()).toMatchObject({ cursor: 'c7', lastSuccessAt: 1000 });
      expect(db.prepare('SELECT user_id FROM sessions').pluck().all()).toEqual(['u1']);
      expect(db.pragma('directory.foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('copies the directory once when an upgrade was cut off after copying and runs again', () => {
    const upgraded = databaseAtMigration7('cut-off.db');
    // Migration 8 copies in its own committed step, then drops; here the drop fails as a crash would stop it.
    const cutOff = migrations.map((m) => (m.version === 8 ? { ...m, sql: `${m.sql}; SELECT * FROM missing_table;` } : m));
    expect(() => openDatabase(upgraded, cutOff)).toThrow(/missing_table/);
    const db = openDatabase(upgraded);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
      expect(new DirectoryRepository(db).counts()).toEqual({ users: 2, readyPhones: 2 });
      expect(db.prepare('SELECT count(*) FROM group_members').pluck().get()).toBe(2);
    } finally {
      db.close();
    }
  });
});
