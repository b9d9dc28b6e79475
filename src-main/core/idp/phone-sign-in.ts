import { fail, ok, type Result } from '../../../shared/result';
import type { Clock } from '../base/clock';
import { randomId, type RandomSource } from '../base/random';
import { SmsSendError, type SmsSender } from '../sms/sms-sender';
import type { ChallengeRecord, ChallengeRepository } from '../store/challenge-repository';
import type { DirectoryRepository } from '../store/directory-repository';
import type { KioskSettings } from '../directory/directory-snapshot';
import type { AuditLog } from './audit-log';
import { codeMatches, generateCode, hashCode } from './code';
import { judgeEligibility } from './eligibility';
import { numberSubject, userSubject, type SignInLockout } from './lockout';
import type { PhoneKey } from './phone-key';
import { maskPhoneNumber, normalisePhoneNumber } from '../directory/phone-number';
import type { SendAllowance, SendLimits } from './send-limits';
import type { SendTiming } from './send-timing';

/** OWASP ASVS V2.7 / DESIGN.md: five wrong entries and the code is dead. */
export const MAX_WRONG_ENTRIES_PER_CODE = 5;
export const RESEND_COOLDOWN_MS = 30_000;

export interface StartedChallenge {
  challengeId: string;
  maskedPhone: string;
  expiresAt: number;
  resendAt: number;
}

export interface PhoneSignInDeps {
  directory: DirectoryRepository;
  challenges: ChallengeRepository;
  lockout: SignInLockout;
  limits: SendLimits;
  timing: SendTiming;
  audit: AuditLog;
  sms: SmsSender;
  clock: Clock;
  random: RandomSource;
  codeKey: Buffer;
  phoneKey: PhoneKey;
  settings: () => KioskSettings;
}

/**
 * Sign-in with a phone number and a texted code. By default a challenge is created
 * whether or not the number may sign in — same screen, same caps, same lockouts, same
 * timing — so the kiosk never tells a passer-by which numbers are registered; the audit
 * log keeps the real reason.
 */
export class PhoneSignIn {
  /**
   * Codes awaiting entry, kept in memory only so a resend can repeat the same code (a
   * late first text never invalidates what the worker is typing). The database holds
   * only their HMACs; a restart forgets them, and restarts never resume a sign-in.
   */
  private readonly pendingCodes = new Map<string, { code: string; expiresAt: number }>();

  constructor(private readonly deps: PhoneSignInDeps) {}

  /** `country`: the one picked on the keypad, when the worker changed it from the kiosk's. */
  async start(typedPhone: string, country?: string, language?: string): Promise<Result<StartedChallenge>> {
    const { directory, challenges, lockout, limits, audit, clock, random, codeKey } = this.deps;
    if (directory.isEmpty()) return fail('kiosk.notSynced', 'This kiosk has not received its list of people yet. Try again in a few minutes, or ask IT.');
    const settings = this.deps.settings();
    const normalised = normalisePhoneNumber(typedPhone, country ?? settings.defaultCountry);
    if (!normalised.ok) return normalised;
    const phoneNumber = normalised.value;
    const phoneKey = this.deps.phoneKey(phoneNumber);

    const holders = directory.holdersOf(phoneNumber);
    const eligibility = judgeEligibility(holders, directory.smsMethodPolicy());
    const auditUserId = eligibility.eligible ? eligibility.holder.userId : (eligibility.userId ?? null);
    const subject = holders.length === 1 ? userSubject(holders[0]!.userId) : numberSubject(phoneKey);
    const refuse = <T>(reason: string, refusal: Result<T>): Result<T> => {
      audit.record({ type: 'signIn.start', outcome: 'failure', reason, userId: auditUserId, phoneNumber });
      return refusal;
    };

    const lock = lockout.state(subject);
    if (lock.locked) return refuse('locked', this.lockedError(lock.until));
    if (!eligibility.eligible && settings.revealUnregisteredNumbers) {
      return refuse(eligibility.reason, fail('phone.notRegistered', 'This number is not set up for sign-in here. Ask your manager to add it.'));
    }
    const allowance = limits.check(phoneKey, settings.maxSmsPerKioskPerHour);
    if (!allowance.allowed) return refuse(allowance.reason === 'perNumber' ? 'tooManySends' : 'kioskLimit', this.sendLimitError(allowance));

    const challengeId = randomId(random);
    const now = clock.now();
    const expiresAt = now + settings.codeValiditySeconds * 1000;
    const code = eligibility.eligible ? generateCode(random) : null;
    const sent = await this.deliver({ phoneNumber, phoneKey, code, settings, userId: auditUserId, resend: false, language });
    if (!sent.ok) return sent;

    challenges.insert({
      id: challengeId,
      phoneNumber,
      userId: eligibility.eligible ? eligibility.holder.userId : null,
      codeHmac: code === null ? null : hashCode(codeKey, challengeId, code),
      createdAt: now,
      expiresAt,
      lastSentAt: now,
      lockoutSubject: subject,
    });
    this.forgetExpiredCodes(now);
    if (code !== null) this.pendingCodes.set(challengeId, { code, expiresAt });
    audit.record({
      type: 'signIn.start',
      outcome: eligibility.eligible ? 'success' : 'failure',
      reason: eligibility.eligible ? undefined : eligibility.reason,
      userId: auditUserId,
      phoneNumber,
    });
    return ok({ challengeId, maskedPhone: maskPhoneNumber(phoneNumber), expiresAt, resendAt: now + RESEND_COOLDOWN_MS });
  }

