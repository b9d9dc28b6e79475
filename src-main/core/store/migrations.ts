/**
 * Numbered, append-only schema migrations. `PRAGMA user_version` records the last one
 * applied; never edit a migration that has shipped, add the next number instead.
 */
export interface Migration {
  version: number;
  name: string;
  /**
   * Run and committed first, in a transaction of its own: a step that writes another file
   * (an attached database) and must be on disk before `sql` removes what it copied. With
   * WAL, one transaction over two files is atomic per file, not as a set, so a crash
   * between the two leaves this migration unapplied and it runs again: `before` must be
   * repeatable.
   */
  before?: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'directory, sign-in policy, challenges, sessions and audit',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        user_principal_name TEXT NOT NULL,
        account_enabled INTEGER NOT NULL CHECK (account_enabled IN (0, 1)),
        is_privileged INTEGER NOT NULL DEFAULT 0 CHECK (is_privileged IN (0, 1))
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

      -- Graph: /users/{id}/authentication/phoneMethods. phone_number is E.164. Graph's
      -- method ids are per user (every user's mobile has the same id), hence the key.
      CREATE TABLE phone_methods (
        id TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        phone_number TEXT NOT NULL,
        phone_type TEXT NOT NULL CHECK (phone_type IN ('mobile', 'alternateMobile', 'office')),
        sms_sign_in_state TEXT NOT NULL CHECK (sms_sign_in_state IN (
          'ready', 'notSupported', 'notAllowedByPolicy', 'notEnabled',
          'phoneNumberNotUnique', 'notConfigured', 'unknownFutureValue')),
        PRIMARY KEY (user_id, id)
      ) STRICT;
      CREATE INDEX phone_methods_by_number ON phone_methods (phone_number);

      -- Graph: authenticationMethodConfigurations/sms. Targets are JSON arrays of
      -- { id, targetType, isUsableForSignIn }.
      CREATE TABLE sms_method_policy (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        state TEXT NOT NULL CHECK (state IN ('enabled', 'disabled')),
        include_targets TEXT NOT NULL,
        exclude_targets TEXT NOT NULL
      ) STRICT;

      -- Kiosk settings from the directory (country, code validity, branding), as JSON
      -- validated by the sync schema before it is written.
      CREATE TABLE kiosk_settings (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        settings TEXT NOT NULL
      ) STRICT;

      -- code_hmac is NULL when no code was sent (number not eligible): the challenge still
      -- exists so the kiosk behaves the same for registered and unregistered numbers.
      -- user_id has no foreign key on purpose: a sync replaces the users table, and that
      -- must neither drop a sign-in in progress nor treat registered numbers differently.
      CREATE TABLE challenges (
        id TEXT PRIMARY KEY,
        phone_number TEXT NOT NULL,
        user_id TEXT,
        code_hmac BLOB,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        consumed_at INTEGER
      ) STRICT;

      -- Like challenges, no foreign key: the session's user survives a directory sync (a
      -- user the sync removed is signed out as 'revoked', not silently orphaned).
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        end_reason TEXT CHECK (end_reason IN ('user', 'idle', 'maxDuration', 'admin', 'suspend', 'revoked', 'crash'))
      ) STRICT;
      -- Exactly one open session per kiosk.
      CREATE UNIQUE INDEX sessions_one_open ON sessions ((ended_at IS NULL)) WHERE ended_at IS NULL;

      CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        type TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'info')),
        reason TEXT,
        user_id TEXT,
        phone_masked TEXT,
        details TEXT
      ) STRICT;
      CREATE INDEX audit_events_by_time ON audit_events (at);
    `,
  },
  {
    version: 2,
    name: 'lockouts, send limits, resend and searchable audit',
    sql: `
      -- Consecutive failures per sign-in subject: 'user:<id>', or 'number:<key>' for a
      -- number no single user holds, so unregistered numbers lock exactly like real ones.
      CREATE TABLE sign_in_lockouts (
        subject TEXT PRIMARY KEY,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER,
        admin_locked INTEGER NOT NULL DEFAULT 0 CHECK (admin_locked IN (0, 1))
      ) STRICT;

      -- Every text sent, or pretended for an ineligible number (delivered = 0), by the
      -- keyed hash of its number: the per-number and per-kiosk caps count these.
      CREATE TABLE sms_sends (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        phone_key TEXT NOT NULL,
        at INTEGER NOT NULL,
        delivered INTEGER NOT NULL CHECK (delivered IN (0, 1))
      ) STRICT;
      CREATE INDEX sms_sends_by_phone ON sms_sends (phone_key, at);
      CREATE INDEX sms_sends_by_time ON sms_sends (at);

      ALTER TABLE challenges ADD COLUMN last_sent_at INTEGER;
      ALTER TABLE challenges ADD COLUMN lockout_subject TEXT;

      -- A keyed hash of the number, so IT can find one number without the log holding it.
      ALTER TABLE audit_events ADD COLUMN phone_key TEXT;
      CREATE INDEX audit_events_by_phone ON audit_events (phone_key);
    `,
  },
  {
    version: 3,
    name: 'directory sync state, change detection, duplicate numbers and audit upload',
    sql: `
      -- What the directory said about each phone method. sms_sign_in_state is what the
      -- kiosk enforces: phoneNumberNotUnique while several users hold the number, and the
      -- directory's own state again once only one does.
      ALTER TABLE phone_methods ADD COLUMN directory_sms_sign_in_state TEXT CHECK (directory_sms_sign_in_state IN (
        'ready', 'notSupported', 'notAllowedByPolicy', 'notEnabled',
        'phoneNumberNotUnique', 'notConfigured', 'unknownFutureValue'));
      UPDATE phone_methods SET directory_sms_sign_in_state = sms_sign_in_state;

      -- A hash of the user as the directory last sent them (phone numbers as typed, and the
      -- default country they were read with): a sync rewrites only the users that changed.
      -- NULL means "rewrite on the next snapshot".
      ALTER TABLE users ADD COLUMN sync_fingerprint TEXT;

      -- One row: where the directory comes from, how far the kiosk has read it (an opaque
      -- cursor the source gave, which may hold an ETag), and how the last attempts went.
      CREATE TABLE directory_sync_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        source_id TEXT NOT NULL,
        cursor TEXT,
        last_attempt_at INTEGER,
        last_success_at INTEGER,
        last_error_reason TEXT,
        last_error_message TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      -- One row: the audit outbox. Events with id > acknowledged_id are not uploaded yet and
      -- retention never prunes them while upload is configured. A batch once sent keeps its
      -- id range (and so its idempotency key) until the backend acknowledges it.
      CREATE TABLE audit_upload_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        device_id TEXT NOT NULL,
        acknowledged_id INTEGER NOT NULL DEFAULT 0,
        pending_first_id INTEGER,
        pending_last_id INTEGER,
        last_attempt_at INTEGER,
        last_success_at INTEGER,
        last_error_reason TEXT,
        last_error_message TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0
      ) STRICT;
    `,
  },
  {
    version: 4,
    name: 'answered texts',
    sql: `
      -- A text whose code was then used to sign in: the per-number cap counts only the
      -- unanswered ones (the kiosk-wide cap still counts every real text).
      ALTER TABLE sms_sends ADD COLUMN answered INTEGER NOT NULL DEFAULT 0 CHECK (answered IN (0, 1));
    `,
  },
  {
    version: 5,
    name: 'single sign-on: the OpenID Connect provider\'s records and the back-channel logout outbox',
    sql: `
      -- oidc-provider's stored models (Session, Grant, AuthorizationCode, AccessToken,
      -- Interaction, ...) as its adapter interface describes them: a JSON payload by model
      -- and id, findable by grant, uid or user code. All of it ends with the kiosk session.
      CREATE TABLE oidc_records (
        model TEXT NOT NULL,
        id TEXT NOT NULL,
        payload TEXT NOT NULL,
        grant_id TEXT,
        uid TEXT,
        user_code TEXT,
        consumed_at INTEGER,
        expires_at INTEGER,
        PRIMARY KEY (model, id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX oidc_records_by_grant ON oidc_records (grant_id) WHERE grant_id IS NOT NULL;
      CREATE INDEX oidc_records_by_uid ON oidc_records (uid) WHERE uid IS NOT NULL;

      -- OIDC Back-Channel Logout 1.0: a logout owed to an app, kept until it answers 200,
      -- so a kiosk that is offline at sign-out tells the app later. The token itself is
      -- made at delivery (it lives two minutes); the row holds who and which session.
      CREATE TABLE sso_logout_outbox (
        id INTEGER PRIMARY KEY,
        client_id TEXT NOT NULL,
        subject TEXT NOT NULL,
        sid TEXT NOT NULL,
        queued_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        UNIQUE (client_id, sid)
      ) STRICT;
    `,
  },
  {
    version: 6,
    name: 'a covering index for the directory counts',
    sql: `
      -- counts().readyPhones reads only the ready mobiles from this index, not every phone
      -- method (a full scan of 1,000,000 rows on each sync and admin status).
      CREATE INDEX phone_methods_by_state ON phone_methods (phone_type, sms_sign_in_state);
    `,
  },
  {
    version: 7,
    name: 'challenges keep only a keyed hash of numbers nobody holds, and send times for the start deadline',
    sql: `
      -- Challenges are working state (a restart never resumes a sign-in), so the table is
      -- made again rather than altered. phone_number is the E.164 number only while one user
      -- may sign in with it; for any other number the kiosk keeps its keyed hash and the
      -- masked form the audit log shows, never the number itself.
      DROP TABLE challenges;
      CREATE TABLE challenges (
        id TEXT PRIMARY KEY,
        phone_number TEXT,
        phone_key TEXT NOT NULL,
        phone_masked TEXT NOT NULL,
        user_id TEXT,
        code_hmac BLOB,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        last_sent_at INTEGER NOT NULL,
        lockout_subject TEXT NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        consumed_at INTEGER,
        CHECK ((phone_number IS NULL) = (user_id IS NULL))
      ) STRICT;
      CREATE INDEX challenges_by_expiry ON challenges (expires_at);

      -- How long real texts took the provider, and whether it took them: the start deadline
      -- (a high percentile of these) and the kiosk-wide "texts may be late" notice.
      CREATE TABLE sms_send_times (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        took_ms REAL NOT NULL,
        delivered INTEGER NOT NULL CHECK (delivered IN (0, 1))
      ) STRICT;
    `,
  },
  {
    version: 8,
    name: 'the directory moves to its own file, which only the sync writes',
    // The directory file is attached as "directory" and at its own latest version. Emptied
    // first, so copying again after a crash copies the same rows once.
    before: `
      DELETE FROM directory.group_members;
      DELETE FROM directory.phone_methods;
      DELETE FROM directory.users;
      DELETE FROM directory.groups;
      DELETE FROM directory.sms_method_policy;
      DELETE FROM directory.kiosk_settings;
      INSERT INTO directory.users (id, display_name, user_principal_name, account_enabled, is_privileged, sync_fingerprint)
        SELECT id, display_name, user_principal_name, account_enabled, is_privileged, sync_fingerprint FROM main.users;
      INSERT INTO directory.groups (id, display_name) SELECT id, display_name FROM main.groups;
      INSERT INTO directory.group_members (group_id, user_id) SELECT group_id, user_id FROM main.group_members;
      INSERT INTO directory.phone_methods (id, user_id, phone_number, phone_type, sms_sign_in_state, directory_sms_sign_in_state)
        SELECT id, user_id, phone_number, phone_type, sms_sign_in_state, directory_sms_sign_in_state FROM main.phone_methods;
      INSERT INTO directory.sms_method_policy (id, state, include_targets, exclude_targets)
        SELECT id, state, include_targets, exclude_targets FROM main.sms_method_policy;
      INSERT INTO directory.kiosk_settings (id, settings) SELECT id, settings FROM main.kiosk_settings;
      UPDATE directory.directory_commits SET source_id = (SELECT source_id FROM main.directory_sync_state),
        cursor = (SELECT cursor FROM main.directory_sync_state);
    `,
    sql: `
      -- Nothing in this file referenced the directory's rows (challenges and sessions hold a
      -- user id on purpose without a foreign key, migration 1), so nothing is lost by the
      -- move: SQLite enforces no foreign key across files, and the code checks instead.
      DROP TABLE main.group_members;
      DROP TABLE main.phone_methods;
      DROP TABLE main.users;
      DROP TABLE main.groups;
      DROP TABLE main.sms_method_policy;
      DROP TABLE main.kiosk_settings;

      -- Which directory file, and which of its commits, this file has caught up with: a sync
      -- commits the directory there first, then its cursor and audit events here; a kiosk
      -- killed between the two finishes the second at its next start.
      ALTER TABLE directory_sync_state ADD COLUMN directory_file_id TEXT;
      ALTER TABLE directory_sync_state ADD COLUMN directory_generation INTEGER NOT NULL DEFAULT 0;
      UPDATE directory_sync_state SET directory_file_id = (SELECT file_id FROM directory.directory_commits),
        directory_generation = (SELECT generation FROM directory.directory_commits);
    `,
  },
  {
    version: 9,
    name: 'SMS provider health, per configured provider',
    sql: `
      -- How each configured provider is doing: the admin screen and --status show it. role is
      -- where the configuration puts it (sms, or sms.fallback); provider its kind.
      CREATE TABLE sms_provider_health (
        role TEXT NOT NULL CHECK (role IN ('primary', 'fallback')),
        provider TEXT NOT NULL,
        last_success_at INTEGER,
        last_failure_at INTEGER,
        last_failure_reason TEXT,
        failures_since_success INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (role, provider)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 10,
    name: 'shift PINs, authenticator app enrolments, and how each session proved who it is',
    sql: `
      -- A shift PIN: only its scrypt hash (of an HMAC keyed by a keychain secret, bound to
      -- the user and this kiosk), until the shift ends. phone_key finds it by the typed
      -- number; policy_fingerprint ends it when the sign-in policy changes.
      CREATE TABLE shift_pins (
        user_id TEXT PRIMARY KEY,
        phone_key TEXT NOT NULL,
        phone_number TEXT NOT NULL,
        salt BLOB NOT NULL,
        pin_hash BLOB NOT NULL,
        policy_fingerprint TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX shift_pins_by_phone ON shift_pins (phone_key);

      -- An authenticator app (RFC 6238): the secret sealed with AES-256-GCM under a keychain
      -- key, never in the clear. pending_sealed: a set-up awaiting its first code.
      -- last_used_step: the newest time step a code was accepted for (single use, RFC 6238 §5.2).
      CREATE TABLE authenticator_enrolments (
        user_id TEXT PRIMARY KEY,
        secret_sealed BLOB,
        pending_sealed BLOB,
        confirmed_at INTEGER,
        last_used_step INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      -- RFC 8176 amr values of the session, as JSON: how the worker proved who they are.
      ALTER TABLE sessions ADD COLUMN amr TEXT NOT NULL DEFAULT '["sms"]';
    `,
  },
];
