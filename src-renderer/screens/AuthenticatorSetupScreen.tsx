import { useStore } from 'zustand';
import { DigitBoxes, DigitKeypad, useSixDigits } from '../components/SixDigits';
import { ErrorMessage } from '../components/ErrorMessage';
import { useI18n } from '../i18n/use-i18n';
import type { KioskStore } from '../state/kiosk-store';

/**
 * "Set up authenticator app": the QR code (an SVG made in main, shown as an image: the CSP
 * allows img-src data:, and no markup from main is ever put into the page) and the same
 * secret as a setup key, then the app's first code.
 */
export function AuthenticatorSetupScreen({ store, setup }: { store: KioskStore; setup: { qrCode: string; setupKey: string } | null }) {
  const busy = useStore(store, (s) => s.busy);
  const { m } = useI18n(store);
  const { confirmAuthenticator, showPanel } = store.getState();
  const entry = useSixDigits(confirmAuthenticator, busy);

  return (
    <form className="screen code-screen entry-screen authenticator-setup" noValidate onSubmit={(event) => event.preventDefault()}>
      <div className="entry-text">
        <h1>{m.ways.authenticatorSetupHeading}</h1>
        <p className="hint">{m.ways.authenticatorSetupHint}</p>
        {setup && (
          <div className="authenticator-secret">
            <img className="qr-code" src={setup.qrCode} alt={m.ways.qrCode} />
            <label className="field setup-key">
              <span>{m.ways.setupKey}</span>
              <input type="text" readOnly value={setup.setupKey} />
            </label>
          </div>
        )}
        <DigitBoxes label={m.ways.authenticatorCode} digits={entry.digits} onInput={entry.enter} describedBy="setup-error" disabled={busy || !setup} />
        <ErrorMessage store={store} id="setup-error" />
        <div className="entry-actions">
          <button type="button" className="secondary" onClick={() => void showPanel(null)} disabled={busy}>
            {m.cancel}
          </button>
        </div>
      </div>
      <DigitKeypad label={m.keypad} deleteLabel={m.deleteKey} entry={entry} disabled={busy || !setup} />
    </form>
  );
}
