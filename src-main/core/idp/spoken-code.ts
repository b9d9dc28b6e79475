import type { KioskSettings } from '../directory/directory-snapshot';

/** What a call says, per language the kiosk speaks: the code digit by digit, then again. */
const scripts: Record<string, (organization: string, digits: string) => string> = {
  en: (organization, digits) => `This is ${organization}. Your kiosk code is: ${digits}. Again: ${digits}.`,
  es: (organization, digits) => `Le llama ${organization}. Su código del quiosco es: ${digits}. Otra vez: ${digits}.`,
};

/**
 * The words of a call that reads a code out: in the language on screen (else the kiosk's),
 * each digit on its own so a voice says "four, eight" and not "forty-eight", twice.
 */
export function composeSpokenCode(code: string, settings: KioskSettings, language?: string): { words: string; language: string } {
  const wanted = language ?? settings.defaultLanguage;
  const base = wanted.split('-')[0]!;
  const script = Object.hasOwn(scripts, base) ? scripts[base] : undefined;
  const digits = [...code].join(', ');
  return script
    ? { words: script(settings.organizationName, digits), language: wanted }
    : { words: scripts.en!(settings.organizationName, digits), language: 'en' };
}
