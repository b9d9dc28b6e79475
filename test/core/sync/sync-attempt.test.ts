import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { directorySnapshotSchema } from '../../../src-main/core/directory/directory-snapshot';
import { AuditLog } from '../../../src-main/core/idp/audit-log';
import { phoneKeyer } from '../../../src-main/core/idp/phone-key';
import { AuditRepository } from '../../../src-main/core/store/audit-repository';
import { directoryFileOf, openDatabase, type KioskDatabase } from '../../../src-main/core/store/database';
import { catchUpWithDirectory, DirectoryCommitRepository } from '../../../src-main/core/store/directory-commits';
import { DirectoryRepository } from '../../../src-main/core/store/directory-repository';
import { SyncStateRepository } from '../../../src-main/core/store/sync-state-repository';
import { defaultAuditRetention } from '../../../src-main/core/directory/directory-snapshot';
import type { DirectorySource } from '../../../src-main/core/sync/directory-source';
import { fetchAndApply } from '../../../src-main/core/sync/sync-attempt';
import { FakeClock, tempDir } from '../../fakes';
import { largeSnapshot } from './large-directory';

// A sync commits the directory in its own file, then its cursor and audit events in the
// kiosk file: a kiosk killed between the two commits finishes the second when it reopens.

let temp: ReturnType<typeof tempDir>;
let kioskFile: string;
beforeEach(() => {
  temp = tempDir('kiosk-sync-attempt-');
  kioskFile = path.join(temp.dir, 'kiosk.db');
});
afterEach(() => temp.remove());

function snapshotSource(cursor: string, users: number): DirectorySource {
  return { kind: 'feed', fetch: async () => ({ kind: 'snapshot', snapshot: directorySnapshotSchema.parse(largeSnapshot(users)), cursor }) };
}

/** One attempt on `db`; `diesAfterDirectoryCommit` stops it as a SIGKILL would, before the kiosk file's transaction. */
async function sync(db: KioskDatabase, source: DirectorySource, diesAfterDirectoryCommit = false) {
  const clock = new FakeClock();
  const audit = new AuditLog(new AuditRepository(db), clock, phoneKeyer(Buffer.alloc(32, 3)), () => defaultAuditRetention);
  let commits = 0;
  return fetchAndApply(
    {
      source,
      sourceId: 'feed',
      state: new SyncStateRepository(db, 'feed'),
      directory: new DirectoryRepository(db),
      commits: new DirectoryCommitRepository(db),
      catchUp: (commit) => {
        // The first call catches up before fetching; the second follows the directory commit.
        commits += 1;
        if (diesAfterDirectoryCommit && commits === 2) return;
        catchUpWithDirectory(db, commit);
      },
      audit,
      clock,
    },
    { users: 0, readyPhones: 0 },
    new AbortController().signal,
  );
}

const appliedSyncs = (db: KioskDatabase) => db.prepare("SELECT count(*) FROM audit_events WHERE type = 'sync.apply' AND outcome = 'success'").pluck().get();

describe('a sync in two files', () => {
  it('records the cursor and the sync in the kiosk file right after the directory commits', async () => {
    const db = openDatabase(kioskFile);
    await sync(db, snapshotSource('c1', 20));
    expect(new SyncStateRepository(db, 'feed').load().cursor).toBe('c1');
    expect(appliedSyncs(db)).toBe(1);
    db.close();
  });

  it('finishes, when the kiosk opens again, a sync killed between the directory commit and the kiosk file', async () => {
    const db = openDatabase(kioskFile);
    await sync(db, snapshotSource('c1', 20));
    await sync(db, snapshotSource('c2', 30), true);
    // Killed: the new directory is in place, the kiosk file still says c1.
    expect(new DirectoryRepository(db).counts().users).toBe(30);
    expect(new SyncStateRepository(db, 'feed').load().cursor).toBe('c1');
    db.close();

    const reopened = openDatabase(kioskFile);
    expect(new SyncStateRepository(reopened, 'feed').load()).toMatchObject({ cursor: 'c2', lastError: null });
    expect(appliedSyncs(reopened)).toBe(2);
    reopened.close();
    // Once only, however often it opens.
    const again = openDatabase(kioskFile);
    expect(appliedSyncs(again)).toBe(2);
    again.close();
  });

  it('starts again from a full snapshot when the directory file is lost, never from the old cursor', async () => {
    const db = openDatabase(kioskFile);
    await sync(db, snapshotSource('c1', 20));
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${directoryFileOf(kioskFile)}${suffix}`, { force: true });

    const reopened = openDatabase(kioskFile);
    expect(new DirectoryRepository(reopened).isEmpty()).toBe(true);
    expect(new SyncStateRepository(reopened, 'feed').load().cursor).toBeNull();
    reopened.close();
  });
});
