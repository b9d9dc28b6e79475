import { createHash, generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemorySecretStore } from '../../../../src-main/core/secrets/memory-secret-store';
import { directorySnapshotSchema, type DirectorySnapshot } from '../../../../src-main/core/directory/directory-snapshot';
import { SyncRefusedError, type DirectoryChange } from '../../../../src-main/core/sync/directory-source';
import type { DirectoryDelta } from '../../../../src-main/core/directory/directory-delta';
import { GraphDirectorySource, type GraphSourceOptions } from '../../../../src-main/core/sync/graph/graph-source';
import path from 'node:path';
import { AuditLog } from '../../../../src-main/core/idp/audit-log';
import { phoneKeyer } from '../../../../src-main/core/idp/phone-key';
import { openDatabase } from '../../../../src-main/core/store/database';
import { DirectoryRepository } from '../../../../src-main/core/store/directory-repository';
import { applyDirectoryChange } from '../../../../src-main/core/sync/apply-change';
import { defaultAuditRetention } from '../../../../src-main/core/directory/directory-snapshot';
import { FakeClock, tempDir } from '../../../fakes';
import { closedPortOrigin } from '../../sms/loopback-server';
import { startGraphStandIn, StandInDirectory, type GraphStandIn, type StandInCredential, type StandInUser } from './graph-stand-in';
import { AuditRepository } from '../../../../src-main/core/store/audit-repository';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '4a1b2c3d-5e6f-4a8b-9c0d-1e2f3a4b5c6d';
const SECRET_ENTRY = 'graph-client-secret';
const SECRET = 'kX8~stand-in-client-secret.Qw3';

const gid = (n: number) => `9a0e7c1d-0000-4000-a000-${String(n).padStart(12, '0')}`;
const uid = (n: number) => `5b2f8e4a-0000-4000-b000-${String(n).padStart(12, '0')}`;

const STORE = gid(1);
const NIGHT = gid(2);
const WAREHOUSE = gid(3);
const PILOT = gid(4);
const HELPDESK = gid(5);

const ALEX = uid(1);
const PRIYA = uid(2);
const SAM = uid(3);
const MEI = uid(4);
const JORDAN = uid(5);
const TAYLOR = uid(6);
const OUTSIDER = uid(7);

function person(id: string, displayName: string, phoneNumber: string | null, extra: Partial<StandInUser> = {}): StandInUser {
  return {
    id,
    displayName,
    userPrincipalName: `${displayName.split(' ')[0]!.toLowerCase()}@contoso.example`,
    accountEnabled: true,
    phoneMethods: phoneNumber ? [{ id: '3179e48a-750b-4051-897c-87b9720928f7', phoneNumber, phoneType: 'mobile', smsSignInState: 'ready' }] : [],
    ...extra,
  };
}

/**
 * A store's tenant: Store Associates (with Night Shift nested in it) and Warehouse Team are
 * synced; the SMS policy targets SMS Pilot and excludes Night Shift; Taylor is a Global
 * Administrator and Priya a Helpdesk Administrator through a role-assignable group.
 */
function contoso(): StandInDirectory {
  const directory = new StandInDirectory();
  directory.putUser(person(ALEX, 'Alex Rivera', '+1 2065550100'));
  directory.putUser(person(PRIYA, 'Priya Natarajan', '+1 2065550101'));
  directory.putUser(person(SAM, 'Sam Okafor', '+1 2065550102'));
  directory.putUser(person(MEI, 'Mei Chen', '+1 2065550103'));
  directory.putUser(
    person(JORDAN, 'Jordan Blake', null, {
      phoneMethods: [
        { id: 'b6332ec1-7057-4abe-9331-3d72feddfe41', phoneNumber: '+1 2065550104', phoneType: 'alternateMobile', smsSignInState: 'notEnabled' },
        { id: 'e37fc753-ff3b-4958-9484-eaa9425c82bc', phoneNumber: '+1 2065550199', phoneType: 'unknownFutureValue', smsSignInState: 'notSupported' },
      ],
    }),
  );
  directory.putUser(person(TAYLOR, 'Taylor Morgan', '+1 2065550105'));
  directory.putUser(person(OUTSIDER, 'Kim Outside', '+1 2065550106'));
  directory.groups.set(STORE, { displayName: 'Store Associates', members: [ALEX, PRIYA, NIGHT] });
  directory.groups.set(NIGHT, { displayName: 'Night Shift', members: [SAM] });
  directory.groups.set(WAREHOUSE, { displayName: 'Warehouse Team', members: [MEI, JORDAN, TAYLOR] });
  directory.groups.set(PILOT, { displayName: 'SMS Pilot', members: [ALEX, SAM, OUTSIDER] });
  directory.groups.set(HELPDESK, { displayName: 'Helpdesk Admins', members: [PRIYA] });
  directory.roles.set('role-ga', { displayName: 'Global Administrator', members: [TAYLOR] });
  directory.roles.set('role-helpdesk', { displayName: 'Helpdesk Administrator', members: [HELPDESK] });
  directory.policy = { state: 'enabled', includeTargets: [{ id: PILOT, isUsableForSignIn: true }], excludeTargets: [{ id: NIGHT }] };
  return directory;
}

let directory: StandInDirectory;
let standIn: GraphStandIn;
let secrets: MemorySecretStore;
let clock: FakeClock;
let sleeps: number[];
let fetched: string[];
const realFetch = globalThis.fetch;

