import { AsYouType, type CountryCode } from 'libphonenumber-js/min';
import { useStore } from 'zustand';
import { DigitBoxes, DigitKeypad, useSixDigits } from '../components/SixDigits';
import { ErrorMessage } from '../components/ErrorMessage';
import { useI18n } from '../i18n/use-i18n';
import type { KioskStore } from '../state/kiosk-store';

/** "Use shift PIN" or "Use authenticator app": the typed number, then six digits, no text. */
export function NoTextSignInScreen({ store, way }: { store: KioskStore; way: 'shiftPin' | 'authenticator' }) {
  const busy = useStore(store, (s) => s.busy);
  const phone = useStore(store, (s) => s.phone);
  const country = useStore(store, (s) => (s.country ?? s.device?.defaultCountry ?? 'US') as CountryCode);
  const { m } = useI18n(store);
  const { signInWithoutText, chooseNoTextWay } = store.getState();
  const entry = useSixDigits(signInWithoutText, busy);
  const pin = way === 'shiftPin';

  return (
    <form className="screen code-screen entry-screen" noValidate onSubmit={(event) => event.preventDefault()}>
      <div className="entry-text">
        <h1>{pin ? m.ways.pinHeading : m.ways.authenticatorHeading}</h1>
        <p className="hint">{m.ways.forNumber(new AsYouType(country).input(phone))}</p>
        <DigitBoxes label={pin ? m.ways.shiftPin : m.ways.authenticatorCode} digits={entry.digits} onInput={entry.enter} secret={pin} describedBy="no-text-error" disabled={busy} />
        <ErrorMessage store={store} id="no-text-error" />
        <div className="entry-actions">
          <button type="button" className="secondary" onClick={() => chooseNoTextWay(null)} disabled={busy}>
            {m.ways.back}
          </button>
        </div>
      </div>
      <DigitKeypad label={m.keypad} deleteLabel={m.deleteKey} entry={entry} disabled={busy} />
    </form>
  );
}