  /** Sends the same code again, after the cooldown, while it is still valid. */
  async resend(challengeId: string): Promise<Result<StartedChallenge>> {
    const { challenges, limits, audit, clock } = this.deps;
    const challenge = challenges.find(challengeId);
    if (!challenge) return challengeEnded();
    const { phoneNumber, userId } = challenge;
    const refuse = <T>(reason: string, refusal: Result<T>): Result<T> => {
      audit.record({ type: 'sms.send', outcome: 'failure', reason, userId, phoneNumber, details: { resend: true } });
      return refusal;
    };
    const now = clock.now();
    const unusable = this.refuseUnusable(challenge, now);
    if (unusable) return refuse(unusable.reason, unusable.refusal);
    const resendAt = challenge.lastSentAt + RESEND_COOLDOWN_MS;
    if (now < resendAt) {
      const seconds = Math.ceil((resendAt - now) / 1000);
      return fail('sms.resendTooSoon', `Wait ${seconds} seconds before asking for the code again.`, { retryAt: resendAt });
    }
    const settings = this.deps.settings();
    const phoneKey = this.deps.phoneKey(phoneNumber);
    const allowance = limits.check(phoneKey, settings.maxSmsPerKioskPerHour);
    if (!allowance.allowed) return refuse(allowance.reason === 'perNumber' ? 'tooManySends' : 'kioskLimit', this.sendLimitError(allowance));

    const pending = this.pendingCodes.get(challengeId);
    if (challenge.codeHmac !== null && !pending) return challengeEnded();
    const code = pending && userId !== null && this.mayStillSignIn(phoneNumber, userId) ? pending.code : null;
    const sent = await this.deliver({ phoneNumber, phoneKey, code, settings, userId, resend: true });
    if (!sent.ok) return sent;
    challenges.recordResend(challengeId, now);
    return ok({ challengeId, maskedPhone: maskPhoneNumber(phoneNumber), expiresAt: challenge.expiresAt, resendAt: now + RESEND_COOLDOWN_MS });
  }

  /**
   * "Send a new code": once a code is expired, used up or dead after five wrong tries, a new
   * challenge and code to the same number — a send like any other, under the same caps and
   * the same lockout. While the code still works, this is a resend of the same code.
   */
  async renew(challengeId: string, language?: string): Promise<Result<StartedChallenge>> {
    const challenge = this.deps.challenges.find(challengeId);
    if (!challenge) return challengeEnded();
    const unusable = this.refuseUnusable(challenge, this.deps.clock.now());
    if (!unusable) return this.resend(challengeId);
    if (unusable.reason === 'locked') {
      this.deps.audit.record({ type: 'signIn.start', outcome: 'failure', reason: 'locked', userId: challenge.userId, phoneNumber: challenge.phoneNumber });
      return unusable.refusal;
    }
    this.pendingCodes.delete(challengeId);
    return this.start(challenge.phoneNumber, undefined, language);
  }

