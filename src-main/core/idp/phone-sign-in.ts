import { fail, ok, type Result } from '../../../shared/result';
import type { Clock } from '../base/clock';
import { randomId, type RandomSource } from '../base/random';
import type { Logger } from '../base/log';
import { SmsSendError, type Channel, type Delivery, type SmsSender } from '../sms/sms-sender';
import type { ChallengeRecord, ChallengeRepository } from '../store/challenge-repository';
import type { DirectoryRepository } from '../store/directory-repository';
import type { KioskSettings } from '../directory/directory-snapshot';
import { composeSpokenCode } from './spoken-code';
import type { AuditLog } from './audit-log';
import { codeMatches, generateCode, hashCode } from './code';
import { judgeEligibility, type Eligibility } from './eligibility';
import { numberSubject, userSubject, type SignInLockout } from './lockout';
import type { PhoneKey } from './phone-key';
import { maskPhoneNumber, normalisePhoneNumber } from '../directory/phone-number';
import type { SendAllowance, SendLimits } from './send-limits';
import type { SendTiming } from './send-timing';
import type { Amr } from './signed-in-worker';

/** OWASP ASVS V2.7 / DESIGN.md: five wrong entries and the code is dead. */
export const MAX_WRONG_ENTRIES_PER_CODE = 5;
export const RESEND_COOLDOWN_MS = 30_000;
/** An expired code still says "expired" (not "ended") this long; then its challenge is forgotten. */
export const CHALLENGE_KEPT_AFTER_EXPIRY_MS = 10 * 60_000;
/** How often expired challenges are swept. */
export const CHALLENGE_SWEEP_MS = 5 * 60_000;

export interface StartedChallenge {
  challengeId: string;
  maskedPhone: string;
  expiresAt: number;
  resendAt: number;
  /** Kiosk-wide: real texts are failing or hanging, so any text may be late. */
  textsMayBeLate?: true;
  /**
   * When "Call me instead" may be used; absent where the kiosk places no calls (policy or
   * provider). Kiosk-wide: the same for every number, registered or not.
   */
  callAt?: number;
  /** Kiosk-wide: policy sends no texts, so the code comes only by a call. */
  textsOff?: true;
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
  /** One SQLite transaction: a check, its counters and its audit are written together. */
  transaction: <T>(work: () => T) => T;
  /** When the directory last synced (null: never); undefined where it never ages (the demo). */
  directorySyncedAt: () => number | null | undefined;
  log: Logger;
}

/**
 * Sign-in with a phone number and a texted code. By default a challenge is created
 * whether or not the number may sign in — same screen, same caps, same lockouts, same
 * timing, whatever the SMS provider is doing — so the kiosk never tells a passer-by which
 * numbers are registered; the audit log keeps the real reason.
 *
 * Every counter that limits guessing or sending is checked and written in one SQLite
 * transaction before anything is awaited: parallel requests cannot slip between the check
 * and the count, and a restart or power loss cannot take a count back.
 */
export class PhoneSignIn {
  /**
   * Codes awaiting entry, kept in memory only so a resend can repeat the same code (a
   * late first text never invalidates what the worker is typing). The database holds
   * only their HMACs; a restart forgets them, and restarts never resume a sign-in.
   */
  /** `sent`: the ways this code went out, so the session can say how the worker proved who they are. */
  private readonly pendingCodes = new Map<string, { code: string; expiresAt: number; language: string | undefined; sent: Set<Channel> }>();
  /**
   * Challenges whose call at once (`offerCallAtOnce`) was used, until they expire: only the
   * first call skips the wait. Kept for every challenge alike, registered number or not.
   */
  private readonly calledAtOnce = new Map<string, number>();
  /** Texts handed to the provider and not yet answered: `settled()` waits for them. */
  private readonly sending = new Set<Promise<void>>();

  constructor(private readonly deps: PhoneSignInDeps) {}