async function serve(options: { pageSize?: number; credential?: StandInCredential } = {}): Promise<GraphStandIn> {
  await standIn?.close();
  standIn = await startGraphStandIn(directory, options.credential ?? { clientSecret: SECRET }, { tenantId: TENANT, clientId: CLIENT, pageSize: options.pageSize });
  return standIn;
}

beforeEach(async () => {
  directory = contoso();
  secrets = new MemorySecretStore();
  await secrets.set(SECRET_ENTRY, SECRET);
  clock = new FakeClock();
  sleeps = [];
  fetched = [];
  await serve();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await standIn.close();
});

function graphSource(overrides: Partial<GraphSourceOptions> = {}): GraphDirectorySource {
  return new GraphDirectorySource(
    {
      tenantId: TENANT,
      clientId: CLIENT,
      clientSecret: SECRET_ENTRY,
      groupIds: [STORE, WAREHOUSE],
      kioskSettings: { defaultCountry: 'US', organizationName: 'Contoso Store 042' },
      ...standIn.endpoints,
      ...overrides,
    },
    {
      secrets,
      clock,
      fetch: (input, init) => {
        fetched.push(String(input));
        return realFetch(input, init);
      },
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    },
  );
}

function snapshotOf(change: DirectoryChange): DirectorySnapshot & { cursor: string | null } {
  if (change.kind !== 'snapshot') throw new Error(`expected a snapshot, got ${change.kind}`);
  return { ...directorySnapshotSchema.parse(change.snapshot), cursor: change.cursor };
}

function deltaOf(change: DirectoryChange): DirectoryDelta & { cursor: string } {
  if (change.kind !== 'delta') throw new Error(`expected a delta, got ${change.kind}`);
  return { ...change.delta, cursor: change.cursor };
}

async function refusal(promise: Promise<unknown>): Promise<SyncRefusedError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(SyncRefusedError);
  return error as SyncRefusedError;
}

const graphRequests = (pattern: RegExp) => standIn.requests.filter((request) => pattern.test(`${request.method} ${request.path}`));

describe('GraphDirectorySource, first fetch', () => {
  it('reads the users of the configured groups, nested ones included, as a full snapshot', async () => {
    const snapshot = snapshotOf(await graphSource().fetch(null));

    expect(snapshot.users.map((user) => user.id).sort()).toEqual([ALEX, PRIYA, SAM, MEI, JORDAN, TAYLOR].sort());
    const alex = snapshot.users.find((user) => user.id === ALEX)!;
    expect(alex).toEqual({
      id: ALEX,
      displayName: 'Alex Rivera',
      userPrincipalName: 'alex@contoso.example',
      accountEnabled: true,
      isPrivileged: false,
      groupIds: [STORE, PILOT],
      phoneMethods: [{ id: '3179e48a-750b-4051-897c-87b9720928f7', phoneNumber: '+1 2065550100', phoneType: 'mobile', smsSignInState: 'ready' }],
    });
    expect(snapshot.cursor).toMatch(new RegExp(`^${standIn.origin}/v1\\.0/users/delta\\?\\$deltatoken=`));
  });

  it('maps the SMS method configuration and labels users with the groups its targets name', async () => {
    const snapshot = snapshotOf(await graphSource().fetch(null));

    expect(snapshot.smsMethodPolicy).toEqual({
      state: 'enabled',
      includeTargets: [{ id: PILOT, targetType: 'group', isUsableForSignIn: true }],
      excludeTargets: [{ id: NIGHT, targetType: 'group' }],
    });
    expect(snapshot.groups).toEqual([
      { id: STORE, displayName: 'Store Associates' },
      { id: WAREHOUSE, displayName: 'Warehouse Team' },
      { id: PILOT, displayName: 'SMS Pilot' },
      { id: NIGHT, displayName: 'Night Shift' },
    ]);
    expect(snapshot.users.find((user) => user.id === SAM)!.groupIds.sort()).toEqual([STORE, PILOT, NIGHT].sort());
  });

  it('marks holders of a directory role privileged, directly or through a role-assignable group', async () => {
    const snapshot = snapshotOf(await graphSource().fetch(null));
    const privileged = snapshot.users.filter((user) => user.isPrivileged).map((user) => user.id);

    expect(privileged.sort()).toEqual([PRIYA, TAYLOR].sort());
  });

  it('passes phone methods through as Graph gives them, setting aside types newer than v1.0', async () => {
    const change = await graphSource().fetch(null);

    expect(snapshotOf(change).users.find((user) => user.id === JORDAN)!.phoneMethods).toEqual([
      { id: 'b6332ec1-7057-4abe-9331-3d72feddfe41', phoneNumber: '+1 2065550104', phoneType: 'alternateMobile', smsSignInState: 'notEnabled' },
    ]);
    expect(change.kind !== 'unchanged' && change.setAside).toEqual([
      {
        record: 'phoneMethod',
        id: 'e37fc753-ff3b-4958-9484-eaa9425c82bc',
        userId: JORDAN,
        code: 'unknown-phone-type',
        reason: `user ${JORDAN}: phone method e37fc753-ff3b-4958-9484-eaa9425c82bc: phoneType unknownFutureValue is newer than Graph v1.0; it is left out.`,
      },
    ]);
  });

  it('carries the configured kiosk settings in the snapshot', async () => {
    const snapshot = snapshotOf(await graphSource().fetch(null));

    expect(snapshot.kioskSettings).toMatchObject({ defaultCountry: 'US', organizationName: 'Contoso Store 042', codeValiditySeconds: 300 });
  });

  it('follows @odata.nextLink through every page of the delta walk and of group members', async () => {
    await serve({ pageSize: 2 });
    const snapshot = snapshotOf(await graphSource().fetch(null));

    expect(snapshot.users).toHaveLength(6);
    expect(graphRequests(/^GET \/v1\.0\/users\/delta\?\$skiptoken=/).length).toBe(3);
    expect(graphRequests(new RegExp(`^GET /v1\\.0/groups/${WAREHOUSE}/transitiveMembers/microsoft\\.graph\\.user\\?.*\\$skiptoken=2`))).toHaveLength(1);
  });

  it('asks for transitive members with $count and ConsistencyLevel: eventual, as Graph requires', async () => {
    await graphSource().fetch(null);
    const memberReads = graphRequests(/\/transitiveMembers\/microsoft\.graph\.user/);

    expect(memberReads.length).toBeGreaterThanOrEqual(4);
    for (const request of memberReads) {
      expect(request.path).toContain('$count=true');
      expect(request.headers.consistencylevel).toBe('eventual');
    }
  });

  it('reads phone methods through $batch, never more than 20 requests to a batch', async () => {
    for (let n = 100; n < 145; n++) {
      directory.putUser(person(uid(n), `Extra ${n}`, `+1 20655${String(n).padStart(5, '0')}`));
      directory.addMember(STORE, uid(n));
    }
    const snapshot = snapshotOf(await graphSource().fetch(null));

    expect(snapshot.users).toHaveLength(51);
    const batchSizes = graphRequests(/^POST \/v1\.0\/\$batch$/).map((request) => (JSON.parse(request.body) as { requests: unknown[] }).requests.length);
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(20);
    expect(standIn.batched.filter((request) => request.endsWith('/authentication/phoneMethods'))).toHaveLength(51);
  });
});

