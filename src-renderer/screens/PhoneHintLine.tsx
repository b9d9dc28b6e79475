import type { CountryCode } from 'libphonenumber-js/min';
import { useI18n } from '../i18n/use-i18n';
import type { KioskStore } from '../state/kiosk-store';
import type { PhoneHint } from './phone-hint';

/** The live hint under the number: what is missing or wrong, in words, as the worker types. */
export function PhoneHintLine({ id, hint, country, store }: { id: string; hint: PhoneHint; country: CountryCode; store: KioskStore }) {
  const { lang, m, f } = useI18n(store);
  const h = m.phoneHints;
  const countryName = new Intl.DisplayNames([lang], { type: 'region' }).of(country) ?? country;
  const text = {
    empty: h.empty,
    international: h.international,
    missing: hint.kind === 'missing' ? h.missing(hint.digits, f) : '',
    extra: hint.kind === 'extra' ? h.extra(hint.digits, f) : '',
    unknownCallingCode: h.unknownCallingCode,
    notInCountry: h.notInCountry(countryName),
    looksRight: h.looksRight,
  }[hint.kind];
  return (
    <p id={id} className={`phone-hint phone-hint-${hint.kind}`} aria-live="polite">
      {text}
    </p>
  );
}