  /**
   * `country`: the one picked on the keypad, when the worker changed it from the kiosk's;
   * `language`: the one on screen, which picks the text's template.
   */
  async start(typedPhone: string, country?: string, language?: string): Promise<Result<StartedChallenge>> {
    const { directory } = this.deps;
    if (directory.isEmpty()) return fail('kiosk.notSynced', 'This kiosk has not received its list of people yet. Try again in a few minutes, or ask IT.');
    const settings = this.deps.settings();
    if (this.directoryTooOld(settings)) return directoryTooOld();
    if (!this.texts(settings) && !this.calls(settings)) return codesOff();
    const normalised = normalisePhoneNumber(typedPhone, country ?? settings.defaultCountry);
    if (!normalised.ok) return normalised;
    const phoneNumber = normalised.value;
    const phoneKey = this.deps.phoneKey(phoneNumber);
    const holders = directory.holdersOf(phoneNumber);
    const policy = directory.smsMethodPolicy();
    const byText = judgeEligibility(holders, policy, 'sms');
    const byCall = judgeEligibility(holders, policy, 'voice');
    // Who may have a code at all: by text, or (an office phone, or no texts by policy) by call.
    const textable = this.texts(settings) && byText.eligible;
    const callable = this.calls(settings) && byCall.eligible;
    // The audit keeps why not: by text, or where policy sends no texts, by call.
    const eligibility = textable ? byText : callable ? byCall : this.texts(settings) ? byText : byCall;
    return this.open({
      sendText: textable,
      phoneNumber,
      phoneKey,
      phoneMasked: maskPhoneNumber(phoneNumber),
      eligibility,
      subject: holders.length === 1 ? userSubject(holders[0]!.userId) : numberSubject(phoneKey),
      settings,
      language,
    });
  }

  /**
   * A new challenge (and, for a number that may sign in, a new code): every count written
   * in one transaction before anything is awaited, the text sent aside, and the answer given
   * at the registration-blind deadline. Shared by start and "Send a new code".
   */
  private async open(target: {
    /** Text the code now; otherwise the code (if any) waits for "Call me instead". */
    sendText: boolean;
    phoneNumber: string | null;
    phoneKey: string;
    phoneMasked: string;
    /** `numberNotKept`: a renewal for a number the kiosk keeps only as its keyed hash. */
    eligibility: Eligibility | { eligible: false; reason: 'numberNotKept'; userId?: undefined };
    subject: string;
    settings: KioskSettings;
    language?: string;
  }): Promise<Result<StartedChallenge>> {
    const { challenges, lockout, limits, audit, clock, random, codeKey, timing } = this.deps;
    const { phoneNumber, phoneKey, phoneMasked, eligibility, subject, settings, language, sendText } = target;
    const phone = { masked: phoneMasked, key: phoneKey };
    const auditUserId = eligibility.eligible ? eligibility.holder.userId : (eligibility.userId ?? null);
    // Read before this start's own text goes out, so it cannot depend on this number.
    const textsMayBeLate = timing.textsMayBeLate();
    const deadline = timing.deadlineMs();

    const challengeId = randomId(random);
    const now = clock.now();
    const expiresAt = now + settings.codeValiditySeconds * 1000;
    const code = eligibility.eligible ? generateCode(random) : null;
    const userId = eligibility.eligible ? eligibility.holder.userId : null;
    const reserved = this.deps.transaction((): Result<void> => {
      const refuse = <T>(reason: string, refusal: Result<T>): Result<T> => {
        audit.record({ type: 'signIn.start', outcome: 'failure', reason, userId: auditUserId, phone });
        return refusal;
      };
      const lock = lockout.state(subject);
      if (lock.locked) return refuse('locked', this.lockedError(lock.until));
      if (!eligibility.eligible && settings.revealUnregisteredNumbers) {
        return refuse(eligibility.reason, fail('phone.notRegistered', 'This number is not set up for sign-in here. Ask your manager to add it.'));
      }
      const allowance = limits.check(phoneKey, settings.maxSmsPerKioskPerHour);
      if (!allowance.allowed) return refuse(allowance.reason === 'perNumber' ? 'tooManySends' : 'kioskLimit', this.sendLimitError(allowance));
      limits.reserve(phoneKey, sendText && code !== null);
      challenges.insert({
        id: challengeId,
        phoneNumber: userId === null ? null : phoneNumber,
        phoneKey,
        phoneMasked,
        userId,
        codeHmac: code === null ? null : hashCode(codeKey, challengeId, code),
        createdAt: now,
        expiresAt,
        lastSentAt: now,
        lockoutSubject: subject,
      });
      audit.record({
        type: 'signIn.start',
        outcome: eligibility.eligible ? 'success' : 'failure',
        reason: eligibility.eligible ? undefined : eligibility.reason,
        userId: auditUserId,
        phone,
      });
      // A code no text carries: the number takes calls only (an office phone), or policy sends no texts.
      if (code !== null && !sendText) audit.record({ type: 'sms.send', outcome: 'info', reason: 'waitsForCall', userId: auditUserId, phone, details: { channel: 'sms', resend: false } });
      return ok(undefined);
    });
    if (!reserved.ok) return reserved;

    this.forgetExpiredCodes(now);
    if (code !== null && phoneNumber !== null) {
      this.pendingCodes.set(challengeId, { code, expiresAt, language, sent: new Set(sendText ? ['sms'] : []) });
      if (sendText) this.sendAside({ channel: 'sms', phoneNumber, code, settings, userId, resend: false, language });
    }
    await timing.waitForDeadline(deadline);
    return ok({
      challengeId,
      maskedPhone: phoneMasked,
      expiresAt,
      resendAt: now + RESEND_COOLDOWN_MS,
      ...(textsMayBeLate && { textsMayBeLate: true as const }),
      ...this.callOffer(settings, this.callAtOnce(settings) ? now : now + RESEND_COOLDOWN_MS),
    });
  }

