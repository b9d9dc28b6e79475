import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryAtFrom, retryDelayMs } from '../../../src-main/core/sync/retry-after';

const NOW = Date.parse('2026-11-22T09:00:00Z');
const SECOND = 1000;
const HOUR = 3600 * SECOND;

describe('Retry-After (RFC 9110 §10.2.3)', () => {
  it("waits out Microsoft's decimal answer, 2.128, rounded up to 3 s", () => {
    expect(retryDelayMs('2.128', NOW)).toBe(3 * SECOND);
  });

  it('reads 2.5 as seconds, never as a date in 2001', () => {
    expect(retryDelayMs('2.5', NOW)).toBe(3 * SECOND);
  });

  it('reads whole delta-seconds', () => {
    expect(retryDelayMs('120', NOW)).toBe(120 * SECOND);
  });

  it('reads an HTTP-date (IMF-fixdate, and the obsolete RFC 850 and asctime forms)', () => {
    expect(retryDelayMs('Sun, 22 Nov 2026 09:00:30 GMT', NOW)).toBe(30 * SECOND);
    expect(retryDelayMs('Sunday, 22-Nov-26 09:01:00 GMT', NOW)).toBe(60 * SECOND);
    expect(retryDelayMs('Sun Nov 22 09:00:10 2026', NOW)).toBe(10 * SECOND);
  });

  it('waits at least 1 s: 0, a tiny fraction and a date in the past', () => {
    expect(retryDelayMs('0', NOW)).toBe(SECOND);
    expect(retryDelayMs('0.001', NOW)).toBe(SECOND);
    expect(retryDelayMs('Sun, 22 Nov 2026 08:00:00 GMT', NOW)).toBe(SECOND);
  });

  it('waits at most 1 h', () => {
    expect(retryDelayMs('86400', NOW)).toBe(HOUR);
    expect(retryDelayMs('99999999999999999999', NOW)).toBe(HOUR);
    expect(retryDelayMs('Fri, 01 Jan 2100 00:00:00 GMT', NOW)).toBe(HOUR);
  });

  it('gives nothing for an absent or unreadable header, so the caller backs off its own way', () => {
    for (const header of [null, undefined, '', '  ', '-1', '1e3', 'soon', '2.', '.5', '0x10', 'NaN', 'Infinity', '2001-02-01']) {
      expect(retryDelayMs(header, NOW)).toBeUndefined();
    }
  });

  it('retryAtFrom is now plus the same delay', () => {
    expect(retryAtFrom('2.128', NOW)).toBe(NOW + 3 * SECOND);
    expect(retryAtFrom('nonsense', NOW)).toBeUndefined();
  });

  it('for any delta-seconds, waits ceil(seconds) within 1 s – 1 h', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), fc.option(fc.stringMatching(/^[0-9]{1,6}$/), { nil: undefined }), (whole, fraction) => {
        const header = fraction === undefined ? String(whole) : `${whole}.${fraction}`;
        const seconds = Number(header);
        const expected = Math.min(HOUR, Math.max(SECOND, Math.ceil(seconds) * SECOND));
        expect(retryDelayMs(header, NOW)).toBe(expected);
      }),
    );
  });

  it('for any HTTP-date, waits until it within 1 s – 1 h', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2 * 86_400, max: 2 * 86_400 }), (offsetSeconds) => {
        const header = new Date(NOW + offsetSeconds * SECOND).toUTCString();
        expect(retryDelayMs(header, NOW)).toBe(Math.min(HOUR, Math.max(SECOND, offsetSeconds * SECOND)));
      }),
    );
  });

  it('for any text at all, answers undefined or a delay within 1 s – 1 h', () => {
    fc.assert(
      fc.property(fc.string(), (header) => {
        const delay = retryDelayMs(header, NOW);
        if (delay !== undefined) expect(delay >= SECOND && delay <= HOUR).toBe(true);
      }),
    );
  });
});