describe('GraphDirectorySource, applied to the store', () => {
  it('gives snapshots and deltas the store applies, with Graph phone method ids shared across users', async () => {
    const temp = tempDir();
    const db = openDatabase(path.join(temp.dir, 'kiosk.db'));
    try {
      const directory = new DirectoryRepository(db);
      const audit = new AuditLog(new AuditRepository(db), new FakeClock(), phoneKeyer(Buffer.alloc(32, 5)), () => defaultAuditRetention);
      const source = graphSource();
      const first = await source.fetch(null);
      expect(first.kind).toBe('snapshot');
      applyDirectoryChange(first as Extract<DirectoryChange, { kind: 'snapshot' | 'delta' }>, directory, audit);
      expect(directory.holdersOf('+12065550100')).toEqual([expect.objectContaining({ userId: ALEX, smsSignInState: 'ready' })]);
      const next = await source.fetch(snapshotOf(first).cursor);
      applyDirectoryChange(next as Extract<DirectoryChange, { kind: 'snapshot' | 'delta' }>, directory, audit);
      expect(directory.holdersOf('+12065550100')).toHaveLength(1);
    } finally {
      db.close();
      temp.remove();
    }
  });
});

describe('GraphDirectorySource, later fetches', () => {
  it('returns a delta with the changed users re-read with their phone methods, and the deleted ones removed', async () => {
    const source = graphSource();
    const first = snapshotOf(await source.fetch(null));
    directory.updateUser(ALEX, { accountEnabled: false });
    directory.setPhoneMethods(ALEX, [{ id: 'c1d2e3f4-0000-4000-8000-000000000001', phoneNumber: '+1 2065550177', phoneType: 'mobile', smsSignInState: 'ready' }]);
    directory.deleteUser(JORDAN);
    standIn.batched.length = 0;

    const delta = deltaOf(await source.fetch(first.cursor));

    expect(delta.users.upserted).toHaveLength(1);
    expect(delta.users.upserted[0]).toMatchObject({ id: ALEX, accountEnabled: false, phoneMethods: [{ phoneNumber: '+1 2065550177' }] });
    expect(delta.users.removed).toEqual([JORDAN]);
    expect(delta.groups).toEqual({ upserted: [], removed: [] });
    expect(delta.smsMethodPolicy).toBeUndefined();
    expect(standIn.batched.filter((request) => request.startsWith('GET /users/'))).toEqual([`GET /users/${ALEX}/authentication/phoneMethods`]);
    expect(delta.cursor).not.toBe(first.cursor);
  });

  it('removes a user who left the configured groups and adds one who joined', async () => {
    const source = graphSource();
    const first = snapshotOf(await source.fetch(null));
    directory.removeMember(WAREHOUSE, MEI);
    directory.addMember(WAREHOUSE, OUTSIDER);

    const delta = deltaOf(await source.fetch(first.cursor));

    expect(delta.users.removed).toEqual([MEI]);
    expect(delta.users.upserted).toEqual([
      expect.objectContaining({ id: OUTSIDER, groupIds: [WAREHOUSE, PILOT], phoneMethods: [expect.objectContaining({ phoneNumber: '+1 2065550106' })] }),
    ]);
  });

  it('re-reads a user whose groups or role changed though their own properties did not', async () => {
    const source = graphSource();
    const first = snapshotOf(await source.fetch(null));
    directory.removeMember(HELPDESK, PRIYA);
    directory.addMember(PILOT, MEI);

    const delta = deltaOf(await source.fetch(first.cursor));

    expect(delta.users.upserted.map((user) => [user.id, user.isPrivileged, user.groupIds])).toEqual(
      expect.arrayContaining([
        [PRIYA, false, [STORE]],
        [MEI, false, [WAREHOUSE, PILOT]],
      ]),
    );
    expect(delta.users.upserted).toHaveLength(2);
  });

  it('includes the SMS policy and its new target group only when they changed', async () => {
    const source = graphSource();
    const first = snapshotOf(await source.fetch(null));
    const unchanged = deltaOf(await source.fetch(first.cursor));
    directory.policy = { state: 'disabled', includeTargets: [{ id: HELPDESK, isUsableForSignIn: false }], excludeTargets: [] };

    const changed = deltaOf(await source.fetch(unchanged.cursor));

    expect(unchanged.smsMethodPolicy).toBeUndefined();
    expect(changed.smsMethodPolicy).toEqual({ state: 'disabled', includeTargets: [{ id: HELPDESK, targetType: 'group', isUsableForSignIn: false }], excludeTargets: [] });
    expect(changed.groups).toEqual({ upserted: [{ id: HELPDESK, displayName: 'Helpdesk Admins' }], removed: [PILOT, NIGHT] });
    expect(changed.users.upserted.find((user) => user.id === PRIYA)?.groupIds).toEqual([STORE, HELPDESK]);
  });

  it('answers a cursor it did not hand out itself (after a restart) with a full snapshot', async () => {
    const first = snapshotOf(await graphSource().fetch(null));

    const change = await graphSource().fetch(first.cursor);

    expect(snapshotOf(change).users).toHaveLength(6);
  });

  it('reads everything again once the full-sync interval has passed, catching phone numbers changed on their own', async () => {
    const source = graphSource({ fullSyncIntervalMinutes: 60 });
    const first = snapshotOf(await source.fetch(null));
    directory.setPhoneMethods(SAM, [{ id: 'c1d2e3f4-0000-4000-8000-000000000002', phoneNumber: '+1 2065550188', phoneType: 'mobile', smsSignInState: 'ready' }]);
    clock.advance(30 * 60_000);
    const early = deltaOf(await source.fetch(first.cursor));
    clock.advance(30 * 60_000);

    const late = snapshotOf(await source.fetch(early.cursor));

    expect(early.users.upserted).toEqual([]);
    expect(late.users.find((user) => user.id === SAM)!.phoneMethods[0]!.phoneNumber).toBe('+1 2065550188');
  });

  it('starts a new round with a full snapshot when Graph says the delta link is gone (410)', async () => {
    const source = graphSource();
    const first = snapshotOf(await source.fetch(null));
    standIn.failNext(/\$deltatoken=/, { status: 410, body: { error: { code: 'syncStateNotFound', message: 'Gone' } } });

    const change = await source.fetch(first.cursor);

    expect(snapshotOf(change).users).toHaveLength(6);
  });
});