  /**
   * "Call me instead": the same code read out by a call — under the same caps as a text (a
   * call is one send against the number's and the kiosk's), the same lockout, the same
   * cooldown it shares with "Resend code", the same reservation before anything is awaited,
   * and the same registration-blind deadline. A number that may not sign in by call gets
   * the same answer and no call.
   */
  async call(challengeId: string, onScreenLanguage?: string): Promise<Result<StartedChallenge>> {
    const { challenges, limits, audit, clock, timing } = this.deps;
    const settings = this.deps.settings();
    if (!this.calls(settings)) return fail('signIn.callsOff', 'This kiosk does not place calls. Use the texted code.');
    const now = clock.now();
    const textsMayBeLate = timing.textsMayBeLate();
    const deadline = timing.deadlineMs();
    const claimed = this.deps.transaction((): Result<{ challenge: ChallengeRecord; code: string | null; language: string | undefined }> => {
      const challenge = challenges.find(challengeId);
      if (!challenge) return challengeEnded();
      const { userId, phoneNumber } = challenge;
      const phone = { masked: challenge.phoneMasked, key: challenge.phoneKey };
      const refuse = <T>(reason: string, refusal: Result<T>): Result<T> => {
        audit.record({ type: 'sms.send', outcome: 'failure', reason, userId, phone, details: { channel: 'voice', resend: false } });
        return refusal;
      };
      const unusable = this.refuseUnusable(challenge, now);
      if (unusable) return refuse(unusable.reason, unusable.refusal);
      // Where policy offers the call at once, the first send after the start needs no wait.
      const atOnce = this.callAtOnce(settings) && challenge.lastSentAt === challenge.createdAt && !this.calledAtOnce.has(challengeId);
      const resendAt = challenge.lastSentAt + RESEND_COOLDOWN_MS;
      if (!atOnce && now < resendAt) return resendTooSoon(resendAt, now);
      const pending = this.pendingCodes.get(challengeId);
      if (challenge.codeHmac !== null && !pending) return challengeEnded();
      const allowance = limits.check(challenge.phoneKey, settings.maxSmsPerKioskPerHour);
      if (!allowance.allowed) return refuse(allowance.reason === 'perNumber' ? 'tooManySends' : 'kioskLimit', this.sendLimitError(allowance));
      if (!challenges.claimResend(challengeId, now, atOnce ? now : now - RESEND_COOLDOWN_MS)) return resendTooSoon(resendAt, now);
      if (atOnce) this.calledAtOnce.set(challengeId, challenge.expiresAt);
      const code = pending && userId !== null && phoneNumber !== null && this.mayStillSignIn(phoneNumber, userId, 'voice') ? pending.code : null;
      limits.reserve(challenge.phoneKey, code !== null);
      if (code === null) audit.record({ type: 'sms.send', outcome: 'info', reason: 'noCodeSent', userId, phone, details: { channel: 'voice', resend: false } });
      return ok({ challenge, code, language: onScreenLanguage ?? pending?.language });
    });
    if (!claimed.ok) return claimed;
    const { challenge, code, language } = claimed.value;
    if (code !== null && challenge.phoneNumber !== null) {
      // Only a call the provider took can be how the worker learned the code.
      const sent = () => void this.pendingCodes.get(challenge.id)?.sent.add('voice');
      this.sendAside({ channel: 'voice', phoneNumber: challenge.phoneNumber, code, settings, userId: challenge.userId, resend: false, language, sent });
    }
    await timing.waitForDeadline(deadline);
    return ok({
      challengeId,
      maskedPhone: challenge.phoneMasked,
      expiresAt: challenge.expiresAt,
      resendAt: now + RESEND_COOLDOWN_MS,
      ...(textsMayBeLate && { textsMayBeLate: true as const }),
      ...this.callOffer(settings, now + RESEND_COOLDOWN_MS),
    });
  }

