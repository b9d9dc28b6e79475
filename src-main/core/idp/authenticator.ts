import QRCode from 'qrcode';
import { fail, ok, type Result } from '../../../shared/result';
import type { Clock } from '../base/clock';
import type { RandomSource } from '../base/random';
import type { KioskSettings } from '../directory/directory-snapshot';
import { maskPhoneNumber, normalisePhoneNumber } from '../directory/phone-number';
import { open, seal, SEAL_NONCE_BYTES } from '../secrets/sealed-box';
import type { AuthenticatorRepository } from '../store/authenticator-repository';
import type { DirectoryRepository } from '../store/directory-repository';
import type { LockoutRepository } from '../store/lockout-repository';
import type { AuditLog } from './audit-log';
import { judgeEligibilityByPhone } from './eligibility';
import { numberSubject, userSubject, type SignInLockout } from './lockout';
import { authenticatorTries, TRIES_PER_METHOD } from './method-tries';
import type { PhoneKey } from './phone-key';
import { matchingStep, otpauthUri, setupKey, TOTP_SECRET_BYTES } from './totp';

export interface AuthenticatorDeps {
  directory: DirectoryRepository;
  enrolments: AuthenticatorRepository;
  tries: LockoutRepository;
  lockout: SignInLockout;
  audit: AuditLog;
  clock: Clock;
  random: RandomSource;
  /** Keychain key sealing the secrets (AES-256-GCM). */
  sealKey: Buffer;
  phoneKey: PhoneKey;
  settings: () => KioskSettings;
  transaction: <T>(work: () => T) => T;
  directoryTooOld: () => boolean;
}

export interface AuthenticatorSetup {
  /** The otpauth:// URI as a QR code: an SVG image as a data: URL (the CSP allows img-src data:). */
  qrCode: string;
  /** The same secret, base32 in groups of four, for typing into the app by hand. */
  setupKey: string;
}

/**
 * Authenticator app codes (RFC 6238 TOTP): set up after a sign-in by text, then number +
 * code with no text, no network and no SIM to swap. Enrolment is per kiosk (docs say how
 * it becomes fleet-wide). Each accepted code's time step is stored, so a code works once.
 *
 * Enumeration: for any number — registered or not, enrolled or not — a code is checked the
 * same way (against a stand-in secret where there is none), counted the same, audited with
 * the same events and answered alike. Guessing: it is all one synchronous transaction (no
 * await between check and count); five wrong codes close the number's authenticator path
 * until a sign-in by text, and every wrong code also counts toward the lockout texts share
 * (`lockout.ts`: ten in a row lock, doubling).
 */
export class AuthenticatorSignIn {
  /** Opened in place of a real enrolment's secret, so every number costs the same work. */
  private readonly standInSealed: Buffer;

  constructor(private readonly deps: AuthenticatorDeps) {
    this.standInSealed = seal(deps.sealKey, deps.random.bytes(TOTP_SECRET_BYTES), '', deps.random.bytes(SEAL_NONCE_BYTES));
  }

  offered(settings = this.deps.settings()): boolean {
    return settings.signInMethods.includes('authenticator');
  }

  isEnrolled(userId: string): boolean {
    return this.deps.enrolments.find(userId)?.secretSealed != null;
  }

