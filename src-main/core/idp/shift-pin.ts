import { createHash, createHmac, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { fail, ok, type Result } from '../../../shared/result';
import type { Clock } from '../base/clock';
import type { RandomSource } from '../base/random';
import type { KioskSettings, SmsMethodPolicy } from '../directory/directory-snapshot';
import { maskPhoneNumber, normalisePhoneNumber } from '../directory/phone-number';
import type { DirectoryRepository } from '../store/directory-repository';
import type { LockoutRepository } from '../store/lockout-repository';
import type { ShiftPinRepository } from '../store/shift-pin-repository';
import type { AuditLog } from './audit-log';
import { judgeEligibilityByPhone } from './eligibility';
import { numberSubject, userSubject, type SignInLockout } from './lockout';
import { shiftPinTries, TRIES_PER_METHOD } from './method-tries';
import type { PhoneKey } from './phone-key';

const scryptAsync = promisify(scrypt) as (password: Buffer, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

export const SHIFT_PIN_DIGITS = 6;
/**
 * OWASP Password Storage Cheat Sheet's scrypt floor (N=2^15 is above it, r=8, p=1: 32 MiB):
 * slow for anyone holding a stolen database, who also lacks the keychain key. Lighter than
 * the admin PIN's 2^17 because every worker's sign-in pays it.
 */
export const SHIFT_PIN_COST = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const HASH_BYTES = 32;
const SALT_BYTES = 16;

/** Refused as too easy to guess: one digit repeated, or a run up or down (wrapping 9→0). */
export function isGuessablePin(pin: string): boolean {
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((digit, i) => (digit - digits[i]! + 10) % 10));
  return steps.size === 1 && (steps.has(0) || steps.has(1) || steps.has(9));
}

/** What a shift PIN depends on: a change to any of it ends every PIN (the policy changed). */
export function policyFingerprint(policy: SmsMethodPolicy | null, settings: KioskSettings): string {
  return createHash('sha256').update(JSON.stringify({ policy, hours: settings.shiftPinHours, methods: settings.signInMethods })).digest('hex');
}

export interface ShiftPinDeps {
  directory: DirectoryRepository;
  pins: ShiftPinRepository;
  tries: LockoutRepository;
  lockout: SignInLockout;
  audit: AuditLog;
  clock: Clock;
  random: RandomSource;
  /** Keychain secret the PIN is keyed with before scrypt. */
  pinKey: Buffer;
  /** This kiosk's name: the hash is bound to it as well as to the user. */
  kioskId: string;
  phoneKey: PhoneKey;
  settings: () => KioskSettings;
  /** One durable SQLite transaction. */
  transaction: <T>(work: () => T) => T;
  directoryTooOld: () => boolean;
}

/** The worker a PIN signed in, as the session opens it. */
export interface PinSignedIn {
  userId: string;
  phoneNumber: string;
}

/**
 * The shift PIN: after a sign-in by text (or call), six digits that sign the same worker in
 * again on this kiosk, with their number, until the shift ends (policy `shiftPinHours`).
 *
 * Enumeration (DESIGN.md): for any number — registered or not, with a PIN or not — the path
 * does the same work (one scrypt), counts the same tries, records the same events and gives
 * the same answers; only the audit log's reason says which it was. Guessing: each try is
 * counted in SQLite before scrypt is awaited; the fifth wrong try deletes the PIN, and the
 * number's PIN path stays closed until the worker signs in by text and sets a new one.
 */
export class ShiftPinSignIn {
  /** Salt for the stand-in hash of a number with no PIN: the same work, never a match. */
  private readonly standInSalt: Buffer;

  constructor(private readonly deps: ShiftPinDeps) {
    this.standInSalt = deps.random.bytes(SALT_BYTES);
  }

  /** Whether policy offers shift PINs on this kiosk. */
  offered(settings = this.deps.settings()): boolean {
    return settings.signInMethods.includes('shiftPin');
  }

  /** When this worker's shift PIN ends, if they have one that still works. */
  activeUntil(userId: string): number | null {
    const pin = this.deps.pins.find(userId);
    return pin && this.stillValid(pin) ? pin.expiresAt : null;
  }

  /** Sets (or replaces) the signed-in worker's PIN; only after a sign-in by text or call. */
  async set(worker: { userId: string; phoneNumber: string }, pin: string): Promise<Result<{ expiresAt: number }>> {
    if (!this.offered()) return methodOff();
    if (isGuessablePin(pin)) return fail('pin.guessable', 'That PIN is too easy to guess. Avoid repeated digits and runs like 123456.');
    const salt = this.deps.random.bytes(SALT_BYTES);
    const pinHash = await this.hash(worker.userId, pin, salt);
    const settings = this.deps.settings();
    const now = this.deps.clock.now();
    const expiresAt = now + settings.shiftPinHours * 3_600_000;
    const phoneKey = this.deps.phoneKey(worker.phoneNumber);
    this.deps.transaction(() => {
      this.deps.pins.save({
        userId: worker.userId,
        phoneKey,
        phoneNumber: worker.phoneNumber,
        salt,
        pinHash,
        policyFingerprint: policyFingerprint(this.deps.directory.smsMethodPolicy(), settings),
        createdAt: now,
        expiresAt,
      });
      this.deps.tries.clear(shiftPinTries(phoneKey));
      this.deps.audit.record({ type: 'shiftPin.set', outcome: 'success', userId: worker.userId, phoneNumber: worker.phoneNumber, details: { until: expiresAt } });
    });
    return ok({ expiresAt });
  }

  /**
   * Number + PIN. On success, in one transaction: tries cleared, `signedIn` run (the session
   * opens) and the success audited — all of it or none.
   */
  async signIn<T>(typedPhone: string, country: string | undefined, pin: string, signedIn: (who: PinSignedIn) => T): Promise<Result<T>> {
    const { directory, pins, tries, lockout, audit, clock } = this.deps;
    const settings = this.deps.settings();
    if (!this.offered(settings)) return methodOff();
    if (directory.isEmpty()) return fail('kiosk.notSynced', 'This kiosk has not received its list of people yet. Try again in a few minutes, or ask IT.');
    if (this.deps.directoryTooOld()) return fail('kiosk.directoryTooOld', 'This kiosk has not been able to update its list of people for too long, so sign-in is paused. Ask a manager or IT.');
    const normalised = normalisePhoneNumber(typedPhone, country ?? settings.defaultCountry);
    if (!normalised.ok) return normalised;
    const phoneNumber = normalised.value;
    const phoneKey = this.deps.phoneKey(phoneNumber);
    const phone = { masked: maskPhoneNumber(phoneNumber), key: phoneKey };
    const holders = directory.holdersOf(phoneNumber);
    const eligibility = judgeEligibilityByPhone(holders, directory.smsMethodPolicy());
    const subject = holders.length === 1 ? userSubject(holders[0]!.userId) : numberSubject(phoneKey);
    const auditUserId = eligibility.eligible ? eligibility.holder.userId : (eligibility.userId ?? null);
    const failure = (reason: string) => audit.record({ type: 'signIn.verify', outcome: 'failure', reason, userId: auditUserId, phone, details: { method: 'shiftPin' } });
    // Worked out for every number, PIN or not: the path's work must not depend on one.
    const fingerprint = policyFingerprint(directory.smsMethodPolicy(), settings);

    // The try is counted before anything is awaited: a burst gets five checks, not hundreds.
    const reserved = this.deps.transaction((): Result<{ tried: number; userId: string; salt: Buffer }> => {
      const lock = lockout.state(subject);
      if (lock.locked) {
        failure('locked');
        return lockedError(lock.until, clock.now());
      }
      const before = tries.get(shiftPinTries(phoneKey))?.consecutiveFailures ?? 0;
      if (before >= TRIES_PER_METHOD) {
        failure('tooManyAttempts');
        return tooManyTries();
      }
      const tried = tries.addFailure(shiftPinTries(phoneKey));
      const stored = pins.find(eligibility.eligible ? eligibility.holder.userId : '');
      const usable = stored && stored.phoneKey === phoneKey && this.stillValid(stored, fingerprint) ? stored : undefined;
      return ok({ tried, userId: usable?.userId ?? '', salt: usable?.salt ?? this.standInSalt });
    });
    if (!reserved.ok) return reserved;
    const { tried, userId, salt } = reserved.value;
    const candidate = await this.hash(userId, pin, salt);

    return this.deps.transaction((): Result<T> => {
      const stored = pins.find(userId);
      // The policy may have changed while scrypt ran: judged again, for every number alike.
      const current = policyFingerprint(directory.smsMethodPolicy(), this.deps.settings());
      const matches = stored !== undefined && stored.phoneKey === phoneKey && this.stillValid(stored, current) && timingSafeEqual(stored.pinHash, candidate);
      if (matches && eligibility.eligible && eligibility.holder.userId === userId) {
        tries.clear(shiftPinTries(phoneKey));
        lockout.recordSuccess(subject);
        const value = signedIn({ userId, phoneNumber });
        audit.record({ type: 'signIn.verify', outcome: 'success', userId, phoneNumber, details: { method: 'shiftPin', amr: 'pin' } });
        return ok(value);
      }
      const reason = !eligibility.eligible ? eligibility.reason : userId === '' ? 'noShiftPin' : 'wrongPin';
      failure(reason);
      const lock = lockout.recordFailure(subject);
      if (tried >= TRIES_PER_METHOD) {
        // The same event for every number: the fifth wrong try ends the PIN, if there was one.
        const ended = eligibility.eligible && pins.delete(eligibility.holder.userId);
        audit.record({ type: 'shiftPin.ended', outcome: 'info', reason: ended ? 'tooManyAttempts' : 'tooManyAttempts:none', userId: auditUserId, phone });
      }
      if (lock.locked) {
        audit.record({ type: 'signIn.lockout', outcome: 'info', reason: lock.until === null ? 'untilAdminUnlocks' : 'temporary', userId: auditUserId, phone, details: lock.until === null ? {} : { until: lock.until } });
        return lockedError(lock.until, clock.now());
      }
      if (tried >= TRIES_PER_METHOD) return tooManyTries();
      const left = TRIES_PER_METHOD - tried;
      return fail('pin.wrong', `That PIN is not right. ${left} ${left === 1 ? 'try' : 'tries'} left.`, { attemptsLeft: left });
    });
  }

  /** For the admin screen: who has a shift PIN on this kiosk now, until when. */
  list(): Array<{ userId: string; displayName: string; until: number }> {
    return this.deps.pins
      .all()
      .filter((pin) => this.stillValid(pin))
      .map((pin) => ({ userId: pin.userId, displayName: this.deps.directory.displayNameOf(pin.userId) ?? pin.userId, until: pin.expiresAt }));
  }

  /** An admin ends one worker's PIN, or (no id) everyone's. */
  clear(userId?: string): number {
    return this.deps.transaction(() => {
      const cleared = userId === undefined ? this.deps.pins.deleteEverything() : Number(this.deps.pins.delete(userId));
      this.deps.audit.record({ type: 'shiftPin.ended', outcome: 'info', reason: userId === undefined ? 'admin:all' : 'admin', userId: userId ?? null, details: { cleared } });
      return cleared;
    });
  }

  /**
   * After a sync: a PIN ends when its worker may no longer sign in with that number
   * (revocation) or the policy it was set under changed; expired ones are forgotten.
   */
  endInvalid(mayStillSignIn: (phoneNumber: string, userId: string) => boolean): void {
    const settings = this.deps.settings();
    const fingerprint = policyFingerprint(this.deps.directory.smsMethodPolicy(), settings);
    this.deps.transaction(() => {
      this.deps.pins.forgetExpired(this.deps.clock.now());
      for (const pin of this.deps.pins.all()) {
        const reason = !this.offered(settings) || pin.policyFingerprint !== fingerprint ? 'policyChanged' : !mayStillSignIn(pin.phoneNumber, pin.userId) ? 'revoked' : null;
        if (reason === null) continue;
        this.deps.pins.delete(pin.userId);
        this.deps.audit.record({ type: 'shiftPin.ended', outcome: 'info', reason, userId: pin.userId });
      }
    });
  }

  private stillValid(pin: { expiresAt: number; policyFingerprint: string }, fingerprint = policyFingerprint(this.deps.directory.smsMethodPolicy(), this.deps.settings())): boolean {
    return pin.expiresAt > this.deps.clock.now() && pin.policyFingerprint === fingerprint;
  }

  /** scrypt over an HMAC of the PIN keyed by the keychain secret and bound to user and kiosk. */
  private hash(userId: string, pin: string, salt: Buffer): Promise<Buffer> {
    const keyed = createHmac('sha256', this.deps.pinKey).update(this.deps.kioskId).update('\u0000').update(userId).update('\u0000').update(pin).digest();
    return scryptAsync(keyed, salt, HASH_BYTES, SHIFT_PIN_COST);
  }
}

const methodOff = () => fail('signIn.methodOff', 'That way of signing in is switched off on this kiosk. Sign in with a text.');
const tooManyTries = () => fail('pin.tooManyAttempts', 'Too many wrong PINs, so the shift PIN was cleared. Sign in with a text and set a new one.');

function lockedError(until: number | null, now: number): Result<never> {
  if (until === null) return fail('signIn.locked', 'Sign-in with this number is locked after too many wrong codes. Ask a manager to unlock it.');
  const minutes = Math.max(1, Math.ceil((until - now) / 60_000));
  return fail('signIn.locked', `Too many wrong codes. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`, { retryAt: until });
}
