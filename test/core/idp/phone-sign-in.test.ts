import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/result';
import { AuditLog } from '../../../src-main/core/idp/audit-log';
import { SignInLockout } from '../../../src-main/core/idp/lockout';
import { phoneKeyer } from '../../../src-main/core/idp/phone-key';
import { PhoneSignIn } from '../../../src-main/core/idp/phone-sign-in';
import { SendLimits } from '../../../src-main/core/idp/send-limits';
import { SendTiming } from '../../../src-main/core/idp/send-timing';
import type { SmsMessage, SmsSender } from '../../../src-main/core/sms/sms-sender';
import { ChallengeRepository } from '../../../src-main/core/store/challenge-repository';
import { openDatabase, type KioskDatabase } from '../../../src-main/core/store/database';
import { DirectoryRepository } from '../../../src-main/core/store/directory-repository';
import { applySnapshot } from '../../../src-main/core/sync/apply-snapshot';
import { demoTenant } from '../../../src-main/core/modes/demo-tenant';
import { defaultAuditRetention } from '../../../src-main/core/directory/directory-snapshot';
import { FakeClock, seededRandom, tempDir } from '../../fakes';
import { silentLogger } from '../../../src-main/core/base/log';
import { FakeStopwatch } from '../kiosk-harness';
import { AuditRepository } from '../../../src-main/core/store/audit-repository';
import { LockoutRepository } from '../../../src-main/core/store/lockout-repository';
import { SendLogRepository } from '../../../src-main/core/store/send-log-repository';

// The identity provider on its own, below the device session: what it guarantees must not
// depend on the session happening to refuse a stale challenge first.

class Outbox implements SmsSender {
  readonly provider = 'test';
  readonly sent: SmsMessage[] = [];
  send(message: SmsMessage): Promise<void> {
    this.sent.push(message);
    return Promise.resolve();
  }
  lastCode(): string {
    return /\b(\d{6})\b/.exec(this.sent.at(-1)?.body ?? '')?.[1] ?? '';
  }
}

let temp: ReturnType<typeof tempDir>;
let db: KioskDatabase;
let idp: PhoneSignIn;
let outbox: Outbox;
let directory: DirectoryRepository;
let audit: AuditLog;
const clock = new FakeClock();

beforeEach(() => {
  temp = tempDir();
  db = openDatabase(path.join(temp.dir, 'kiosk.db'));
  const random = seededRandom(temp.dir);
  const phoneKey = phoneKeyer(Buffer.alloc(32, 3));
  directory = new DirectoryRepository(db);
  audit = new AuditLog(new AuditRepository(db), clock, phoneKey, () => defaultAuditRetention);
  applySnapshot(structuredClone(demoTenant), directory, audit);
  outbox = new Outbox();
  idp = new PhoneSignIn({
    directory,
    challenges: new ChallengeRepository(db),
    lockout: new SignInLockout(new LockoutRepository(db), clock),
    limits: new SendLimits(new SendLogRepository(db), clock),
    timing: new SendTiming(new FakeStopwatch(), new SendLogRepository(db), clock),
    audit,
    sms: outbox,
    clock,
    random,
    codeKey: Buffer.alloc(32, 9),
    phoneKey,
    settings: () => directory.kioskSettings()!,
    transaction: (work) => db.transaction(work)(),
    directorySyncedAt: () => undefined,
    log: silentLogger,
  });
});

afterEach(() => {
  db.close();
  temp.remove();
});

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}
const codeOf = (result: Result<unknown>) => (result.ok ? 'ok' : result.error.code);

describe('the identity provider', () => {
  it('refuses a code that has already signed someone in', async () => {
    const { challengeId } = value(await idp.start('+12065550100'));
    const code = outbox.lastCode();
    expect(value(idp.verify(challengeId, code, (who) => who))).toMatchObject({ userId: 'u-alex' });
    expect(codeOf(idp.verify(challengeId, code, (who) => who))).toBe('code.used');
  });

  it('refuses a correct code when the account was disabled after it was sent', async () => {
    const { challengeId } = value(await idp.start('+12065550100'));
    db.prepare("UPDATE users SET account_enabled = 0 WHERE id = 'u-alex'").run();
    expect(codeOf(idp.verify(challengeId, outbox.lastCode(), (who) => who))).toBe('code.wrong');
    expect(audit.query({ types: ['signIn.verify'], limit: 1 })[0]).toMatchObject({ reason: 'noLongerEligible' });
  });

  it('refuses a correct code when the phone was taken off the user after it was sent', async () => {
    const { challengeId } = value(await idp.start('+12065550100'));
    db.prepare("DELETE FROM phone_methods WHERE user_id = 'u-alex'").run();
    expect(codeOf(idp.verify(challengeId, outbox.lastCode(), (who) => who))).toBe('code.wrong');
  });

  it('keeps a sign-in in progress through a directory sync', async () => {
    const { challengeId } = value(await idp.start('+12065550100'));
    applySnapshot(structuredClone(demoTenant), directory, audit);
    expect(value(idp.verify(challengeId, outbox.lastCode(), (who) => who))).toMatchObject({ userId: 'u-alex' });
  });

  it('treats a user holding the same number twice as one holder, not as a shared number', async () => {
    db.prepare(
      "INSERT INTO phone_methods (id, user_id, phone_number, phone_type, sms_sign_in_state) VALUES ('alt', 'u-alex', '+12065550100', 'alternateMobile', 'notEnabled')",
    ).run();
    const { challengeId } = value(await idp.start('+12065550100'));
    expect(outbox.sent).toHaveLength(1);
    expect(value(idp.verify(challengeId, outbox.lastCode(), (who) => who))).toMatchObject({ userId: 'u-alex' });
  });

  it('binds each code to its own challenge', async () => {
    const first = value(await idp.start('+12065550100'));
    const firstCode = outbox.lastCode();
    const second = value(await idp.start('+12065550101'));
    expect(outbox.lastCode()).not.toBe(firstCode);
    expect(codeOf(idp.verify(second.challengeId, firstCode, (who) => who))).toBe('code.wrong');
    expect(value(idp.verify(first.challengeId, firstCode, (who) => who))).toMatchObject({ userId: 'u-alex' });
  });
});

describe('the database never holds a code', () => {
  it('stores only an HMAC for a pending code', async () => {
    value(await idp.start('+12065550100'));
    const stored = new Database(path.join(temp.dir, 'kiosk.db'), { readonly: true });
    const rows = JSON.stringify(stored.prepare('SELECT * FROM challenges').all());
    stored.close();
    expect(rows).not.toContain(outbox.lastCode());
  });
});
