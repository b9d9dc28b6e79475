import type { FormEvent } from 'react';
import { useStore } from 'zustand';
import { ErrorMessage } from '../components/ErrorMessage';
import { Keypad } from '../components/Keypad';
import type { KioskStore } from '../state/kiosk-store';

/** Step 1: the worker types their mobile number. */
export function PhoneScreen({ store }: { store: KioskStore }) {
  const { phone, error, busy, device, typePhone, sendCode } = useStore(store);
  const hasDigits = /[0-9]/.test(phone);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (hasDigits && !busy) void sendCode();
  };

  return (
    <form className="screen phone-screen" onSubmit={submit} noValidate>
      <h1>Sign in with your mobile number</h1>
      <p className="hint">We will text you a 6-digit code.{device ? ` Numbers without + are read as ${device.defaultCountry} numbers.` : ''}</p>
      <label className="field">
        <span>Mobile number</span>
        <input
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          value={phone}
          maxLength={40}
          onChange={(event) => typePhone(event.target.value)}
          aria-invalid={error ? true : undefined}
        />
      </label>
      <Keypad onKey={(key) => typePhone(phone + key)} onDelete={() => typePhone(phone.slice(0, -1))} disabled={busy} />
      <ErrorMessage error={error} />
      <button type="submit" className="primary" disabled={!hasDigits || busy}>
        Send code
      </button>
    </form>
  );
}
