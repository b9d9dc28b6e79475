import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalisePhoneNumber } from '../../../src-main/core/directory/phone-number';

/** Real numbers as a kiosk would see them: national digits, country code, trunk prefix. */
const numbers = [
  { country: 'US', national: '2065550100', callingCode: '1', trunk: '1', e164: '+12065550100' },
  { country: 'US', national: '4155550123', callingCode: '1', trunk: '1', e164: '+14155550123' },
  { country: 'SE', national: '701234567', callingCode: '46', trunk: '0', e164: '+46701234567' },
  { country: 'GB', national: '7400123456', callingCode: '44', trunk: '0', e164: '+447400123456' },
  { country: 'DE', national: '15123456789', callingCode: '49', trunk: '0', e164: '+4915123456789' },
] as const;

const separators = fc.constantFrom('', ' ', '-', '.', ' - ');

/** Spreads digits out with the separators people type, and optional brackets round the start. */
function formatted(digits: string) {
  return fc.tuple(fc.array(separators, { minLength: digits.length, maxLength: digits.length }), fc.boolean(), fc.nat({ max: 3 })).map(
    ([seps, brackets, bracketLength]) => {
      const chars = [...digits].map((digit, i) => (i === 0 ? digit : seps[i]! + digit));
      if (brackets && bracketLength > 0 && bracketLength < chars.length) {
        return `(${chars.slice(0, bracketLength).join('')})${chars.slice(bracketLength).join('')}`;
      }
      return chars.join('');
    },
  );
}

/** The ways a number is typed at its own country's kiosk: +cc, 00cc, cc, trunk prefix, national. */
const typedAtHome = fc.constantFrom(...numbers).chain((n) =>
  fc
    .constantFrom(`+${n.callingCode}${n.national}`, `00${n.callingCode}${n.national}`, `${n.callingCode}${n.national}`, `${n.trunk}${n.national}`, n.national)
    .chain((raw) => {
      const plus = raw.startsWith('+');
      return formatted(plus ? raw.slice(1) : raw).map((text) => ({ n, typed: `${plus ? '+' : ''}${text}` }));
    }),
);

describe('phone number normalisation, for any formatting', () => {
  it('gives the same E.164 for every way a number is typed at its own kiosk', () => {
    fc.assert(
      fc.property(typedAtHome, fc.constantFrom('', ' ', '  '), ({ n, typed }, pad) => {
        expect(normalisePhoneNumber(`${pad}${typed}${pad}`, n.country)).toEqual({ ok: true, value: n.e164 });
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same E.164 for an international number typed with + at any kiosk', () => {
    fc.assert(
      fc.property(fc.constantFrom(...numbers), fc.constantFrom('US', 'SE', 'GB', 'DE', 'FR', 'IN'), (n, kiosk) => {
        const typed = `+${n.callingCode} ${n.national}`;
        expect(normalisePhoneNumber(typed, kiosk)).toEqual({ ok: true, value: n.e164 });
      }),
    );
  });

  it('answers any digit string the same however it is formatted: the same number or the same clear error', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{1,17}$/).chain((digits) => fc.tuple(fc.constant(digits), formatted(digits))),
        fc.constantFrom('US', 'SE', 'GB'),
        ([digits, typed], country) => {
          const plain = normalisePhoneNumber(digits, country);
          const fancy = normalisePhoneNumber(typed, country);
          if (plain.ok) expect(fancy).toEqual(plain);
          else expect(fancy.ok ? 'ok' : fancy.error.code).toBe(plain.error.code);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws, and names the problem, for any input at all', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (typed) => {
        const result = normalisePhoneNumber(typed, 'US');
        if (!result.ok) expect(result.error.message.length).toBeGreaterThan(10);
        else expect(result.value).toMatch(/^\+[1-9][0-9]{6,14}$/);
      }),
      { numRuns: 3000 },
    );
  });
});