describe('GraphDirectorySource, the shapes Graph really answers with', () => {
  // Jordan's phone of a type newer than v1.0 is always set aside; these tests look at the rest.
  const newerType = (record: { code: string }) => record.code !== 'unknown-phone-type';
  const setAsideOf = (change: DirectoryChange) => (change.kind === 'unchanged' ? [] : (change.setAside ?? [])).filter(newerType);

  async function appliedToStore(change: DirectoryChange) {
    const temp = tempDir();
    const db = openDatabase(path.join(temp.dir, 'kiosk.db'));
    const directory = new DirectoryRepository(db);
    const audit = new AuditLog(new AuditRepository(db), new FakeClock(), phoneKeyer(Buffer.alloc(32, 5)), () => defaultAuditRetention);
    const applied = applyDirectoryChange(change as Extract<DirectoryChange, { kind: 'snapshot' | 'delta' }>, directory, audit);
    return { applied, directory, close: () => (db.close(), temp.remove()) };
  }

  it('reads an office number with an extension (+1 5555551234x123) without stopping the tenant', async () => {
    directory.setPhoneMethods(MEI, [
      ...directory.users.get(MEI)!.phoneMethods,
      { id: '3a2b1c0d-0000-4000-8000-000000000001', phoneNumber: '+1 2065550177x123', phoneType: 'office', smsSignInState: 'notSupported' },
      { id: '3a2b1c0d-0000-4000-8000-000000000002', phoneNumber: '+1 5555551234x123', phoneType: 'alternateMobile', smsSignInState: 'notSupported' },
    ]);

    const store = await appliedToStore(await graphSource().fetch(null));
    try {
      expect(store.directory.holdersOf('+12065550103')).toEqual([expect.objectContaining({ userId: MEI, smsSignInState: 'ready' })]);
      expect(store.directory.holdersOf('+12065550177')).toEqual([expect.objectContaining({ userId: MEI, phoneType: 'office' })]);
      expect(store.applied.setAside.filter(newerType)).toEqual([expect.objectContaining({ record: 'phoneMethod', userId: MEI, code: 'unreadable-number' })]);
    } finally {
      store.close();
    }
  });

  it('sets aside only the user whose mobile number cannot be read', async () => {
    directory.setPhoneMethods(SAM, [{ id: '3179e48a-750b-4051-897c-87b9720928f7', phoneNumber: '+1 206', phoneType: 'mobile', smsSignInState: 'ready' }]);

    const store = await appliedToStore(await graphSource().fetch(null));
    try {
      expect(store.applied.setAside.filter(newerType)).toEqual([expect.objectContaining({ record: 'user', id: SAM, code: 'unreadable-mobile' })]);
      expect(store.directory.holdersOf('+12065550100')).toEqual([expect.objectContaining({ userId: ALEX, smsSignInState: 'ready' })]);
    } finally {
      store.close();
    }
  });

  it('reads a null phoneNumber as no number: the method is left out, its user kept', async () => {
    directory.setPhoneMethods(MEI, [...directory.users.get(MEI)!.phoneMethods, { id: 'e37fc753-0000-4000-8000-000000000003', phoneNumber: null, phoneType: 'office', smsSignInState: 'notSupported' }]);

    const snapshot = snapshotOf(await graphSource().fetch(null));

    expect(snapshot.users.find((user) => user.id === MEI)!.phoneMethods.map((phone) => phone.phoneType)).toEqual(['mobile']);
  });

  it('sets aside a phone method Graph sends in a shape the kiosk cannot read, naming the field but not the number', async () => {
    standIn.failNext(new RegExp(`^GET /users/${MEI}/authentication/phoneMethods`), {
      status: 200,
      body: { value: [{ id: 'm-1', phoneNumber: '+1 2065550103', phoneType: 'mobile', smsSignInState: 'sometimes' }, { id: 'm-2', phoneNumber: '+1 2065550113', phoneType: 'mobile', smsSignInState: 'ready' }] },
    });

    const change = await graphSource().fetch(null);

    expect(snapshotOf(change).users.find((user) => user.id === MEI)!.phoneMethods.map((phone) => phone.id)).toEqual(['m-2']);
    const [record] = setAsideOf(change);
    expect(record).toMatchObject({ record: 'phoneMethod', id: 'm-1', userId: MEI, code: 'unreadable-phone-method' });
    expect(record!.reason).toContain('smsSignInState');
    expect(record!.reason).not.toContain('2065550103');
  });

  it('sets aside a user in scope whose delta item lacks a field the kiosk needs, holding their numbers', async () => {
    standIn.failNext(/^GET \/users\/delta/, {
      status: 200,
      body: { value: [{ id: ALEX, displayName: 'Alex Rivera', userPrincipalName: 'alex@contoso.example', accountEnabled: 'yes' }], '@odata.deltaLink': `${standIn.origin}/v1.0/users/delta?$deltatoken=1` },
    });

    const change = await graphSource().fetch(null);

    expect(snapshotOf(change).users).toEqual([]);
    expect(setAsideOf(change)).toEqual([
      { record: 'user', id: ALEX, code: 'invalid-user', reason: expect.stringMatching(/accountEnabled/), heldNumbers: ['+1 2065550100'] },
    ]);
  });

  it('sets aside a user the kiosk cannot hold (a display name over 256 characters)', async () => {
    directory.updateUser(PRIYA, { displayName: 'P'.repeat(300) });

    const change = await graphSource().fetch(null);

    expect(snapshotOf(change).users.map((user) => user.id)).not.toContain(PRIYA);
    expect(setAsideOf(change)).toEqual([expect.objectContaining({ record: 'user', id: PRIYA, code: 'invalid-user', reason: expect.stringMatching(/displayName/) })]);
  });

  it('reads legacy user targets for include and exclude, asking Graph for no group by a user id', async () => {
    directory.policy = {
      state: 'enabled',
      includeTargets: [{ id: ALEX, targetType: 'user', isUsableForSignIn: true }, { id: PILOT, isUsableForSignIn: true }],
      excludeTargets: [{ id: SAM, targetType: 'user' }],
    };

    const snapshot = snapshotOf(await graphSource().fetch(null));

    expect(snapshot.smsMethodPolicy).toEqual({
      state: 'enabled',
      includeTargets: [{ id: ALEX, targetType: 'user', isUsableForSignIn: true }, { id: PILOT, targetType: 'group', isUsableForSignIn: true }],
      excludeTargets: [{ id: SAM, targetType: 'user' }],
    });
    expect(graphRequests(new RegExp(`/groups/(${ALEX}|${SAM})`))).toEqual([]);
    expect(standIn.batched.filter((request) => request.includes(`/groups/${ALEX}`))).toEqual([]);
  });

  it('sets aside an unknownFutureValue include target, and reads one in excludeTargets as excluding everyone', async () => {
    directory.policy = {
      state: 'enabled',
      includeTargets: [{ id: PILOT, isUsableForSignIn: true }, { id: HELPDESK, targetType: 'unknownFutureValue', isUsableForSignIn: true }],
      excludeTargets: [{ id: NIGHT, targetType: 'unknownFutureValue' }],
    };

    const change = await graphSource().fetch(null);

    expect(snapshotOf(change).smsMethodPolicy).toEqual({
      state: 'enabled',
      includeTargets: [{ id: PILOT, targetType: 'group', isUsableForSignIn: true }],
      excludeTargets: [{ id: 'all_users', targetType: 'group' }],
    });
    expect(setAsideOf(change).map((record) => [record.record, record.id, record.code])).toEqual([
      ['target', HELPDESK, 'unknown-target-type'],
      ['target', NIGHT, 'unknown-target-type'],
    ]);
  });

  it('reads an SMS policy without excludeTargets as excluding nobody', async () => {
    delete directory.policy.excludeTargets;

    const snapshot = snapshotOf(await graphSource().fetch(null));

    expect(snapshot.smsMethodPolicy.excludeTargets).toEqual([]);
  });

  it('fails closed on a role member without @odata.type: a synced user is privileged, a group makes its members privileged', async () => {
    directory.untypedRoleMembers.add(TAYLOR);
    directory.untypedRoleMembers.add(HELPDESK);
    directory.roles.set('role-ghost', { displayName: 'Reports Reader', members: ['0a0b0c0d-0000-4000-8000-00000000dead'] });
    directory.untypedRoleMembers.add('0a0b0c0d-0000-4000-8000-00000000dead');

    const change = await graphSource().fetch(null);

    expect(snapshotOf(change).users.filter((user) => user.isPrivileged).map((user) => user.id).sort()).toEqual([PRIYA, TAYLOR].sort());
    expect(setAsideOf(change).map((record) => [record.record, record.id, record.code])).toEqual([
      ['roleMember', TAYLOR, 'untyped-role-member'],
      ['roleMember', HELPDESK, 'untyped-role-member'],
      ['roleMember', '0a0b0c0d-0000-4000-8000-00000000dead', 'untyped-role-member'],
    ]);
    expect(setAsideOf(change)[0]!.reason).toMatch(/Global Administrator.*treated as privileged/);
  });

  it.each([
    [400, 'syncStateNotFound'],
    [400, 'resyncRequired'],
    [404, 'syncStateNotFound'],
    [410, 'generalException'],
  ])('starts a new round with a full read when Graph answers the delta link with %i %s', async (status, code) => {
    const source = graphSource();
    const first = snapshotOf(await source.fetch(null));
    standIn.failNext(/\$deltatoken=/, { status, body: { error: { code, message: 'The sync state is gone.' } } });

    expect(snapshotOf(await source.fetch(first.cursor)).users).toHaveLength(6);
  });

  it('still refuses another 400 on the delta link', async () => {
    const source = graphSource();
    const first = snapshotOf(await source.fetch(null));
    standIn.failNext(/\$deltatoken=/, { status: 400, body: { error: { code: 'Request_BadRequest', message: 'Bad.' } } });

    expect((await refusal(source.fetch(first.cursor))).reason).toBe('http-400');
  });
});

