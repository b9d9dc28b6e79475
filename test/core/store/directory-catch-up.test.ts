import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { AuditInsert } from '../../../src-main/core/store/audit-repository';
import { directoryFileOf, openDatabase, openDirectoryDatabase } from '../../../src-main/core/store/database';
import { catchUpWithDirectory, DirectoryCommitRepository } from '../../../src-main/core/store/directory-commits';
import { tempDir } from '../../fakes';

// Found in the review of this round's merges: a commit read outside the catch-up's own
// transaction (a status command opening the store while a sync commits) could be older than
// what the kiosk file already recorded. It was taken as a replaced directory file: the cursor
// went back, and the newer commit's audit events were then written a second time.

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

it('ignores a stale commit: the cursor stays, and no audit event is written twice', () => {
  const folder = tempDir('kiosk-catch-up-');
  const file = path.join(folder.dir, 'kiosk.db');
  const kiosk = openDatabase(file);
  const directory = openDirectoryDatabase(directoryFileOf(file));
  cleanups.push(() => folder.remove(), () => kiosk.close(), () => directory.close());
  const commits = new DirectoryCommitRepository(directory);
  const event = (n: number): AuditInsert => ({ at: n, type: 'sync.apply', outcome: 'success', reason: null, userId: null, phoneMasked: null, phoneKey: null, details: { n } });

  catchUpWithDirectory(kiosk, commits.record({ sourceId: 'feed', cursor: 'c1', at: 1, auditEvents: [event(1)] }));
  const stale = commits.latest(); // what a status command read before the next sync committed
  catchUpWithDirectory(kiosk, commits.record({ sourceId: 'feed', cursor: 'c2', at: 2, auditEvents: [event(2)] }));

  const outcome = catchUpWithDirectory(kiosk, stale);
  catchUpWithDirectory(kiosk, commits.latest());
  expect({
    outcome,
    cursor: kiosk.prepare('SELECT cursor FROM directory_sync_state').pluck().get(),
    events: kiosk.prepare("SELECT count(*) FROM audit_events WHERE type = 'sync.apply'").pluck().get(),
  }).toEqual({ outcome: 'current', cursor: 'c2', events: 2 });
});