  /** Checks a typed code; on success returns the user it signs in and the number they used. */
  verify(challengeId: string, code: string): Result<{ userId: string; phoneNumber: string }> {
    const { challenges, lockout, audit, clock, codeKey } = this.deps;
    const challenge = challenges.find(challengeId);
    if (!challenge) return challengeEnded();
    const { phoneNumber, userId } = challenge;
    const now = clock.now();
    const failure = (reason: string) => audit.record({ type: 'signIn.verify', outcome: 'failure', reason, userId, phoneNumber });

    const unusable = this.refuseUnusable(challenge, now);
    if (unusable) {
      failure(unusable.reason);
      return unusable.refusal;
    }

    const matches = challenge.codeHmac !== null && codeMatches(codeKey, challengeId, code, challenge.codeHmac);
    // The policy or the directory may have changed since the code was sent.
    const stillEligible = matches && userId !== null && this.mayStillSignIn(phoneNumber, userId);
    if (!stillEligible) {
      const failed = challenges.recordFailure(challengeId);
      failure(matches ? 'noLongerEligible' : challenge.codeHmac === null ? 'noCodeSent' : 'wrongCode');
      const lock = lockout.recordFailure(challenge.lockoutSubject);
      if (lock.locked) {
        audit.record({
          type: 'signIn.lockout',
          outcome: 'info',
          reason: lock.until === null ? 'untilAdminUnlocks' : 'temporary',
          userId,
          phoneNumber,
          details: lock.until === null ? {} : { until: lock.until },
        });
        return this.lockedError(lock.until);
      }
      const attemptsLeft = Math.max(0, MAX_WRONG_ENTRIES_PER_CODE - failed);
      if (attemptsLeft === 0) return tooManyAttempts();
      return fail('code.wrong', `That code is not right. ${attemptsLeft} ${attemptsLeft === 1 ? 'try' : 'tries'} left.`, { attemptsLeft });
    }
    if (!challenges.consume(challengeId, now)) {
      failure('codeUsed');
      return codeUsed();
    }
    lockout.recordSuccess(challenge.lockoutSubject);
    // Its texts were answered: they stop counting against the number's cap (send-limits.ts).
    this.deps.limits.answered(this.deps.phoneKey(phoneNumber), challenge.createdAt);
    this.pendingCodes.delete(challengeId);
    audit.record({ type: 'signIn.verify', outcome: 'success', userId, phoneNumber });
    return ok({ userId, phoneNumber });
  }

  /** An admin lifts the lock of everyone who holds this number, typed as a worker would. */
  unlockNumber(typedPhone: string): Result<{ unlocked: number }> {
    const normalised = normalisePhoneNumber(typedPhone, this.deps.settings().defaultCountry);
    if (!normalised.ok) return normalised;
    const holders = this.deps.directory.holdersOf(normalised.value);
    return ok({ unlocked: holders.filter((holder) => this.unlockUser(holder.userId)).length });
  }

  /** For the admin screen: who is locked out now, by name, and until when. */
  lockedWorkers(): Array<{ userId: string; displayName: string; until: number | null }> {
    return this.deps.lockout.lockedUsers().map(({ userId, until }) => ({ userId, displayName: this.deps.directory.displayNameOf(userId) ?? userId, until }));
  }

  /** An admin lifts a user's SMS sign-in lock. */
  unlockUser(userId: string): boolean {
    const unlocked = this.deps.lockout.unlock(userSubject(userId));
    this.deps.audit.record({ type: 'admin.unlock', outcome: unlocked ? 'success' : 'info', reason: unlocked ? undefined : 'notLocked', userId });
    return unlocked;
  }

  /** Why a challenge can take no more codes or texts, if it cannot. */
  private refuseUnusable(challenge: ChallengeRecord, now: number): { reason: string; refusal: Result<never> } | null {
    if (challenge.consumedAt !== null) return { reason: 'codeUsed', refusal: codeUsed() };
    // A lock comes before "ask for a new code": asking is what the lock forbids.
    const lock = this.deps.lockout.state(challenge.lockoutSubject);
    if (lock.locked) return { reason: 'locked', refusal: this.lockedError(lock.until) };
    if (now >= challenge.expiresAt) return { reason: 'codeExpired', refusal: fail('code.expired', 'That code has expired. Request a new code.') };
    if (challenge.failedAttempts >= MAX_WRONG_ENTRIES_PER_CODE) return { reason: 'tooManyAttempts', refusal: tooManyAttempts() };
    return null;
  }