describe('GraphDirectorySource, throttling', () => {
  it('waits as long as Retry-After asks on 429 and 503, then carries on', async () => {
    standIn.failNext(/^GET \/policies\//, { status: 503, retryAfter: 2 });
    standIn.failNext(/^GET \/users\/delta/, { status: 429, retryAfter: 7 });

    const snapshot = snapshotOf(await graphSource().fetch(null));

    expect(sleeps).toEqual([2000, 7000]);
    expect(snapshot.users).toHaveLength(6);
  });

  it('sends a request Graph throttled inside a $batch again after its own Retry-After', async () => {
    standIn.failNext(new RegExp(`^GET /users/${SAM}/authentication/phoneMethods`), { status: 429, retryAfter: 5 }, 2);

    const snapshot = snapshotOf(await graphSource().fetch(null));

    expect(sleeps).toEqual([5000, 5000]);
    expect(standIn.batched.filter((request) => request === `GET /users/${SAM}/authentication/phoneMethods`)).toHaveLength(3);
    expect(snapshot.users.find((user) => user.id === SAM)!.phoneMethods).toHaveLength(1);
  });

  it('gives up after the retry bound, refusing as throttled with when to come back', async () => {
    standIn.failNext(/^GET \/users\/delta/, { status: 429, retryAfter: 3 }, 10);

    const error = await refusal(graphSource({ maxRetries: 2 }).fetch(null));

    expect(error.reason).toBe('throttled');
    expect(error.message).toContain('GET /users/delta');
    expect(error.retryAt).toBe(clock.now() + 3000);
    expect(sleeps).toEqual([3000, 3000]);
    expect(graphRequests(/^GET \/v1\.0\/users\/delta/)).toHaveLength(3);
  });

  it('refuses at once when Retry-After is longer than the kiosk will hold a sync open', async () => {
    standIn.failNext(/^GET \/policies\//, { status: 429, retryAfter: 900 });

    const error = await refusal(graphSource({ maxRetryWaitSeconds: 120 }).fetch(null));

    expect(error.reason).toBe('throttled');
    expect(error.retryAt).toBe(clock.now() + 900_000);
    expect(sleeps).toEqual([]);
  });

  it("waits out Microsoft's decimal Retry-After (2.128 s, rounded up), and a 2.5 that is no date in 2001", async () => {
    standIn.failNext(/^GET \/policies\//, { status: 429, retryAfter: '2.128' });
    standIn.failNext(/^GET \/users\/delta/, { status: 429, retryAfter: '2.5' });
    standIn.failNext(new RegExp(`^GET /users/${SAM}/authentication/phoneMethods`), { status: 429, retryAfter: '0.5' });

    await graphSource().fetch(null);

    expect(sleeps).toEqual([3000, 3000, 1000]);
  });

  it('waits until an HTTP-date Retry-After', async () => {
    standIn.failNext(/^GET \/policies\//, { status: 503, retryAfter: new Date(clock.now() + 42_000).toUTCString() });

    await graphSource().fetch(null);

    expect(sleeps).toEqual([42_000]);
  });

  it('backs off 1, 2, 4 s when a 503 comes without Retry-After', async () => {
    standIn.failNext(/^GET \/directoryRoles\?/, { status: 503 }, 3);

    await graphSource().fetch(null);

    expect(sleeps).toEqual([1000, 2000, 4000]);
  });
});

describe('GraphDirectorySource, failures', () => {
  it('rejects the whole fetch when page 2 of the delta walk fails, returning nothing', async () => {
    await serve({ pageSize: 2 });
    standIn.failNext(/^GET \/users\/delta\?\$skiptoken=/, { status: 500 });

    const error = await refusal(graphSource().fetch(null));

    expect(error.reason).toBe('http-500');
    expect(error.message).toBe('Microsoft Graph refused GET /users/delta (HTTP 500 generalException).');
  });

  it('keeps the last cursor usable after a delta that failed half way, so no change is lost', async () => {
    const source = graphSource();
    const first = snapshotOf(await source.fetch(null));
    directory.updateUser(PRIYA, { displayName: 'Priya N. Natarajan' });
    standIn.failNext(/phoneMethods$/, { status: 500 });
    await refusal(source.fetch(first.cursor));

    const delta = deltaOf(await source.fetch(first.cursor));

    expect(delta.users.upserted.map((user) => user.displayName)).toEqual(['Priya N. Natarajan']);
  });

  it('refuses a nextLink that leaves Graph rather than send the token there', async () => {
    standIn.failNext(/^GET \/users\/delta/, { status: 200, body: { value: [], '@odata.nextLink': 'https://graph.evil.example/v1.0/users/delta?$skiptoken=x' } });

    const error = await refusal(graphSource().fetch(null));

    expect(error.reason).toBe('graph-shape');
    expect(error.message).toContain('@odata.nextLink');
    expect(fetched.some((url) => url.includes('evil'))).toBe(false);
  });

  it('names the application permission the app lacks when Graph answers 403', async () => {
    standIn.failNext(/phoneMethods$/, { status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } });

    const error = await refusal(graphSource().fetch(null));

    expect(error.reason).toBe('http-403');
    expect(error.message).toContain('Authorization_RequestDenied');
    expect(error.message).toContain('UserAuthenticationMethod.Read.All');
  });

  it('refuses when a configured group does not exist', async () => {
    const missing = gid(99);

    const error = await refusal(graphSource({ groupIds: [STORE, missing] }).fetch(null));

    expect(error.reason).toBe('group-not-found');
    expect(error.message).toContain(missing);
  });

  it('times out a request Graph never answers', async () => {
    standIn.failNext(/^GET \/policies\//, { status: 200, hang: true });

    const error = await refusal(graphSource({ timeoutMs: 200 }).fetch(null));

    expect(error.reason).toBe('timeout');
    expect(error.message).toBe('Microsoft Graph did not answer GET /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/sms within 200 ms.');
  });

  it('stops when the sync is aborted while waiting out a Retry-After, returning nothing', async () => {
    const controller = new AbortController();
    standIn.failNext(/^GET \/users\/delta/, { status: 429, retryAfter: 30 });
    const source = new GraphDirectorySource(
      { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET_ENTRY, groupIds: [STORE], kioskSettings: { defaultCountry: 'US', organizationName: 'Contoso' }, ...standIn.endpoints },
      {
        secrets,
        clock,
        sleep: () => {
          controller.abort();
          return Promise.reject(new Error('aborted'));
        },
      },
    );

    const error = await refusal(source.fetch(null, controller.signal));

    expect(error.reason).toBe('aborted');
    expect(error.message).toContain('GET /users/delta');
  });

  it('refuses a second fetch while the first still runs', async () => {
    const source = graphSource();
    const first = source.fetch(null);

    const error = await refusal(source.fetch(null));

    expect(error.reason).toBe('busy');
    expect(snapshotOf(await first).users).toHaveLength(6);
  });

  it('refuses when the token endpoint cannot be reached', async () => {
    const metadata = JSON.parse(standIn.endpoints.authorityMetadata) as Record<string, string>;
    const closed = await closedPortOrigin();
    const source = graphSource({ authorityMetadata: JSON.stringify({ ...metadata, token_endpoint: `${closed}/${TENANT}/oauth2/v2.0/token` }) });

    const error = await refusal(source.fetch(null));

    expect(error.reason).toBe('network');
    expect(error.message).toBe(`Microsoft Entra ID could not be reached for POST /${TENANT}/oauth2/v2.0/token (ECONNREFUSED).`);
  });
});

describe('GraphDirectorySource, credentials', () => {
  it('reads the client secret from the keychain at each fetch, so a rotated secret is used at once', async () => {
    const source = graphSource();
    await source.fetch(null);
    await secrets.set(SECRET_ENTRY, 'rotated-but-not-in-entra');

    const error = await refusal(source.fetch(null));

    expect(error.reason).toBe('graph-auth');
    expect(error.message).toContain('invalid_client');
    expect(error.message).toContain('AADSTS7000215');
    expect(error.message).toContain(SECRET_ENTRY);
    expect(error.message).not.toContain('rotated-but-not-in-entra');
  });

  it('refuses clearly, with no HTTP request at all, when the keychain has no client secret', async () => {
    await secrets.delete(SECRET_ENTRY);

    const error = await refusal(graphSource().fetch(null));

    expect(error.reason).toBe('missing-secret');
    expect(error.message).toBe(`The keychain has no entry "${SECRET_ENTRY}" (the Microsoft Graph client secret). Add it, then sync again.`);
    expect(standIn.requests).toEqual([]);
    expect(fetched).toEqual([]);
  });

  it('signs in with a certificate: a client assertion signed with the private key from the keychain', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const thumbprintSha256 = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
    await serve({ credential: { certificate: { publicKey, thumbprintSha256 } } });
    await secrets.set('graph-certificate-key', privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());

    const source = graphSource({ clientSecret: undefined, certificate: { privateKeySecret: 'graph-certificate-key', thumbprintSha256 } });
    const snapshot = snapshotOf(await source.fetch(null));

    expect(snapshot.users).toHaveLength(6);
    expect(standIn.tokensIssued()).toBe(1);
  });

  it('refuses a keychain entry that holds no private key, before any request', async () => {
    await secrets.set('graph-certificate-key', 'not a key');
    const source = graphSource({ clientSecret: undefined, certificate: { privateKeySecret: 'graph-certificate-key', thumbprintSha256: 'ab'.repeat(32) } });

    const error = await refusal(source.fetch(null));

    expect(error.reason).toBe('bad-secret');
    expect(fetched).toEqual([]);
  });

  it('asks nobody but the configured authority and Graph: no discovery, no other host', async () => {
    const globalFetch = vi.spyOn(globalThis, 'fetch');

    await graphSource().fetch(null);

    expect(fetched.length).toBeGreaterThan(0);
    expect(fetched.filter((url) => !url.startsWith(`${standIn.origin}/`))).toEqual([]);
    expect(globalFetch).not.toHaveBeenCalled();
    expect(standIn.unexpected).toEqual([]);
    const paths = standIn.requests.map((request) => request.path.split('?')[0]!);
    expect(paths.filter((path) => !path.startsWith('/v1.0/'))).toEqual([`/${TENANT}/oauth2/v2.0/token`]);
  });

  it('sends the bearer token only to Graph, and puts neither token nor secret in any request path', async () => {
    await graphSource().fetch(null);

    const graphCalls = standIn.requests.filter((request) => request.path.startsWith('/v1.0/'));
    expect(graphCalls.every((request) => /^Bearer stand-in-[0-9a-f]{32}$/.test(String(request.headers.authorization)))).toBe(true);
    expect(standIn.requests.some((request) => request.path.includes(SECRET))).toBe(false);
  });
});

describe('GraphDirectorySource in national clouds', () => {
  it.each([
    ['global', 'login.microsoftonline.com', 'https://graph.microsoft.com/.default'],
    ['usGov', 'login.microsoftonline.us', 'https://graph.microsoft.us/.default'],
    ['usGovDoD', 'login.microsoftonline.us', 'https://dod-graph.microsoft.us/.default'],
    ['china', 'login.chinacloudapi.cn', 'https://microsoftgraph.chinacloudapi.cn/.default'],
  ] as const)('signs in at the %s cloud’s own host, for its own Graph', async (cloud, loginHost, scope) => {
    const asked: Array<{ url: string; body: string }> = [];
    const source = new GraphDirectorySource(
      { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET_ENTRY, groupIds: [STORE], kioskSettings: { defaultCountry: 'US', organizationName: 'Contoso' }, cloud },
      {
        secrets,
        clock,
        fetch: (input, init) => {
          asked.push({ url: String(input), body: String(init?.body ?? '') });
          return Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } }));
        },
      },
    );

    await refusal(source.fetch(null));

    expect(asked.length).toBeGreaterThan(0);
    expect(asked.map(({ url }) => new URL(url).host)).toEqual(asked.map(() => loginHost));
    const tokenRequest = asked.find(({ url }) => url.endsWith('/oauth2/v2.0/token'));
    if (tokenRequest) expect(new URLSearchParams(tokenRequest.body).get('scope')).toBe(scope);
  });

  it('takes expert overrides of both hosts, https only (plain http to this machine only)', () => {
    expect(() => graphSource({ cloud: 'usGov', graphBaseUrl: 'http://graph.gateway.example/v1.0' })).toThrow(/graphBaseUrl/);
    expect(() => graphSource({ cloud: 'usGov' })).not.toThrow();
  });
});