  /** Whether this kiosk texts codes: policy allows it. */
  private texts(settings: KioskSettings): boolean {
    return settings.signInMethods.includes('sms');
  }

  /** Whether this kiosk places calls: policy allows them and the provider can place them. */
  calls(settings: KioskSettings = this.deps.settings()): boolean {
    return settings.signInMethods.includes('voice') && this.deps.sms.call !== undefined;
  }

  /** A call needs no wait after the start: policy says so, or no text is sent to wait for. */
  private callAtOnce(settings: KioskSettings): boolean {
    return settings.offerCallAtOnce || !this.texts(settings);
  }

  /** What the code screen is told about calls and texts: kiosk-wide, never about the number. */
  private callOffer(settings: KioskSettings, callAt: number): Pick<StartedChallenge, 'callAt' | 'textsOff'> {
    if (!this.calls(settings)) return {};
    return { callAt, ...(!this.texts(settings) && { textsOff: true as const }) };
  }

  /**
   * Sends the same code again, after the cooldown, while it is still valid: in the language
   * on screen if given, else the one the code was first sent in.
   */
  async resend(challengeId: string, onScreenLanguage?: string): Promise<Result<StartedChallenge>> {
    const { challenges, limits, audit, clock, timing } = this.deps;
    const now = clock.now();
    const textsMayBeLate = timing.textsMayBeLate();
    const deadline = timing.deadlineMs();
    const claimed = this.deps.transaction((): Result<{ challenge: ChallengeRecord; code: string | null; language: string | undefined }> => {
      const challenge = challenges.find(challengeId);
      if (!challenge) return challengeEnded();
      const { userId, phoneNumber } = challenge;
      const refuse = <T>(reason: string, refusal: Result<T>): Result<T> => {
        audit.record({ type: 'sms.send', outcome: 'failure', reason, userId, phone: { masked: challenge.phoneMasked, key: challenge.phoneKey }, details: { resend: true } });
        return refusal;
      };
      const unusable = this.refuseUnusable(challenge, now);
      if (unusable) return refuse(unusable.reason, unusable.refusal);
      const resendAt = challenge.lastSentAt + RESEND_COOLDOWN_MS;
      if (now < resendAt) return resendTooSoon(resendAt, now);
      const pending = this.pendingCodes.get(challengeId);
      if (challenge.codeHmac !== null && !pending) return challengeEnded();
      const settings = this.deps.settings();
      const allowance = limits.check(challenge.phoneKey, settings.maxSmsPerKioskPerHour);
      if (!allowance.allowed) return refuse(allowance.reason === 'perNumber' ? 'tooManySends' : 'kioskLimit', this.sendLimitError(allowance));
      // The cooldown is claimed here, with the count, before the text goes out.
      if (!challenges.claimResend(challengeId, now, now - RESEND_COOLDOWN_MS)) return resendTooSoon(resendAt, now);
      const textable = this.texts(settings) && userId !== null && phoneNumber !== null && this.mayStillSignIn(phoneNumber, userId, 'sms');
      const code = pending && textable ? pending.code : null;
      limits.reserve(challenge.phoneKey, code !== null);
      if (code === null) audit.record({ type: 'sms.send', outcome: 'info', reason: 'noCodeSent', userId, phone: { masked: challenge.phoneMasked, key: challenge.phoneKey }, details: { channel: 'sms', resend: true } });
      return ok({ challenge, code, language: onScreenLanguage ?? pending?.language });
    });
    if (!claimed.ok) return claimed;
    const { challenge, code, language } = claimed.value;
    if (code !== null && challenge.phoneNumber !== null) {
      this.sendAside({ channel: 'sms', phoneNumber: challenge.phoneNumber, code, settings: this.deps.settings(), userId: challenge.userId, resend: true, language });
    }
    await timing.waitForDeadline(deadline);
    return ok({
      challengeId,
      maskedPhone: challenge.phoneMasked,
      expiresAt: challenge.expiresAt,
      resendAt: now + RESEND_COOLDOWN_MS,
      ...(textsMayBeLate && { textsMayBeLate: true as const }),
      ...this.callOffer(this.deps.settings(), now + RESEND_COOLDOWN_MS),
    });
  }

