import { useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { ErrorMessage } from '../components/ErrorMessage';
import { announcedSeconds } from '../hooks/announced-seconds';
import { useNow } from '../hooks/use-now';
import { useI18n } from '../i18n/use-i18n';
import type { KioskStore } from '../state/kiosk-store';

const CODE_LENGTH = 6;

interface CodeScreenProps {
  store: KioskStore;
  maskedPhone: string;
  expiresAt: number;
  resendAt: number;
  /** Kiosk-wide, the same for every number: real texts are failing or slow just now. */
  textsMayBeLate?: boolean;
}

/**
 * Step 2: the worker types the code from the text — six boxes to look at, one real input
 * underneath (so autofill, paste and screen readers all work). Submits on the sixth digit.
 */
export function CodeScreen({ store, maskedPhone, expiresAt, resendAt, textsMayBeLate = false }: CodeScreenProps) {
  const busy = useStore(store, (s) => s.busy);
  const { m, f } = useI18n(store);
  const { verifyCode, resendCode, changeNumber } = store.getState();
  const [code, setCode] = useState('');
  const now = useNow();
  const expiresIn = Math.max(0, Math.ceil((expiresAt - now) / 1000));
  const resendIn = Math.max(0, Math.ceil((resendAt - now) / 1000));

  const submit = (value: string) => {
    if (value.length === CODE_LENGTH && !busy) void verifyCode(value).then(() => setCode(''));
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
      <h1>{m.codeHeading}</h1>
      <p className="hint">{m.codeSentTo(maskedPhone)}</p>
      {textsMayBeLate && (
        <p className="hint" role="status">
          {m.textsMayBeLate}
        </p>
      )}
      <label className="field code-field">
        <span>{m.verificationCode}</span>
        <span className="code-boxes">
          <input
            type="text"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]*"
            maxLength={CODE_LENGTH}
            value={code}
            onChange={(event) => onChange(event.target.value)}
            autoFocus
            aria-describedby="code-error code-expiry"
          />
          {Array.from({ length: CODE_LENGTH }, (_, i) => (
            <span key={i} className={`code-box${i === code.length ? ' code-box-next' : ''}`} aria-hidden="true">
              {code[i] ?? ''}
            </span>
          ))}
        </span>
      </label>
      <ErrorMessage store={store} id="code-error" />
      <p className="hint" aria-hidden="true">
        {expiresIn > 0 ? m.expiresIn(f.countdown(expiresIn)) : m.codeExpired}
      </p>
      <p id="code-expiry" className="visually-hidden" aria-live="polite" aria-atomic="true">
        {expiresIn > 0 ? m.expiresIn(f.countdown(announcedSeconds(expiresIn))) : m.codeExpired}
      </p>
      <button type="submit" className="primary" disabled={code.length !== CODE_LENGTH || busy}>
        {m.signIn}
      </button>
      <button type="button" className="secondary" onClick={() => void resendCode()} disabled={busy || resendIn > 0}>
        {m.resendCode}
      </button>
      <p className="hint">{resendIn > 0 ? m.resendIn(f.number(resendIn)) : m.resendReady}</p>
      <button type="button" className="secondary" onClick={() => void changeNumber()} disabled={busy}>
        {m.differentNumber}
      </button>
    </form>
  );
}
