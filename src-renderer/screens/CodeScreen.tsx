import { useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { ErrorMessage } from '../components/ErrorMessage';
import { useNow } from '../hooks/use-now';
import type { KioskStore } from '../state/kiosk-store';

const CODE_LENGTH = 6;

/** Step 2: the worker types the code from the text. Submits by itself on the sixth digit. */
export function CodeScreen({ store, maskedPhone, resendAt }: { store: KioskStore; maskedPhone: string; resendAt: number }) {
  const { error, busy, verifyCode, resendCode, changeNumber } = useStore(store);
  const [code, setCode] = useState('');
  const resendInSeconds = Math.max(0, Math.ceil((resendAt - useNow()) / 1000));

  const submit = (value: string) => {
    if (value.length === CODE_LENGTH && !busy) {
      void verifyCode(value).then(() => setCode(''));
    }
  };

  const onChange = (text: string) => {
    const digits = text.replace(/[^0-9]/g, '').slice(0, CODE_LENGTH);
    setCode(digits);
    if (digits.length === CODE_LENGTH) submit(digits);
  };

  return (
    <form
      className="screen code-screen"
      noValidate
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        submit(code);
      }}
    >
      <h1>Enter your code</h1>
      <p className="hint">If this number is registered, we sent a code to {maskedPhone}.</p>
      <label className="field">
        <span>Verification code</span>
        <input
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]*"
          maxLength={CODE_LENGTH}
          value={code}
          onChange={(event) => onChange(event.target.value)}
          autoFocus
          aria-invalid={error ? true : undefined}
        />
      </label>
      <ErrorMessage error={error} />
      <button type="submit" className="primary" disabled={code.length !== CODE_LENGTH || busy}>
        Sign in
      </button>
      <button type="button" className="secondary" onClick={() => void resendCode()} disabled={busy || resendInSeconds > 0}>
        Resend code
      </button>
      <p className="hint resend-hint" aria-live="polite">
        {resendInSeconds > 0 ? `You can ask for the code again in ${resendInSeconds} s.` : 'No text? You can ask for the code again.'}
      </p>
      <button type="button" className="secondary" onClick={() => void changeNumber()} disabled={busy}>
        Use a different number
      </button>
    </form>
  );
}