  /**
   * "Send a new code": once a code is expired, used up or dead after five wrong tries, a new
   * challenge and code to the same number — a send like any other, under the same caps, the
   * same lockout, the same synchronous reservation and the same registration-blind deadline
   * as a start. While the code still works, this is a resend of the same code (cooldown and all).
   */
  async renew(challengeId: string, language?: string): Promise<Result<StartedChallenge>> {
    const { challenges, clock, audit, directory } = this.deps;
    const challenge = challenges.find(challengeId);
    if (!challenge) return challengeEnded();
    const unusable = this.refuseUnusable(challenge, clock.now());
    if (!unusable) return this.resend(challengeId, language);
    const phone = { masked: challenge.phoneMasked, key: challenge.phoneKey };
    if (unusable.reason === 'locked') {
      audit.record({ type: 'signIn.start', outcome: 'failure', reason: 'locked', userId: challenge.userId, phone });
      return unusable.refusal;
    }
    this.pendingCodes.delete(challengeId);
    // A number someone may sign in with is kept: start again with it, judged afresh.
    if (challenge.phoneNumber !== null) return this.start(challenge.phoneNumber, undefined, language);
    // Any other is kept only as its keyed hash: a new challenge with no code, counted and
    // timed exactly like a start, so "Send a new code" tells nobody which numbers are registered.
    if (directory.isEmpty()) return fail('kiosk.notSynced', 'This kiosk has not received its list of people yet. Try again in a few minutes, or ask IT.');
    const settings = this.deps.settings();
    if (this.directoryTooOld(settings)) return directoryTooOld();
    return this.open({
      sendText: false,
      phoneNumber: null,
      phoneKey: challenge.phoneKey,
      phoneMasked: challenge.phoneMasked,
      eligibility: { eligible: false, reason: 'numberNotKept' },
      subject: challenge.lockoutSubject,
      settings,
      language,
    });
  }

