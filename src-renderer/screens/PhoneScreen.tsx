import { useMemo, type FormEvent } from 'react';
import { AsYouType, getCountries, getCountryCallingCode, isPossiblePhoneNumber, type CountryCode } from 'libphonenumber-js/min';
import { useStore } from 'zustand';
import { ErrorMessage } from '../components/ErrorMessage';
import { Keypad } from '../components/Keypad';
import { locales } from '../i18n/i18n';
import { useI18n } from '../i18n/use-i18n';
import type { KioskStore } from '../state/kiosk-store';

/** Only what can be part of a number survives typing or pasting. */
const cleaned = (text: string) => text.replace(/[^0-9+]/g, '').replace(/(?!^)\+/g, '');

/** Step 1: the worker types their mobile number. */
export function PhoneScreen({ store }: { store: KioskStore }) {
  const phone = useStore(store, (s) => s.phone);
  const busy = useStore(store, (s) => s.busy);
  const device = useStore(store, (s) => s.device);
  const picked = useStore(store, (s) => s.country);
  const { lang, m } = useI18n(store);
  const { typePhone, chooseCountry, chooseLanguage, sendCode } = store.getState();
  const country = (picked ?? device?.defaultCountry ?? 'US') as CountryCode;

  // Formatting as the worker types (libphonenumber-js "min" metadata: enough to format
  // and to tell a possible number, at a fraction of the full metadata's size).
  const formatted = useMemo(() => (phone ? new AsYouType(country).input(phone) : ''), [phone, country]);
  const possible = phone.replace(/\D/g, '').length > 0 && isPossiblePhoneNumber(phone, country);
  const countries = useMemo(() => {
    const names = new Intl.DisplayNames([lang], { type: 'region' });
    return getCountries()
      .map((code) => ({ code, label: m.countryOption(names.of(code) ?? code, getCountryCallingCode(code)) }))
      .sort((a, b) => a.label.localeCompare(b.label, lang));
  }, [lang, m]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (possible && !busy) void sendCode();
  };

  return (
    <form className="screen phone-screen" onSubmit={submit} noValidate>
      <div className="screen-top">
        <h1>{m.phoneHeading}</h1>
        <div className="languages" role="group" aria-label={m.switchLanguage}>
          {locales
            .filter((locale) => locale.code !== lang)
            .map((locale) => (
              <button key={locale.code} type="button" className="secondary language" lang={locale.code} onClick={() => chooseLanguage(locale.code)}>
                {locale.messages.languageName}
              </button>
            ))}
        </div>
      </div>
      <p className="hint">{device?.branding.signInHint ?? m.phoneHint}</p>
      <label className="field">
        <span>{m.country}</span>
        <select value={country} onChange={(event) => chooseCountry(event.target.value)}>
          {countries.map(({ code, label }) => (
            <option key={code} value={code}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{m.mobileNumber}</span>
        <input
          type="tel"
          inputMode="tel"
          autoComplete="off"
          value={formatted}
          maxLength={40}
          onChange={(event) => typePhone(cleaned(event.target.value))}
          aria-describedby="phone-error"
        />
      </label>
      <Keypad
        label={m.keypad}
        deleteLabel={m.deleteKey}
        clearLabel={m.clearKey}
        onKey={(key) => typePhone(cleaned(phone + key))}
        onDelete={() => typePhone(phone.slice(0, -1))}
        onClear={() => typePhone('')}
        disabled={busy}
      />
      <ErrorMessage store={store} id="phone-error" />
      <button type="submit" className="primary" disabled={!possible || busy}>
        {m.sendCode}
      </button>
    </form>
  );
}
