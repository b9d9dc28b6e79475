import { useState } from 'react';
import { useStore } from 'zustand';
import { DigitBoxes, DigitKeypad, useSixDigits } from '../components/SixDigits';
import { ErrorMessage } from '../components/ErrorMessage';
import { useI18n } from '../i18n/use-i18n';
import type { KioskStore } from '../state/kiosk-store';

/** "Set a shift PIN": six digits, then the same six again. */
export function SetShiftPinScreen({ store, hours }: { store: KioskStore; hours: number }) {
  const busy = useStore(store, (s) => s.busy);
  const { m, f } = useI18n(store);
  const { setShiftPin, showPanel } = store.getState();
  const [first, setFirst] = useState<string | null>(null);
  const [differ, setDiffer] = useState(false);
  const entry = useSixDigits(async (pin) => {
    if (first === null) {
      setFirst(pin);
      setDiffer(false);
      return;
    }
    setFirst(null);
    if (pin !== first) return setDiffer(true);
    await setShiftPin(pin);
  }, busy);

  return (
    <form className="screen code-screen entry-screen" noValidate onSubmit={(event) => event.preventDefault()}>
      <div className="entry-text">
        <h1>{first === null ? m.ways.setPinHeading : m.ways.repeatPinHeading}</h1>
        <p className="hint">{m.ways.setPinHint(hours, f)}</p>
        <DigitBoxes key={first === null ? 'first' : 'again'} label={m.ways.newPin} digits={entry.digits} onInput={entry.enter} secret describedBy="pin-error" disabled={busy} />
        {differ && (
          <p className="error" role="alert">
            {m.ways.pinsDiffer}
          </p>
        )}
        <ErrorMessage store={store} id="pin-error" />
        <div className="entry-actions">
          <button type="button" className="secondary" onClick={() => void showPanel(null)} disabled={busy}>
            {m.cancel}
          </button>
        </div>
      </div>
      <DigitKeypad label={m.keypad} deleteLabel={m.deleteKey} entry={entry} disabled={busy} />
    </form>
  );
}
