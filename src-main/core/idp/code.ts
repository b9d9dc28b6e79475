import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RandomSource } from '../base/random';

export const CODE_DIGITS = 6;
const CODE_SPACE = 10 ** CODE_DIGITS;
// Largest multiple of 10^6 below 2^32: values at or above it are redrawn so every code is
// equally likely (no modulo bias).
const UNBIASED_LIMIT = Math.floor(2 ** 32 / CODE_SPACE) * CODE_SPACE;

/** A uniformly random 6-digit code from the CSPRNG. */
export function generateCode(random: RandomSource): string {
  for (;;) {
    const value = random.bytes(4).readUInt32BE(0);
    if (value < UNBIASED_LIMIT) return String(value % CODE_SPACE).padStart(CODE_DIGITS, '0');
  }
}

/** The only form in which a code is stored: an HMAC bound to the challenge it was issued for. */
export function hashCode(key: Buffer, challengeId: string, code: string): Buffer {
  return createHmac('sha256', key).update(challengeId).update('\u0000').update(code).digest();
}

export function codeMatches(key: Buffer, challengeId: string, code: string, stored: Buffer): boolean {
  const candidate = hashCode(key, challengeId, code);
  return candidate.length === stored.length && timingSafeEqual(candidate, stored);
}
