import { describe, expect, it } from 'vitest';
import { codeMatches, generateCode, hashCode } from '../../../src-main/core/idp/code';
import { seededRandom } from '../../fakes';

describe('codes', () => {
  it('are six digits, leading zeros kept, spread over the whole range', () => {
    const random = seededRandom('codes');
    const codes = Array.from({ length: 20_000 }, () => generateCode(random));
    expect(codes.every((code) => /^[0-9]{6}$/.test(code))).toBe(true);
    const firstDigits = new Map<string, number>();
    for (const code of codes) firstDigits.set(code[0]!, (firstDigits.get(code[0]!) ?? 0) + 1);
    expect(firstDigits.size).toBe(10);
    for (const count of firstDigits.values()) expect(count).toBeGreaterThan(1_700); // 2,000 expected each
  });

  it('redraws values that would bias the code towards low numbers', () => {
    // 0xFFFFFFFF is above the unbiased limit and must be thrown away, not reduced modulo 10^6.
    const draws = [Buffer.from([0xff, 0xff, 0xff, 0xff]), Buffer.from([0x00, 0x00, 0x30, 0x39])];
    const code = generateCode({ bytes: () => draws.shift()! });
    expect(code).toBe('012345');
    expect(draws).toHaveLength(0);
  });

  it('are stored only as an HMAC bound to their challenge and key', () => {
    const key = Buffer.alloc(32, 7);
    const stored = hashCode(key, 'challenge-a', '123456');
    expect(stored.toString('hex')).not.toContain('123456');
    expect(codeMatches(key, 'challenge-a', '123456', stored)).toBe(true);
    expect(codeMatches(key, 'challenge-b', '123456', stored)).toBe(false);
    expect(codeMatches(Buffer.alloc(32, 8), 'challenge-a', '123456', stored)).toBe(false);
    expect(codeMatches(key, 'challenge-a', '123457', stored)).toBe(false);
  });
});
