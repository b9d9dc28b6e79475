import { useStore } from 'zustand';
import type { AppTile } from '../../shared/contract';
import { DigitBoxes, DigitKeypad, useSixDigits } from '../components/SixDigits';
import { ErrorMessage } from '../components/ErrorMessage';
import { useI18n } from '../i18n/use-i18n';
import type { KioskStore } from '../state/kiosk-store';

/** A sensitive app asks for a current authenticator code before it opens. */
export function StepUpScreen({ store, app }: { store: KioskStore; app: AppTile }) {
  const busy = useStore(store, (s) => s.busy);
  const { m } = useI18n(store);
  const { stepUp, showPanel } = store.getState();
  const entry = useSixDigits(stepUp, busy);

  return (
    <form className="screen code-screen entry-screen" noValidate onSubmit={(event) => event.preventDefault()}>
      <div className="entry-text">
        <h1>{m.ways.authenticatorHeading}</h1>
        <p className="hint">{m.ways.stepUpHint(app.name)}</p>
        <DigitBoxes label={m.ways.authenticatorCode} digits={entry.digits} onInput={entry.enter} describedBy="step-up-error" disabled={busy} />
        <ErrorMessage store={store} id="step-up-error" />
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