  /**
   * Checks a typed code. On success, in one transaction: the code is used up, the lockout
   * count cleared, the number's texts marked answered, `signedIn` run (the session opens)
   * and the success audited — all of it or, if anything throws, none of it.
   */
  verify<T>(challengeId: string, code: string, signedIn: (who: { userId: string; phoneNumber: string; amr: readonly Amr[] }) => T): Result<T> {
    const { challenges, lockout, audit, clock, codeKey } = this.deps;
    const now = clock.now();
    return this.deps.transaction((): Result<T> => {
      const challenge = challenges.find(challengeId);
      if (!challenge) return challengeEnded();
      const { phoneNumber, userId } = challenge;
      const phone = { masked: challenge.phoneMasked, key: challenge.phoneKey };
      const failure = (reason: string) => audit.record({ type: 'signIn.verify', outcome: 'failure', reason, userId, phone });

      if (this.directoryTooOld(this.deps.settings())) {
        failure('directoryTooOld');
        return directoryTooOld();
      }
      const unusable = this.refuseUnusable(challenge, now);
      if (unusable) {
        failure(unusable.reason);
        return unusable.refusal;
      }

      // The same HMAC work for a challenge that never had a code: the number's registration
      // must not show in how long a wrong code takes.
      const matches = codeMatches(codeKey, challengeId, code, challenge.codeHmac ?? NO_CODE_SENT) && challenge.codeHmac !== null;
      // The policy or the directory may have changed since the code was sent.
      const stillEligible = matches && userId !== null && phoneNumber !== null && this.mayStillSignIn(phoneNumber, userId);
      if (!stillEligible || userId === null || phoneNumber === null) {
        const failed = challenges.recordFailure(challengeId);
        failure(matches ? 'noLongerEligible' : challenge.codeHmac === null ? 'noCodeSent' : 'wrongCode');
        const lock = lockout.recordFailure(challenge.lockoutSubject);
        if (lock.locked) {
          audit.record({
            type: 'signIn.lockout',
            outcome: 'info',
            reason: lock.until === null ? 'untilAdminUnlocks' : 'temporary',
            userId,
            phone,
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
      lockout.reopenMethods(challenge.phoneKey);
      // Its texts were answered: they stop counting against the number's cap (send-limits.ts).
      this.deps.limits.answered(challenge.phoneKey, challenge.createdAt);
      const amr = amrOf(this.pendingCodes.get(challengeId)?.sent);
      const value = signedIn({ userId, phoneNumber, amr });
      audit.record({ type: 'signIn.verify', outcome: 'success', userId, phoneNumber, details: { method: 'sms', amr: amr.join(' ') } });
      this.pendingCodes.delete(challengeId);
      return ok(value);
    });
  }

  /** Forgets challenges (and codes) long expired: run on a timer, so none lingers until the next start. */
  forgetExpired(): number {
    const now = this.deps.clock.now();
    this.forgetExpiredCodes(now);
    return this.deps.challenges.forgetExpiredBefore(now - CHALLENGE_KEPT_AFTER_EXPIRY_MS);
  }

  /** Resolves once every text handed to the provider has been answered (or failed). */
  async settled(): Promise<void> {
    while (this.sending.size > 0) await Promise.allSettled([...this.sending]);
  }

  /** Whether the directory is older than policy allows (never, where it does not age). */
  directoryTooOld(settings: KioskSettings = this.deps.settings()): boolean {
    const syncedAt = this.deps.directorySyncedAt();
    if (syncedAt === undefined || settings.maxDirectoryAgeHours === null) return false;
    return syncedAt === null || this.deps.clock.now() - syncedAt > settings.maxDirectoryAgeHours * 3_600_000;
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
   * Hands the code to the provider — as a text, or a call that reads it out — without
   * holding up the answer (which waits for the deadline instead). The audit log keeps the
   * truth: sent, by which channel and provider, or why not.
   */
  private sendAside(send: { channel: Channel; phoneNumber: string; code: string; settings: KioskSettings; userId: string | null; resend: boolean; language?: string; sent?: () => void }): void {
    const { timing, sms, audit, log } = this.deps;
    const details = { provider: sms.provider, channel: send.channel, resend: send.resend };
    const record = (outcome: 'success' | 'failure', reason?: string, delivery?: Delivery | void) =>
      audit.record({
        type: 'sms.send',
        outcome,
        reason,
        userId: send.userId,
        phoneNumber: send.phoneNumber,
        details: delivery
          ? { ...details, provider: delivery.provider, ...(delivery.failover && { failoverFrom: delivery.failover.from, failoverReason: delivery.failover.reason }) }
          : details,
      });
    const deliver = (): Promise<Delivery | void> => {
      if (send.channel === 'sms') return sms.send({ to: send.phoneNumber, body: composeCodeMessage(send.code, send.settings, send.language) });
      const spoken = composeSpokenCode(send.code, send.settings, send.language);
      return sms.call!({ to: send.phoneNumber, words: spoken.words, language: spoken.language });
    };
    let delivery: Delivery | void = undefined;
    const sending: Promise<void> = timing
      .measure(async () => {
        delivery = await deliver();
      })
      .then(
        () => {
          send.sent?.();
          record('success', undefined, delivery);
        },
        (error: unknown) => record('failure', error instanceof SmsSendError ? error.reason : 'unexpected'),
      )
      .catch((error: unknown) => log.warn('recording a send failed', { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => this.sending.delete(sending));
    this.sending.add(sending);
  }

  /**
   * Whether this user may (still) sign in with this number, as the directory and policy
   * stand now: by `channel`, or (no channel: a code being checked) by any that carries codes.
   */
  mayStillSignIn(phoneNumber: string, userId: string, channel?: Channel): boolean {
    const { directory } = this.deps;
    const settings = this.deps.settings();
    const holders = directory.holdersOf(phoneNumber);
    const policy = directory.smsMethodPolicy();
    const by = (via: Channel) => {
      if (via === 'sms' ? !this.texts(settings) : !this.calls(settings)) return false;
      const eligibility = judgeEligibility(holders, policy, via);
      return eligibility.eligible && eligibility.holder.userId === userId;
    };
    return channel ? by(channel) : by('sms') || by('voice');
  }

  private forgetExpiredCodes(now: number): void {
    for (const [id, pending] of this.pendingCodes) if (pending.expiresAt <= now) this.pendingCodes.delete(id);
    for (const [id, expiresAt] of this.calledAtOnce) if (expiresAt <= now) this.calledAtOnce.delete(id);
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
  // Own keys only: a tag such as "constructor" must not reach Object.prototype.
  const own = (tag: string | undefined) => (tag !== undefined && Object.hasOwn(templates, tag) ? templates[tag] : undefined);
  const template = (language && (own(language) ?? own(language.split('-')[0]))) || settings.messageTemplate;
  return template
    .replaceAll('{organization}', settings.organizationName)
    .replaceAll('{minutes}', minutes)
    .replaceAll('{code}', code);
}

/** Compared against where no code was sent: the length of a SHA-256 HMAC, matching nothing a code hashes to in practice. */
const NO_CODE_SENT = Buffer.alloc(32);
/**
 * How the code reached the worker: by text (`sms`), by a call that read it out (`voice`), or
 * both, when a text was followed by a call (either may be the one typed). A code known only
 * from before a restart (its ways not kept) counts as a text.
 */
const amrOf = (sent: ReadonlySet<Channel> | undefined): readonly Amr[] => {
  const ways = (['sms', 'voice'] as const).filter((way) => sent?.has(way));
  return ways.length > 0 ? ways : ['sms'];
};

const resendTooSoon = (resendAt: number, now: number) => {
  const seconds = Math.ceil((resendAt - now) / 1000);
  return fail('sms.resendTooSoon', `Wait ${seconds} seconds before asking for the code again.`, { retryAt: resendAt });
};
const directoryTooOld = () =>
  fail('kiosk.directoryTooOld', 'This kiosk has not been able to update its list of people for too long, so sign-in is paused. Ask a manager or IT.');
const codesOff = () => fail('signIn.codesOff', 'Sign-in by code is switched off on this kiosk. Ask a manager.');
const challengeEnded = () => fail('challenge.notFound', 'That sign-in has ended. Enter your number again.');
const codeUsed = () => fail('code.used', 'That code has already been used. Request a new code.');
const tooManyAttempts = () => fail('code.tooManyAttempts', 'Too many wrong tries for this code. Request a new code.');
