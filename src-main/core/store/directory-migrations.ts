import type { Migration } from './migrations';

/**
 * The directory's own file (`<kiosk>.directory.db`, beside `kiosk.db`): numbered and
 * append-only like `migrations.ts`, counted by that file's own `user_version`. Only the
 * sync writes it, on its own connection, so its long transactions never hold the write
 * lock of the file sign-in writes to. The tables are as migrations 1, 3 and 6 of the
 * kiosk file made them; migration 8 there moves an existing directory here.
 */
export const directoryMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'the synced directory, and the commit that last wrote it',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        user_principal_name TEXT NOT NULL,
        account_enabled INTEGER NOT NULL CHECK (account_enabled IN (0, 1)),
        is_privileged INTEGER NOT NULL DEFAULT 0 CHECK (is_privileged IN (0, 1)),
        -- A hash of the user as the directory last sent them; NULL: rewrite on the next snapshot.
        sync_fingerprint TEXT
      ) STRICT;

      CREATE TABLE groups (
        id TEXT PRIMARY KEY,
        display_name TEXT NOT NULL
      ) STRICT;

      CREATE TABLE group_members (
        group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        PRIMARY KEY (group_id, user_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX group_members_by_user ON group_members (user_id);

      -- Graph: /users/{id}/authentication/phoneMethods, phone_number in E.164.
      -- sms_sign_in_state is what the kiosk enforces (phoneNumberNotUnique while several
      -- users hold the number); directory_sms_sign_in_state what the directory said.
      CREATE TABLE phone_methods (
        id TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        phone_number TEXT NOT NULL,
        phone_type TEXT NOT NULL CHECK (phone_type IN ('mobile', 'alternateMobile', 'office')),
        sms_sign_in_state TEXT NOT NULL CHECK (sms_sign_in_state IN (
          'ready', 'notSupported', 'notAllowedByPolicy', 'notEnabled',
          'phoneNumberNotUnique', 'notConfigured', 'unknownFutureValue')),
        directory_sms_sign_in_state TEXT CHECK (directory_sms_sign_in_state IN (
          'ready', 'notSupported', 'notAllowedByPolicy', 'notEnabled',
          'phoneNumberNotUnique', 'notConfigured', 'unknownFutureValue')),
        PRIMARY KEY (user_id, id)
      ) STRICT;
      CREATE INDEX phone_methods_by_number ON phone_methods (phone_number);
      CREATE INDEX phone_methods_by_state ON phone_methods (phone_type, sms_sign_in_state);

      CREATE TABLE sms_method_policy (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        state TEXT NOT NULL CHECK (state IN ('enabled', 'disabled')),
        include_targets TEXT NOT NULL,
        exclude_targets TEXT NOT NULL
      ) STRICT;

      CREATE TABLE kiosk_settings (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        settings TEXT NOT NULL
      ) STRICT;

      -- One row: which file this is (made once, so a lost or restored file is told apart),
      -- how many syncs have committed to it, and what the last one owes the kiosk file (its
      -- cursor and audit events), written in the same transaction as the directory. The
      -- kiosk file records the generation it has caught up with (directory_sync_state).
      CREATE TABLE directory_commits (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        file_id TEXT NOT NULL,
        generation INTEGER NOT NULL,
        source_id TEXT,
        cursor TEXT,
        committed_at INTEGER,
        audit_events TEXT NOT NULL DEFAULT '[]'
      ) STRICT;
      INSERT INTO directory_commits (id, file_id, generation) VALUES (1, lower(hex(randomblob(16))), 0);
    `,
  },
];
