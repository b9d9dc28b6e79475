import { describe, expect, it } from 'vitest';
import { matchingStep, otpauthUri, setupKey, totpCode, totpStepAt } from '../../../src-main/core/idp/totp';
import { open, seal } from '../../../src-main/core/secrets/sealed-box';
import { base32Decode, totpAt } from '../independent-totp';

// RFC 6238 Appendix B: the SHA-1 seed and its published 8-digit codes.
const RFC_SEED = Buffer.from('12345678901234567890', 'ascii');
const APPENDIX_B: Array<[seconds: number, code: string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('authenticator app codes (RFC 6238)', () => {
  it.each(APPENDIX_B)('gives the RFC 6238 Appendix B code at T=%i s (its last six digits)', (seconds, code) => {
    expect(totpCode(RFC_SEED, seconds * 1000)).toBe(code.slice(-6));
    // The test's own RFC 4226/6238, written from the RFC, agrees with the published 8 digits.
    expect(totpAt(RFC_SEED, seconds * 1000, 8)).toBe(code);
  });

  it('accepts the code of the step before and after, and no further (±1 time step)', () => {
    const now = 1_111_111_111_000;
    const step = totpStepAt(now);
    expect(matchingStep(RFC_SEED, totpAt(RFC_SEED, now), now)).toBe(step);
    expect(matchingStep(RFC_SEED, totpAt(RFC_SEED, now - 30_000), now)).toBe(step - 1);
    expect(matchingStep(RFC_SEED, totpAt(RFC_SEED, now + 30_000), now)).toBe(step + 1);
    expect(matchingStep(RFC_SEED, totpAt(RFC_SEED, now - 60_000), now)).toBeNull();
    expect(matchingStep(RFC_SEED, totpAt(RFC_SEED, now + 60_000), now)).toBeNull();
  });

  it('writes the otpauth URI the apps read: issuer, label, SHA1, 6 digits, 30 s', () => {
    const text = otpauthUri(RFC_SEED, 'Contoso Demo Store', '+1 ••• ••• 0100');
    const uri = new URL(text);
    expect(decodeURIComponent(text.split('?')[0]!)).toBe('otpauth://totp/Contoso Demo Store:+1 ••• ••• 0100');
    expect(Object.fromEntries(uri.searchParams)).toEqual({ secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', issuer: 'Contoso Demo Store', algorithm: 'SHA1', digits: '6', period: '30' });
  });

  it('shows the same secret as a setup key in groups of four', () => {
    expect(setupKey(RFC_SEED)).toBe('GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ');
    expect(base32Decode(setupKey(RFC_SEED))).toEqual(RFC_SEED);
  });
});

describe('secrets sealed at rest (AES-256-GCM)', () => {
  const key = Buffer.alloc(32, 7);
  const iv = Buffer.alloc(12, 1);

  it('opens only with the same key and the same owner', () => {
    const sealed = seal(key, RFC_SEED, 'u-alex', iv);
    expect(sealed.includes(RFC_SEED)).toBe(false);
    expect(open(key, sealed, 'u-alex')).toEqual(RFC_SEED);
    expect(open(key, sealed, 'u-priya')).toBeNull();
    expect(open(Buffer.alloc(32, 8), sealed, 'u-alex')).toBeNull();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    expect(open(key, tampered, 'u-alex')).toBeNull();
  });
});
