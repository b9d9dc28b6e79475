import { describe, expect, it } from 'vitest';
import { maskPhoneNumber, normalisePhoneNumber } from '../../../src-main/core/directory/phone-number';

describe('normalisePhoneNumber', () => {
  it.each(['0046 70 123 45 67', '+46 70 123 45 67', '46701234567', '070-123 45 67'])(
    'reads %s at a Swedish kiosk as +46701234567',
    (typed) => {
      expect(normalisePhoneNumber(typed, 'SE')).toEqual({ ok: true, value: '+46701234567' });
    },
  );

  it.each(['12065550100', '2065550100', '+1 (206) 555-0100', '206.555.0100'])('reads %s at a US kiosk as +12065550100', (typed) => {
    expect(normalisePhoneNumber(typed, 'US')).toEqual({ ok: true, value: '+12065550100' });
  });

  it.each([
    ['', 'phone.empty'],
    ['   ', 'phone.empty'],
    ['+', 'phone.empty'],
    ['206 555 O1OO', 'phone.invalidCharacters'],
    ['٢٠٦٥٥٥٠١٠٠', 'phone.invalidCharacters'],
    ['2065550100; DROP TABLE users', 'phone.invalidCharacters'],
    ['123', 'phone.tooShort'],
    ['2065550100123456789', 'phone.tooLong'],
    ['+999 123 4567', 'phone.invalidCountry'],
    ['1115550100', 'phone.invalid'],
  ])('refuses %j with %s', (typed, code) => {
    const result = normalisePhoneNumber(typed, 'US');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.message.length).toBeGreaterThan(10);
    }
  });
});

describe('maskPhoneNumber', () => {
  it('keeps the country code and the last four digits only', () => {
    expect(maskPhoneNumber('+12065550100')).toBe('+1 ••• ••• 0100');
    expect(maskPhoneNumber('+46701234567')).toBe('+46 ••• ••• 4567');
  });
});