  /**
   * Sends the code, or — for a number that may not sign in (`code` null) — takes as long
   * as a send would. Counts against the caps either way; a failed send counts for nothing.
   */
  private async deliver(send: {
    phoneNumber: string;
    phoneKey: string;
    code: string | null;
    settings: KioskSettings;
    userId: string | null;
    resend: boolean;
    language?: string;
  }): Promise<Result<void>> {
    const { limits, timing, sms, audit } = this.deps;
    const release = limits.reserve(send.phoneKey, send.code !== null);
    if (send.code === null) {
      await timing.imitate();
      return ok(undefined);
    }
    const details = { provider: sms.provider, resend: send.resend };
    const body = composeCodeMessage(send.code, send.settings, send.language);
    try {
      await timing.measure(() => sms.send({ to: send.phoneNumber, body }));
    } catch (error) {
      release();
      const reason = error instanceof SmsSendError ? error.reason : 'unexpected';
      audit.record({ type: 'sms.send', outcome: 'failure', reason, userId: send.userId, phoneNumber: send.phoneNumber, details });
      return fail('sms.sendFailed', 'We could not send a text right now. Wait a moment and try again.');
    }
    audit.record({ type: 'sms.send', outcome: 'success', userId: send.userId, phoneNumber: send.phoneNumber, details });
    return ok(undefined);
  }

  /** Whether this user may (still) sign in with this number, as the directory stands now. */
  mayStillSignIn(phoneNumber: string, userId: string): boolean {
    const { directory } = this.deps;
    const eligibility = judgeEligibility(directory.holdersOf(phoneNumber), directory.smsMethodPolicy());
    return eligibility.eligible && eligibility.holder.userId === userId;
  }

  private forgetExpiredCodes(now: number): void {
    for (const [id, pending] of this.pendingCodes) if (pending.expiresAt <= now) this.pendingCodes.delete(id);
  }

  private lockedError(until: number | null): Result<never> {
    if (until === null) {
      return fail('signIn.locked', 'Sign-in with this number is locked after too many wrong codes. Ask a manager to unlock it.');
    }
    const minutes = Math.max(1, Math.ceil((until - this.deps.clock.now()) / 60_000));
    return fail('signIn.locked', `Too many wrong codes. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`, { retryAt: until });
  }

  private sendLimitError(allowance: Extract<SendAllowance, { allowed: false }>): Result<never> {
    const minutes = Math.max(1, Math.ceil((allowance.retryAt - this.deps.clock.now()) / 60_000));
    const wait = `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
    return allowance.reason === 'perNumber'
      ? fail('sms.tooManySends', `Too many codes were sent to this number. Try again in ${wait}.`, { retryAt: allowance.retryAt })
      : fail('sms.kioskLimit', `This kiosk has sent too many texts this hour. Try again in ${wait}, or ask a manager.`, { retryAt: allowance.retryAt });
  }
}

/**
 * The policy's message template, filled in: the one for the language on screen when the
 * kiosk has one (`es-MX`, then `es`), else the organisation's default.
 */
export function composeCodeMessage(code: string, settings: KioskSettings, language?: string): string {
  const minutes = String(Math.round(settings.codeValiditySeconds / 60));
  const templates = settings.messageTemplates;
  const template = (language && (templates[language] ?? templates[language.split('-')[0]!])) || settings.messageTemplate;
  return template
    .replaceAll('{organization}', settings.organizationName)
    .replaceAll('{minutes}', minutes)
    .replaceAll('{code}', code);
}

const challengeEnded = () => fail('challenge.notFound', 'That sign-in has ended. Enter your number again.');
const codeUsed = () => fail('code.used', 'That code has already been used. Request a new code.');
const tooManyAttempts = () => fail('code.tooManyAttempts', 'Too many wrong tries for this code. Request a new code.');
