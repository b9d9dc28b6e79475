import { useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { ErrorMessage } from './ErrorMessage';
import { Keypad } from './Keypad';
import { useI18n } from '../i18n/use-i18n';
import type { KioskStore } from '../state/kiosk-store';

const PIN_MAX = 12;

/** Asked after the hidden gesture: the admin PIN opens the admin screen. */
export function AdminPinDialog({ store }: { store: KioskStore }) {
  const busy = useStore(store, (s) => s.busy);
  const { m } = useI18n(store);
  const { openAdmin, closeAdmin } = store.getState();
  const [pin, setPin] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (pin.length >= 4) void openAdmin(pin).then(() => setPin(''));
  };
  return (
    <div className="overlay">
      <form className="screen admin-pin entry-screen" role="dialog" aria-modal="true" aria-labelledby="admin-pin-title" onSubmit={submit} noValidate>
        <div className="entry-text">
          <h1 id="admin-pin-title">{m.adminPinHeading}</h1>
          <label className="field">
            <span>{m.adminPin}</span>
            <input
              type="password"
              inputMode="numeric"
              autoComplete="off"
              maxLength={PIN_MAX}
              value={pin}
              onChange={(event) => setPin(event.target.value.replace(/\D/g, '').slice(0, PIN_MAX))}
              autoFocus
            />
          </label>
          <ErrorMessage store={store} admin />
          <div className="entry-actions">
            <button type="submit" className="primary" disabled={pin.length < 4 || busy}>
              {m.adminOpen}
            </button>
            <button type="button" className="secondary" onClick={() => void closeAdmin()}>
              {m.cancel}
            </button>
          </div>
        </div>
        <Keypad label={m.keypad} deleteLabel={m.deleteKey} plus={false} onKey={(key) => setPin((pin + key).slice(0, PIN_MAX))} onDelete={() => setPin(pin.slice(0, -1))} disabled={busy} />
      </form>
    </div>
  );
}
