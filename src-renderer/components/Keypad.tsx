const digits = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '0'] as const;

interface KeypadProps {
  label: string;
  deleteLabel: string;
  clearLabel: string;
  onKey(key: string): void;
  onDelete(): void;
  onClear(): void;
  disabled?: boolean;
}

/** The on-screen number pad: large targets, far enough apart for gloved fingers. */
export function Keypad({ label, deleteLabel, clearLabel, onKey, onDelete, onClear, disabled = false }: KeypadProps) {
  return (
    <div className="keypad" role="group" aria-label={label}>
      {digits.map((key) => (
        <button key={key} type="button" className="key" onClick={() => onKey(key)} disabled={disabled}>
          {key}
        </button>
      ))}
      <button type="button" className="key key-delete" onClick={onDelete} disabled={disabled} aria-label={deleteLabel}>
        <span aria-hidden="true">⌫</span>
      </button>
      <button type="button" className="key key-clear" onClick={onClear} disabled={disabled}>
        {clearLabel}
      </button>
    </div>
  );
}
