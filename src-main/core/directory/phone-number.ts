import { parsePhoneNumberFromString, parsePhoneNumberWithError, ParseError, validatePhoneNumberLength, type CountryCode } from 'libphonenumber-js/max';
import { fail, ok, type Result } from '../../../shared/result';

/** A phone number in E.164 form: `+12065550100`. */
export type E164 = string & { readonly __brand: 'E164' };

const allowedCharacters = /^[0-9+()\-.\s]*$/;

/**
 * Parses what a person typed into E.164, using the kiosk's country for numbers typed
 * without `+`. `0046…`, `+46 …` and `46…` typed at a Swedish kiosk are one number.
 */
export function normalisePhoneNumber(input: string, defaultCountry: string): Result<E164> {
  const typed = input.trim();
  if (!allowedCharacters.test(typed)) {
    return fail('phone.invalidCharacters', 'A phone number has only digits 0–9, and may start with +.');
  }
  if (!/[0-9]/.test(typed)) return fail('phone.empty', 'Enter your mobile number.');
  const country = defaultCountry as CountryCode;
  const national = parse(typed, country);
  if (typed.startsWith('+')) return national;
  // Typed with the country code but without `+` (`46…` at a Swedish kiosk), or after `00`,
  // the international prefix most of the world uses, even where the local one differs.
  const international = validInternationalReading(typed.replace(/\D/g, '').replace(/^00/, ''), country);
  if (!national.ok) return international ?? national;
  // Both readings can be valid (`4915…` at a German kiosk): sign-in is by mobile, so a
  // mobile reading wins; otherwise the national one does.
  if (international !== null && international.value !== national.value && isMobile(international.value) && !isMobile(national.value)) {
    return international;
  }
  return national;
}

/**
 * The `+`-reading of typed digits, only when it is a valid number: only then is it used.
 * No country calling code starts with 0, so a trunk-prefixed national number (`070…`)
 * has no such reading; skipping it spares a directory sync 100,000 thrown ParseErrors.
 */
/**
 * Graph writes office and alternate numbers as `+{country code} {number}x{extension}`
 * (`+1 5555551234x123`); other directories write `ext. 123`. A text never goes to an
 * extension, so it is dropped before the number is read.
 */
export function withoutExtension(text: string): string {
  return text.replace(/\s*(?:x|ext\.?|extension)\s*\d{1,10}\s*$/i, '');
}

function validInternationalReading(digits: string, country: CountryCode): { ok: true; value: E164 } | null {
  if (digits === '' || digits.startsWith('0')) return null;
  const number = parsePhoneNumberFromString(`+${digits}`, country);
  return number?.isValid() ? { ok: true, value: number.number as E164 } : null;
}

function isMobile(e164: string): boolean {
  const type = parsePhoneNumberWithError(e164).getType();
  return type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE';
}

function parse(text: string, country: CountryCode): Result<E164> {
  try {
    const number = parsePhoneNumberWithError(text, country);
    if (number.isValid()) return ok(number.number as E164);
    const length = validatePhoneNumberLength(text, country);
    if (length === 'TOO_SHORT') return fail('phone.tooShort', 'That number is too short. Check it and try again.');
    if (length === 'TOO_LONG') return fail('phone.tooLong', 'That number is too long. Check it and try again.');
    return fail('phone.invalid', 'That is not a valid mobile number. Check it and try again.');
  } catch (error) {
    if (error instanceof ParseError) {
      if (error.message === 'INVALID_COUNTRY') {
        return fail('phone.invalidCountry', 'That country code does not exist. Check the digits after +.');
      }
      if (error.message === 'TOO_SHORT') return fail('phone.tooShort', 'That number is too short. Check it and try again.');
      if (error.message === 'TOO_LONG') return fail('phone.tooLong', 'That number is too long. Check it and try again.');
      return fail('phone.invalid', 'That is not a valid mobile number. Check it and try again.');
    }
    throw error;
  }
}

/** `+12065550100` → `+1 ••• ••• 0100`: enough for a person to recognise, not to reuse. */
export function maskPhoneNumber(e164: string): string {
  let countryCode = '';
  try {
    countryCode = parsePhoneNumberWithError(e164).countryCallingCode;
  } catch {
    countryCode = '';
  }
  const last4 = e164.slice(-4);
  return countryCode ? `+${countryCode} ••• ••• ${last4}` : `••• ••• ${last4}`;
}
