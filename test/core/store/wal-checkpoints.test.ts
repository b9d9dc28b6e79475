import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type KioskDatabase } from '../../../src-main/core/store/database';
import { IDLE_CHECKPOINT_MS, startIdleCheckpoints } from '../../../src-main/core/store/wal-checkpoints';
import { FakeClock, tempDir } from '../../fakes';

let temp: ReturnType<typeof tempDir>;
let db: KioskDatabase;
let clock: FakeClock;

beforeEach(() => {
  temp = tempDir('kiosk-wal-');
  db = openDatabase(path.join(temp.dir, 'kiosk.db'));
  db.exec('CREATE TABLE filler (payload BLOB) STRICT');
  clock = new FakeClock();
});

afterEach(() => {
  db.close();
  temp.remove();
});

/** Frames in the write-ahead log, as a PASSIVE checkpoint reports them. */
const logFrames = () => (db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>)[0]!.log;

/** 2,000 small transactions of one 4 KiB page each: twice SQLite's automatic checkpoint mark. */
function writePages(): void {
  const insert = db.prepare('INSERT INTO filler (payload) VALUES (zeroblob(4000))');
  for (let i = 0; i < 2000; i += 1) insert.run();
}

describe('checkpoints of the contract connection', () => {
  it('never checkpoint inside a commit, however long the log grows', () => {
    const stop = startIdleCheckpoints(db, clock);
    writePages();
    expect(logFrames()).toBeGreaterThan(2000);
    stop();
  });

  it('fold the log back on their timer, so the next write starts it again from the top', () => {
    const stop = startIdleCheckpoints(db, clock);
    writePages();
    clock.advance(IDLE_CHECKPOINT_MS);
    db.prepare('INSERT INTO filler (payload) VALUES (zeroblob(10))').run();
    expect(logFrames()).toBeLessThan(10);
    stop();
    expect(clock.pending).toBe(0);
  });
});
