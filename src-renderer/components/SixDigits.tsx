import { useState } from 'react';
import { Keypad } from './Keypad';

const LENGTH = 6;

/**
 * Six digits — a code or a PIN — typed on the on-screen keypad (or pasted): the digits so
 * far, and what to do with the sixth. `submit` resolves once main has answered; the boxes
 * then empty for another try.
 */
export function useSixDigits(submit: (digits: string) => Promise<unknown>, busy: boolean) {
  const [digits, setDigits] = useState('');
  const enter = (text: string) => {
    const next = text.replace(/[^0-9]/g, '').slice(0, LENGTH);
    setDigits(next);
    if (next.length === LENGTH && !busy) void submit(next).then(() => setDigits(''));
  };
  return { digits, enter, remove: () => setDigits(digits.slice(0, -1)), reset: () => setDigits('') };
}

interface DigitBoxesProps {
  label: string;
  digits: string;
  onInput(text: string): void;
  /** A PIN shows dots, not digits, so nobody behind the worker reads it. */
  secret?: boolean;
  describedBy?: string;
  disabled?: boolean;
}

/** Six boxes to look at over one real input, as on the code screen. */
export function DigitBoxes({ label, digits, onInput, secret = false, describedBy, disabled = false }: DigitBoxesProps) {
  return (
    <label className="field code-field">
      <span>{label}</span>
      <span className="code-boxes">
        <input
          type={secret ? 'password' : 'text'}
          inputMode="numeric"
          autoComplete={secret ? 'off' : 'one-time-code'}
          pattern="[0-9]*"
          maxLength={LENGTH}
          value={digits}
          onChange={(event) => onInput(event.target.value)}
          autoFocus
          readOnly={disabled}
          aria-describedby={describedBy}
        />
        {Array.from({ length: LENGTH }, (_, i) => (
          <span key={i} className={`code-box${i === digits.length ? ' code-box-next' : ''}`} aria-hidden="true">
            {digits[i] === undefined ? '' : secret ? '•' : digits[i]}
          </span>
        ))}
      </span>
    </label>
  );
}

export function DigitKeypad({ label, deleteLabel, entry, disabled }: { label: string; deleteLabel: string; entry: ReturnType<typeof useSixDigits>; disabled: boolean }) {
  return <Keypad label={label} deleteLabel={deleteLabel} plus={false} onKey={(key) => entry.enter(entry.digits + key)} onDelete={entry.remove} disabled={disabled} />;
}
