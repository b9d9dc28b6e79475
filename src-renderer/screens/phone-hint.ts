import { isPossiblePhoneNumber, isValidPhoneNumber, validatePhoneNumberLength, type CountryCode } from 'libphonenumber-js/min';

/** What the number typed so far needs, said under the field while the worker types. */
export type PhoneHint =
  | { kind: 'empty' }
  | { kind: 'missing'; digits: number }
  | { kind: 'extra'; digits: number }
  | { kind: 'unknownCallingCode' }
  | { kind: 'notInCountry' }
  | { kind: 'international' }
  | { kind: 'looksRight' };

const MOST_DIGITS_TRIED = 12;

/**
 * Judges a number as typed, for the live hint: how many digits are missing or extra, a
 * calling code no country has, or a number the country does not use. `looksRight` is the
 * only hint that lets Send code go; main still decides.
 */
export function phoneHint(typed: string, country: CountryCode): PhoneHint {
  const digits = typed.replace(/\D/g, '');
  if (digits.length === 0) return { kind: typed.startsWith('+') ? 'international' : 'empty' };
  const length = validatePhoneNumberLength(typed, country);
  if (length === 'INVALID_COUNTRY' || length === 'NOT_A_NUMBER') {
    return typed.startsWith('+') && digits.length >= 3 ? { kind: 'unknownCallingCode' } : typed.startsWith('+') ? { kind: 'international' } : { kind: 'notInCountry' };
  }
  if (length === 'TOO_SHORT') {
    for (let more = 1; more <= MOST_DIGITS_TRIED; more += 1) {
      if (validatePhoneNumberLength(typed + '0'.repeat(more), country) !== 'TOO_SHORT') return { kind: 'missing', digits: more };
    }
    return { kind: 'missing', digits: 1 };
  }
  if (length === 'TOO_LONG') {
    for (let fewer = 1; fewer < digits.length; fewer += 1) {
      if (validatePhoneNumberLength(typed.slice(0, -fewer), country) !== 'TOO_LONG') return { kind: 'extra', digits: fewer };
    }
    return { kind: 'extra', digits: 1 };
  }
  if (!isPossiblePhoneNumber(typed, country) || !isValidPhoneNumber(typed, country)) return { kind: 'notInCountry' };
  return { kind: 'looksRight' };
}