  /** A new secret for the signed-in worker, shown once; it works after `confirm`. */
  async begin(worker: { userId: string; phoneNumber: string }): Promise<Result<AuthenticatorSetup>> {
    const settings = this.deps.settings();
    if (!this.offered(settings)) return methodOff();
    const secret = this.deps.random.bytes(TOTP_SECRET_BYTES);
    this.deps.enrolments.savePending(worker.userId, seal(this.deps.sealKey, secret, worker.userId, this.deps.random.bytes(SEAL_NONCE_BYTES)));
    const uri = otpauthUri(secret, settings.organizationName, maskPhoneNumber(worker.phoneNumber));
    const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return ok({ qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`, setupKey: setupKey(secret) });
  }

  /** The first code from the app: the set-up becomes the worker's enrolment. */
  confirm(worker: { userId: string; phoneNumber: string }): (code: string) => Result<void> {
    return (code) =>
      this.deps.transaction((): Result<void> => {
        const pending = this.deps.enrolments.find(worker.userId)?.pendingSealed;
        const secret = pending ? open(this.deps.sealKey, pending, worker.userId) : null;
        if (!secret) return fail('authenticator.notStarted', 'Start the authenticator set-up again.');
        const step = matchingStep(secret, code, this.deps.clock.now());
        if (step === null) return fail('code.wrong', 'That code is not right. Check the app and try the code it shows now.');
        this.deps.enrolments.confirm(worker.userId, this.deps.clock.now(), step);
        this.deps.audit.record({ type: 'authenticator.enrolled', outcome: 'success', userId: worker.userId, phoneNumber: worker.phoneNumber });
        return ok(undefined);
      });
  }

  /**
   * A current code from the signed-in worker's app, for a sensitive app (step-up). Counted
   * like a sign-in's codes: wrong ones toward the lockout, each code once.
   */
  stepUp(worker: { userId: string; phoneNumber: string }, code: string): Result<void> {
    const phoneKey = this.deps.phoneKey(worker.phoneNumber);
    return this.check({ phoneNumber: worker.phoneNumber, phoneKey, userId: worker.userId, subject: userSubject(worker.userId), eligible: true, reason: null }, code, 'authenticator.stepUp', () => undefined);
  }

  /** Number + code. On success the session opens in the same transaction that used the code. */
  signIn<T>(typedPhone: string, country: string | undefined, code: string, signedIn: (who: { userId: string; phoneNumber: string }) => T): Result<T> {
    const { directory } = this.deps;
    const settings = this.deps.settings();
    if (!this.offered(settings)) return methodOff();
    if (directory.isEmpty()) return fail('kiosk.notSynced', 'This kiosk has not received its list of people yet. Try again in a few minutes, or ask IT.');
    if (this.deps.directoryTooOld()) return fail('kiosk.directoryTooOld', 'This kiosk has not been able to update its list of people for too long, so sign-in is paused. Ask a manager or IT.');
    const normalised = normalisePhoneNumber(typedPhone, country ?? settings.defaultCountry);
    if (!normalised.ok) return normalised;
    const phoneNumber = normalised.value;
    const phoneKey = this.deps.phoneKey(phoneNumber);
    const holders = directory.holdersOf(phoneNumber);
    const eligibility = judgeEligibilityByPhone(holders, directory.smsMethodPolicy());
    const subject = holders.length === 1 ? userSubject(holders[0]!.userId) : numberSubject(phoneKey);
    const userId = eligibility.eligible ? eligibility.holder.userId : (eligibility.userId ?? null);
    return this.check({ phoneNumber, phoneKey, userId, subject, eligible: eligibility.eligible, reason: eligibility.eligible ? null : eligibility.reason }, code, 'signIn.verify', signedIn);
  }

  /** Forgets a worker's enrolment (an admin, or the demo's reset). */
  remove(userId: string): boolean {
    return this.deps.enrolments.delete(userId);
  }

  private check<T>(
    who: { phoneNumber: string; phoneKey: string; userId: string | null; subject: string; eligible: boolean; reason: string | null },
    code: string,
    type: 'signIn.verify' | 'authenticator.stepUp',
    signedIn: (who: { userId: string; phoneNumber: string }) => T,
  ): Result<T> {
    const { enrolments, tries, lockout, audit, clock } = this.deps;
    const phone = { masked: maskPhoneNumber(who.phoneNumber), key: who.phoneKey };
    const failure = (reason: string) => audit.record({ type, outcome: 'failure', reason, userId: who.userId, phone, details: { method: 'authenticator' } });
    return this.deps.transaction((): Result<T> => {
      const now = clock.now();
      const lock = lockout.state(who.subject);
      if (lock.locked) {
        failure('locked');
        return lockedError(lock.until, now);
      }
      const triesKey = authenticatorTries(who.phoneKey);
      if ((tries.get(triesKey)?.consecutiveFailures ?? 0) >= TRIES_PER_METHOD) {
        failure('tooManyAttempts');
        return tooManyTries();
      }
      const enrolment = enrolments.find(who.eligible && who.userId !== null ? who.userId : '');
      const sealed = enrolment?.secretSealed ?? null;
      const real = sealed !== null && who.userId !== null;
      const secret = real ? open(this.deps.sealKey, sealed, who.userId!) : open(this.deps.sealKey, this.standInSealed, '');
      const step = secret === null ? null : matchingStep(secret, code, now);
      if (real && step !== null && who.userId !== null && secret !== null) {
        if (!enrolments.useStep(who.userId, step)) {
          failure('codeUsed');
          return fail('authenticator.codeUsed', 'That code was used already. Wait for the app to show the next one.');
        }
        tries.clear(triesKey);
        lockout.recordSuccess(who.subject);
        const value = signedIn({ userId: who.userId, phoneNumber: who.phoneNumber });
        audit.record({ type, outcome: 'success', userId: who.userId, phoneNumber: who.phoneNumber, details: { method: 'authenticator', amr: 'otp' } });
        return ok(value);
      }
      const tried = tries.addFailure(triesKey);
      failure(who.reason ?? (real ? 'wrongCode' : 'notEnrolled'));
      const locked = lockout.recordFailure(who.subject);
      if (locked.locked) {
        audit.record({ type: 'signIn.lockout', outcome: 'info', reason: locked.until === null ? 'untilAdminUnlocks' : 'temporary', userId: who.userId, phone, details: locked.until === null ? {} : { until: locked.until } });
        return lockedError(locked.until, now);
      }
      if (tried >= TRIES_PER_METHOD) return tooManyTries();
      const left = TRIES_PER_METHOD - tried;
      return fail('code.wrong', `That code is not right. ${left} ${left === 1 ? 'try' : 'tries'} left.`, { attemptsLeft: left });
    });
  }
}

const methodOff = () => fail('signIn.methodOff', 'That way of signing in is switched off on this kiosk. Sign in with a text.');
const tooManyTries = () => fail('authenticator.tooManyAttempts', 'Too many wrong codes. Sign in with a text to use the authenticator app again.');

function lockedError(until: number | null, now: number): Result<never> {
  if (until === null) return fail('signIn.locked', 'Sign-in with this number is locked after too many wrong codes. Ask a manager to unlock it.');
  const minutes = Math.max(1, Math.ceil((until - now) / 60_000));
  return fail('signIn.locked', `Too many wrong codes. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`, { retryAt: until });
}
