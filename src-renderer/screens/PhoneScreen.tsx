import { useMemo, useState, type FormEvent } from 'react';
import { AsYouType, getCountries, getCountryCallingCode, type CountryCode } from 'libphonenumber-js/min';
import { useStore } from 'zustand';
import { ErrorMessage } from '../components/ErrorMessage';
import { Keypad } from '../components/Keypad';
import { locales } from '../i18n/i18n';
import { useI18n } from '../i18n/use-i18n';
import type { KioskStore } from '../state/kiosk-store';
import { PhoneHintLine } from './PhoneHintLine';
import { phoneHint } from './phone-hint';

/** Only what can be part of a number survives typing or pasting. */
const cleaned = (text: string) => text.replace(/[^0-9+]/g, '').replace(/(?!^)\+/g, '');

/** Step 1: the worker types their mobile number. */
export function PhoneScreen({ store }: { store: KioskStore }) {
  const phone = useStore(store, (s) => s.phone);
  const failed = useStore(store, (s) => s.error !== null);
  const busy = useStore(store, (s) => s.busy);
  const device = useStore(store, (s) => s.device);
  const picked = useStore(store, (s) => s.country);
  const { lang, m } = useI18n(store);
  const { typePhone, chooseCountry, chooseLanguage, sendCode, chooseNoTextWay } = store.getState();
  const [otherWaysOpen, setOtherWaysOpen] = useState(false);
  const methods = device?.signInMethods ?? [];
  const otherWays = (['shiftPin', 'authenticator'] as const).filter((way) => methods.includes(way));
  const country = (picked ?? device?.defaultCountry ?? 'US') as CountryCode;

  const hint = useMemo(() => phoneHint(phone, country), [phone, country]);
  // Formatting as the worker types, once the digits could be a whole number: a partial
  // number formats misleadingly ("(555) 010-0"), so until then the digits show as typed.
  const formatted = useMemo(() => (hint.kind === 'looksRight' || hint.kind === 'notInCountry' ? new AsYouType(country).input(phone) : phone), [hint, phone, country]);
  const possible = hint.kind === 'looksRight' || hint.kind === 'notInCountry';
  const countries = useMemo(() => {
    const names = new Intl.DisplayNames([lang], { type: 'region' });
    return getCountries()
      .map((code) => ({ code, label: m.countryOption(names.of(code) ?? code, getCountryCallingCode(code)) }))
      .sort((a, b) => a.label.localeCompare(b.label, lang));
  }, [lang, m]);

  const otherWaysToggle = (where: string) =>
    otherWays.length > 0 &&
    !otherWaysOpen && (
      <button type="button" className={`secondary ${where}`} onClick={() => setOtherWaysOpen(true)}>
        {m.ways.otherWays}
      </button>
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (possible && !busy) void sendCode();
  };

  return (
    <form className="screen phone-screen entry-screen" onSubmit={submit} noValidate>
      <div className="entry-text">
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
            aria-describedby="phone-hint phone-error"
          />
        </label>
        {/* The hint, or the error from sending: one line of advice at a time. */}
        {!failed && <PhoneHintLine id="phone-hint" hint={hint} country={country} store={store} />}
        <ErrorMessage store={store} id="phone-error" />
        <div className="entry-actions">
          <button type="submit" className="primary send" disabled={!possible || busy}>
            {m.sendCode}
          </button>
          {otherWaysToggle('other-ways-toggle-narrow')}
        </div>
      </div>
      {/* On a wide screen under the keypad (that column has room to spare); on a tall one beside Send code. */}
      <div className="keypad-column">
        {/* The ways in without a text take the keypad's place: the number is typed by then. */}
        {otherWaysOpen && otherWays.length > 0 ? (
          <div className="other-ways" id="other-ways" role="group" aria-label={m.ways.otherWays}>
            {otherWays.map((way) => (
              <button key={way} type="button" className="secondary" disabled={!possible || busy} onClick={() => chooseNoTextWay(way)}>
                {way === 'shiftPin' ? m.ways.useShiftPin : m.ways.useAuthenticator}
              </button>
            ))}
            <button type="button" className="secondary" onClick={() => setOtherWaysOpen(false)}>
              {m.ways.back}
            </button>
          </div>
        ) : (
          <Keypad
            label={m.keypad}
            deleteLabel={m.deleteKey}
            clearLabel={m.clearKey}
            onKey={(key) => typePhone(cleaned(phone + key))}
            onDelete={() => typePhone(phone.slice(0, -1))}
            onClear={() => typePhone('')}
            disabled={busy}
          />
        )}
        {otherWaysToggle('other-ways-toggle-wide')}
      </div>
    </form>
  );
}
