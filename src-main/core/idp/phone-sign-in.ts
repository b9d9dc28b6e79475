import { fail, ok, type Result } from '../../../shared/result';
import type { Clock } from '../clock';
import { randomId, type RandomSource } from '../random';
import type { SmsSender } from '../sms/sms-sender';
import type { ChallengeRepository } from '../store/challenge-repository';
import type { DirectoryRepository } from '../store/directory-repository';
import type { KioskSettings } from '../sync/directory-snapshot';
import type { AuditLog } from './audit-log';
import { codeMatches, generateCode, hashCode } from './code';
import { judgeEligibility } from './eligibility';
import { maskPhoneNumber, normalisePhoneNumber } from './phone-number';

/** OWASP ASVS V2.7 / DESIGN.md: five wrong entries and the code is dead. */
export const MAX_WRONG_ENTRIES_PER_CODE = 5;

export interface StartedChallenge {
  challengeId: string;
  maskedPhone: string;
  expiresAt: number;
}

export interface PhoneSignInDeps {
  directory: DirectoryRepository;
  challenges: ChallengeRepository;
  audit: AuditLog;
  sms: SmsSender;
  clock: Clock;
  random: RandomSource;
  codeKey: Buffer;
  settings: () => KioskSettings;
}

/**
 * Sign-in with a phone number and a texted code. A challenge is created whether or not
 * the number may sign in, so the kiosk never tells a passer-by which numbers are
 * registered; the audit log keeps the real reason.
 */
export class PhoneSignIn {
  constructor(private readonly deps: PhoneSignInDeps) {}

  async start(typedPhone: string): Promise<Result<StartedChallenge>> {
    const { directory, challenges, audit, clock, random, codeKey } = this.deps;
    const settings = this.deps.settings();
    const normalised = normalisePhoneNumber(typedPhone, settings.defaultCountry);
    if (!normalised.ok) return normalised;
    const phoneNumber = normalised.value;

    const eligibility = judgeEligibility(directory.holdersOf(phoneNumber), directory.smsMethodPolicy());
    const challengeId = randomId(random);
    const createdAt = clock.now();
    const expiresAt = createdAt + settings.codeValiditySeconds * 1000;

    if (!eligibility.eligible) {
      challenges.insert({ id: challengeId, phoneNumber, userId: null, codeHmac: null, createdAt, expiresAt });
      audit.record({ type: 'signIn.start', outcome: 'failure', reason: eligibility.reason, userId: eligibility.userId, phoneNumber });
      return ok({ challengeId, maskedPhone: maskPhoneNumber(phoneNumber), expiresAt });
    }

    const userId = eligibility.holder.userId;
    const code = generateCode(random);
    try {
      await this.deps.sms.send({ to: phoneNumber, body: codeMessage(code, settings) });
    } catch (error) {
      // A failed send consumes nothing: no challenge is stored.
      audit.record({ type: 'sms.send', outcome: 'failure', reason: errorName(error), userId, phoneNumber });
      return fail('sms.sendFailed', 'We could not send a text right now. Wait a moment and try again.');
    }
    challenges.insert({ id: challengeId, phoneNumber, userId, codeHmac: hashCode(codeKey, challengeId, code), createdAt, expiresAt });
    audit.record({ type: 'sms.send', outcome: 'success', userId, phoneNumber });
    audit.record({ type: 'signIn.start', outcome: 'success', userId, phoneNumber });
    return ok({ challengeId, maskedPhone: maskPhoneNumber(phoneNumber), expiresAt });
  }

  /** Checks a typed code; on success returns the user it signs in. */
  verify(challengeId: string, code: string): Result<{ userId: string }> {
    const { directory, challenges, audit, clock, codeKey } = this.deps;
    const challenge = challenges.find(challengeId);
    if (!challenge) return fail('challenge.notFound', 'That sign-in has ended. Enter your number again.');
    const { phoneNumber, userId } = challenge;
    const now = clock.now();
    const failure = (reason: string) => audit.record({ type: 'signIn.verify', outcome: 'failure', reason, userId, phoneNumber });

    if (challenge.consumedAt !== null) {
      failure('codeUsed');
      return fail('code.used', 'That code has already been used. Request a new code.');
    }
    if (now >= challenge.expiresAt) {
      failure('codeExpired');
      return fail('code.expired', 'That code has expired. Request a new code.');
    }
    if (challenge.failedAttempts >= MAX_WRONG_ENTRIES_PER_CODE) {
      failure('tooManyAttempts');
      return fail('code.tooManyAttempts', 'Too many wrong tries for this code. Request a new code.');
    }

    const matches = challenge.codeHmac !== null && codeMatches(codeKey, challengeId, code, challenge.codeHmac);
    // The policy or the directory may have changed since the code was sent.
    const stillEligible = matches && userId !== null && isStillEligible(directory, phoneNumber, userId);
    if (!stillEligible) {
      const failed = challenges.recordFailure(challengeId);
      const attemptsLeft = Math.max(0, MAX_WRONG_ENTRIES_PER_CODE - failed);
      failure(matches ? 'noLongerEligible' : challenge.codeHmac === null ? 'noCodeSent' : 'wrongCode');
      if (attemptsLeft === 0) return fail('code.tooManyAttempts', 'Too many wrong tries for this code. Request a new code.');
      return fail('code.wrong', `That code is not right. ${attemptsLeft} ${attemptsLeft === 1 ? 'try' : 'tries'} left.`, { attemptsLeft });
    }
    if (!challenges.consume(challengeId, now)) {
      failure('codeUsed');
      return fail('code.used', 'That code has already been used. Request a new code.');
    }
    audit.record({ type: 'signIn.verify', outcome: 'success', userId, phoneNumber });
    return ok({ userId });
  }
}

function isStillEligible(directory: DirectoryRepository, phoneNumber: string, userId: string): boolean {
  const eligibility = judgeEligibility(directory.holdersOf(phoneNumber), directory.smsMethodPolicy());
  return eligibility.eligible && eligibility.holder.userId === userId;
}

function codeMessage(code: string, settings: KioskSettings): string {
  const minutes = Math.round(settings.codeValiditySeconds / 60);
  return `${code} is your ${settings.organizationName} kiosk code. It expires in ${minutes} min. Don't share it.`;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown';
}
