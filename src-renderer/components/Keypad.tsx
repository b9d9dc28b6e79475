const phoneKeys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '0'] as const;
const digitKeys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'] as const;

interface KeypadProps {
  label: string;
  deleteLabel: string;
  /** A phone number's keypad has + and Clear; a code's or a PIN's has digits and Delete only. */
  clearLabel?: string;
  plus?: boolean;
  onKey(key: string): void;
  onDelete(): void;
  onClear?(): void;
  disabled?: boolean;
}

/** The on-screen number pad: large targets, far enough apart for gloved fingers. */
export function Keypad({ label, deleteLabel, clearLabel, plus = true, onKey, onDelete, onClear, disabled = false }: KeypadProps) {
  const keys = plus ? phoneKeys : digitKeys;
  return (
    <div className={`keypad${plus ? '' : ' keypad-digits'}`} role="group" aria-label={label}>
      {keys.map((key) => (
        <button key={key} type="button" className={`key${key === '0' && !plus ? ' key-zero' : ''}`} onClick={() => onKey(key)} disabled={disabled}>
          {key}
        </button>
      ))}
      <button type="button" className="key key-delete" onClick={onDelete} disabled={disabled} aria-label={deleteLabel}>
        <span aria-hidden="true">⌫</span>
      </button>
      {clearLabel && onClear && (
        <button type="button" className="key key-clear" onClick={onClear} disabled={disabled}>
          {clearLabel}
        </button>
      )}
    </div>
  );
}
