import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src-main/core/idp/audit-log';
import { openDatabase, type KioskDatabase } from '../../../src-main/core/store/database';
import { DirectoryRepository } from '../../../src-main/core/store/directory-repository';
import { applySnapshot, SnapshotRejectedError } from '../../../src-main/core/sync/apply-snapshot';
import { demoTenant } from '../../../src-main/core/modes/demo-tenant';
import { defaultAuditRetention } from '../../../src-main/core/directory/directory-snapshot';
import { phoneKeyer } from '../../../src-main/core/idp/phone-key';
import { FakeClock, tempDir } from '../../fakes';
import { AuditRepository } from '../../../src-main/core/store/audit-repository';

let temp: ReturnType<typeof tempDir>;
let db: KioskDatabase;
let directory: DirectoryRepository;
let audit: AuditLog;
beforeEach(() => {
  temp = tempDir();
  db = openDatabase(path.join(temp.dir, 'kiosk.db'));
  directory = new DirectoryRepository(db);
  audit = new AuditLog(new AuditRepository(db), new FakeClock(), phoneKeyer(Buffer.alloc(32, 1)), () => defaultAuditRetention);
});
afterEach(() => {
  db.close();
  temp.remove();
});

describe('applying a directory snapshot', () => {
  it('stores the demo tenant with every number in E.164', () => {
    applySnapshot(structuredClone(demoTenant), directory, audit);
    expect(directory.holdersOf('+12065550100')).toEqual([
      expect.objectContaining({ displayName: 'Alex Rivera', accountEnabled: true, smsSignInState: 'ready', groupIds: ['grp-store'] }),
    ]);
    expect(directory.kioskSettings()).toMatchObject({ defaultCountry: 'US' });
    expect(directory.smsMethodPolicy().state).toBe('enabled');
  });

  it('refuses a snapshot with a malformed number whole, keeping the last good copy', () => {
    applySnapshot(structuredClone(demoTenant), directory, audit);
    const bad = structuredClone(demoTenant);
    bad.users![0]!.displayName = 'Renamed';
    bad.users![1]!.phoneMethods![0]!.phoneNumber = '12';
    expect(() => applySnapshot(bad, directory, audit)).toThrow(SnapshotRejectedError);
    expect(() => applySnapshot(bad, directory, audit)).toThrow(/u-priya.*too short/);
    expect(directory.displayNameOf('u-alex')).toBe('Alex Rivera');
  });

  it('refuses a snapshot that does not match the schema, naming the field', () => {
    const bad = structuredClone(demoTenant) as Record<string, unknown>;
    bad.smsMethodPolicy = { state: 'sometimes', includeTargets: [] };
    expect(() => applySnapshot(bad, directory, audit)).toThrow(/smsMethodPolicy\.state/);
    expect(directory.isEmpty()).toBe(true);
  });

  it('refuses a snapshot whose users name a group that does not exist, changing nothing', () => {
    applySnapshot(structuredClone(demoTenant), directory, audit);
    const bad = structuredClone(demoTenant);
    bad.users![0]!.groupIds = ['grp-missing'];
    expect(() => applySnapshot(bad, directory, audit)).toThrow(/grp-missing, which the directory does not have/);
    expect(directory.holdersOf('+12065550100')[0]!.groupIds).toEqual(['grp-store']);
  });
});