describe('GraphDirectorySource configuration', () => {
  const base = { tenantId: TENANT, clientId: CLIENT, groupIds: [STORE], kioskSettings: { defaultCountry: 'SE', organizationName: 'Contoso' } };

  it('needs exactly one of a client secret and a certificate', () => {
    const both = { ...base, clientSecret: 'a', certificate: { privateKeySecret: 'b', thumbprintSha256: 'ab'.repeat(32) } };
    expect(() => new GraphDirectorySource(both, { secrets, clock })).toThrow('Microsoft Graph source: clientSecret: set exactly one of clientSecret and certificate');
    expect(() => new GraphDirectorySource(base, { secrets, clock })).toThrow('set exactly one of clientSecret and certificate');
  });

  it('names the field of a bad setting', () => {
    expect(() => new GraphDirectorySource({ ...base, clientSecret: 'a', groupIds: ['Store Associates'] }, { secrets, clock })).toThrow('groupIds.0: must be a GUID');
    expect(() => new GraphDirectorySource({ ...base, clientSecret: 'a', graphBaseUrl: 'http://graph.example/v1.0' }, { secrets, clock })).toThrow('graphBaseUrl');
  });

  it('never lets authority metadata send the client secret over plain http to another machine', () => {
    const metadata = JSON.stringify({ token_endpoint: 'http://login.example/tenant/oauth2/v2.0/token' });
    expect(() => new GraphDirectorySource({ ...base, clientSecret: 'a', authorityMetadata: metadata }, { secrets, clock })).toThrow('authorityMetadata: must be JSON whose token_endpoint is an https: URL');
  });

  it('accepts a thumbprint as openssl prints it, with colons', () => {
    const printed = Array.from({ length: 32 }, () => 'AB').join(':');
    expect(() => new GraphDirectorySource({ ...base, certificate: { privateKeySecret: 'k', thumbprintSha256: printed } }, { secrets, clock })).not.toThrow();
  });
});
