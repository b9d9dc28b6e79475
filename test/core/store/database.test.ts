import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseTooNewError, openDatabase } from '../../../src-main/core/store/database';
import { migrations } from '../../../src-main/core/store/migrations';
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
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['users', 'groups', 'group_members', 'phone_methods', 'sms_method_policy', 'kiosk_settings', 'challenges', 'sessions', 'audit_events']));
    db.close();
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
