import type { AuditInsert } from './audit-repository';
import { AuditRepository } from './audit-repository';
import type { KioskDatabase } from './database';
import { directorySchemaOf } from './directory-schema';

/**
 * The last sync committed to the directory file, as that file records it in the same
 * transaction as the directory itself: what it owes the kiosk file (the cursor the next
 * fetch starts from, its audit events), and its generation (one more per commit).
 */
export interface DirectoryCommit {
  /** Made with the file: a lost, replaced or restored directory file has another. */
  fileId: string;
  generation: number;
  sourceId: string | null;
  cursor: string | null;
  committedAt: number | null;
  auditEvents: AuditInsert[];
}

interface CommitRow {
  file_id: string;
  generation: number;
  source_id: string | null;
  cursor: string | null;
  committed_at: number | null;
  audit_events: string;
}

/** `directory_commits` in the directory file, on whichever connection holds it. */
export class DirectoryCommitRepository {
  private readonly row;
  private readonly bump;

  constructor(db: KioskDatabase) {
    const schema = directorySchemaOf(db);
    this.row = db.prepare<[], CommitRow>(`SELECT * FROM ${schema}.directory_commits WHERE id = 1`);
    this.bump = db.prepare<[string | null, string | null, number, string], CommitRow>(
      `UPDATE ${schema}.directory_commits SET generation = generation + 1, source_id = ?, cursor = ?, committed_at = ?, audit_events = ?
       WHERE id = 1 RETURNING *`,
    );
  }

  latest(): DirectoryCommit {
    return toCommit(this.row.get()!);
  }

  /** Inside the directory's write transaction: this commit, and what it owes the kiosk file. */
  record(commit: { sourceId: string; cursor: string | null; at: number; auditEvents: readonly AuditInsert[] }): DirectoryCommit {
    return toCommit(this.bump.get(commit.sourceId, commit.cursor, commit.at, JSON.stringify(commit.auditEvents))!);
  }
}

interface StateRow {
  source_id: string;
  directory_file_id: string | null;
  directory_generation: number;
}

/** `current`: nothing owed; `caughtUp`: the commit's cursor and audit events written; `replaced`: another directory file (or an older copy), whose cursor is taken as it is. */
export type CatchUp = 'current' | 'caughtUp' | 'replaced';

/**
 * The second, short transaction of a sync, in the kiosk file (`db` is a connection whose
 * main file it is): the cursor and audit events of a directory commit this file has not
 * recorded yet. Run right after every directory commit and again when the kiosk starts, so
 * a kiosk killed between the two commits finishes the second when it comes back, and twice
 * is the same as once. A directory file this one does not know (deleted, restored from an
 * older copy) is believed as it stands: its cursor, null for an empty one, is where the next
 * fetch starts, so the kiosk reads again whatever the file lacks.
 */
export function catchUpWithDirectory(db: KioskDatabase, seen: DirectoryCommit): CatchUp {
  const state = db.prepare<[], StateRow>('SELECT source_id, directory_file_id, directory_generation FROM main.directory_sync_state WHERE id = 1');
  // Most opens owe nothing: decided without the write lock, which a status command must not wait for.
  if (owed(state.get(), seen) === 'current') return 'current';
  return db
    .transaction((): CatchUp => {
      // Read again under the lock (IMMEDIATE holds the attached directory file too): `seen`
      // may be older than what this file recorded since, and would look like a restored copy.
      const commit = new DirectoryCommitRepository(db).latest();
      const row = state.get();
      const outcome = owed(row, commit);
      if (outcome === 'caughtUp') {
        const audit = new AuditRepository(db);
        for (const event of commit.auditEvents) audit.insert(event);
        db.prepare(
          `INSERT INTO main.directory_sync_state (id, source_id, cursor, last_attempt_at, last_success_at, consecutive_failures, directory_file_id, directory_generation)
           VALUES (1, @sourceId, @cursor, @at, @at, 0, @fileId, @generation)
           ON CONFLICT (id) DO UPDATE SET source_id = excluded.source_id, cursor = excluded.cursor, last_attempt_at = excluded.last_attempt_at,
             last_success_at = excluded.last_success_at, last_error_reason = NULL, last_error_message = NULL, consecutive_failures = 0,
             directory_file_id = excluded.directory_file_id, directory_generation = excluded.directory_generation`,
        ).run({ sourceId: commit.sourceId ?? row?.source_id ?? 'unknown', cursor: commit.cursor, at: commit.committedAt, fileId: commit.fileId, generation: commit.generation });
      } else if (outcome === 'replaced') {
        db.prepare('UPDATE main.directory_sync_state SET cursor = ?, directory_file_id = ?, directory_generation = ? WHERE id = 1').run(commit.cursor, commit.fileId, commit.generation);
      }
      return outcome;
    })
    .immediate();
}

function owed(row: StateRow | undefined, commit: DirectoryCommit): CatchUp {
  // No row, or one a failed first attempt made: no directory file recorded yet.
  const linked = row?.directory_file_id ?? null;
  const known = linked === null || linked === commit.fileId;
  const recorded = linked === commit.fileId ? row!.directory_generation : 0;
  if (known && recorded === commit.generation) return 'current';
  return known && recorded < commit.generation ? 'caughtUp' : 'replaced';
}

function toCommit(row: CommitRow): DirectoryCommit {
  return {
    fileId: row.file_id,
    generation: row.generation,
    sourceId: row.source_id,
    cursor: row.cursor,
    committedAt: row.committed_at,
    auditEvents: JSON.parse(row.audit_events) as AuditInsert[],
  };
}
