import { useState } from 'react';
import { AsYouType, type CountryCode } from 'libphonenumber-js/min';
import { useStore } from 'zustand';
import type { KioskError } from '../../shared/result';
import { ErrorMessage } from '../components/ErrorMessage';
import { Keypad } from '../components/Keypad';
import { announcedSeconds } from '../hooks/announced-seconds';
import { useNow } from '../hooks/use-now';
import { useI18n } from '../i18n/use-i18n';
import type { KioskStore } from '../state/kiosk-store';

const CODE_LENGTH = 6;
/**
 * How long the code screen shows the number as typed before masking it: long enough for
 * the worker who typed it to catch a typo, too short for the next person to find it.
 */
export const FULL_NUMBER_SHOWN_MS = 10_000;

interface CodeScreenProps {
  store: KioskStore;
  maskedPhone: string;
  expiresAt: number;
  resendAt: number;
  /** Kiosk-wide, the same for every number: real texts are failing or slow just now. */
  textsMayBeLate?: boolean;
  /** When "Call me instead" appears; none where this kiosk places no calls. Kiosk-wide. */
  callAt?: number;
  /** Kiosk-wide: policy sends no texts, so the code comes only by a call. */
  textsOff?: boolean;
}

/** Where a code entry stands: each says what to do next, and each looks different. */
export type CodeState = 'waiting' | 'wrong' | 'expired' | 'dead' | 'locked';

export function codeStateOf(error: KioskError | null, expired: boolean): CodeState {
  switch (error?.code) {
    case 'signIn.locked':
      return 'locked';
    case 'code.tooManyAttempts':
    case 'code.used':
      return 'dead';
    case 'code.expired':
      return 'expired';
    case 'code.wrong':
      return expired ? 'expired' : 'wrong';
    default:
      return expired ? 'expired' : 'waiting';
  }
}

/**
 * Step 2: the worker types the code from the text — six boxes to look at, one real input
 * underneath (so autofill, paste and screen readers all work), and the on-screen keypad.
 * Submits on the sixth digit.
 */
export function CodeScreen({ store, maskedPhone, expiresAt, resendAt, textsMayBeLate = false, callAt, textsOff = false }: CodeScreenProps) {
  const busy = useStore(store, (s) => s.busy);
  const error = useStore(store, (s) => s.error);
  const typed = useStore(store, (s) => s.phone);
  const country = useStore(store, (s) => (s.country ?? s.device?.defaultCountry ?? 'US') as CountryCode);
  const { m, f } = useI18n(store);
  const { verifyCode, resendCode, callMe, sendNewCode, changeNumber } = store.getState();
  const [code, setCode] = useState('');
  const [shownAt] = useState(() => Date.now());
  const now = useNow();
  const expiresIn = Math.max(0, Math.ceil((expiresAt - now) / 1000));
  const resendIn = Math.max(0, Math.ceil((resendAt - now) / 1000));
  // Shown once the first text had its chance (or at once, where policy says so).
  const callShown = callAt !== undefined && now >= callAt;
  const state = codeStateOf(error, expiresIn === 0);
  const over = state === 'expired' || state === 'dead' || state === 'locked';
  const typedShown = typed !== '' && now - shownAt < FULL_NUMBER_SHOWN_MS && code === '' ? new AsYouType(country).input(typed) : null;

  const enter = (text: string) => {
    const digits = text.replace(/[^0-9]/g, '').slice(0, CODE_LENGTH);
    setCode(digits);
    if (digits.length === CODE_LENGTH && !busy) void verifyCode(digits).then(() => setCode(''));
  };

  return (
    <form className="screen code-screen entry-screen" data-code-state={state} noValidate onSubmit={(event) => event.preventDefault()}>
      <div className="entry-text">
        <h1>{m.codeHeading}</h1>
        <p className="hint">{m.codeSentTo(maskedPhone)}</p>
        {textsOff && <p className="hint">{m.textsOff}</p>}
        {textsMayBeLate && (
          <p className="hint" role="status">
            {m.textsMayBeLate}
          </p>
        )}
        {typedShown && <p className="typed-number">{m.youTyped(typedShown)}</p>}
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
              onChange={(event) => enter(event.target.value)}
              autoFocus
              readOnly={over}
              aria-describedby="code-error code-expiry"
            />
            {Array.from({ length: CODE_LENGTH }, (_, i) => (
              <span key={i} className={`code-box${i === code.length ? ' code-box-next' : ''}`} aria-hidden="true">
                {code[i] ?? ''}
              </span>
            ))}
          </span>
        </label>
        {state !== 'waiting' && <p className={`code-state code-state-${state}`}>{m.codeStates[state]}</p>}
        <ErrorMessage store={store} id="code-error" />
        {state !== 'dead' && state !== 'locked' && (
          <>
            <p className="hint" aria-hidden="true">
              {expiresIn > 0 ? m.expiresIn(f.countdown(expiresIn)) : m.codeExpired}
            </p>
            <p id="code-expiry" className="visually-hidden" aria-live="polite" aria-atomic="true">
              {expiresIn > 0 ? m.expiresIn(f.countdown(announcedSeconds(expiresIn))) : m.codeExpired}
            </p>
          </>
        )}
        <div className="entry-actions">
          {state === 'expired' || state === 'dead' ? (
            <button type="button" className="primary" onClick={() => void sendNewCode()} disabled={busy}>
              {m.sendNewCode}
            </button>
          ) : (
            state !== 'locked' && (
              <>
                {!textsOff && (
                  <button type="button" className="secondary" onClick={() => void resendCode()} disabled={busy || resendIn > 0}>
                    {m.resendCode}
                  </button>
                )}
                {callShown && (
                  <button type="button" className="secondary" onClick={() => void callMe()} disabled={busy}>
                    {m.callMeInstead}
                  </button>
                )}
              </>
            )
          )}
          <button type="button" className="secondary" onClick={() => void changeNumber()} disabled={busy}>
            {m.differentNumber}
          </button>
        </div>
        {!over && !textsOff && <p className="hint">{resendIn > 0 ? m.resendIn(f.number(resendIn)) : m.resendReady}</p>}
      </div>
      <Keypad label={m.keypad} deleteLabel={m.deleteKey} plus={false} onKey={(key) => enter(code + key)} onDelete={() => setCode(code.slice(0, -1))} disabled={busy || over} />
    </form>
  );
}
