const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '0'] as const;

interface KeypadProps {
  onKey(key: string): void;
  onDelete(): void;
  disabled?: boolean;
}

/** The on-screen number pad: large targets for gloved fingers. */
export function Keypad({ onKey, onDelete, disabled = false }: KeypadProps) {
  return (
    <div className="keypad" role="group" aria-label="Keypad">
      {keys.map((key) => (
        <button key={key} type="button" className="key" onClick={() => onKey(key)} disabled={disabled}>
          {key}
        </button>
      ))}
      <button type="button" className="key key-delete" onClick={onDelete} disabled={disabled} aria-label="Delete">
        ⌫
      </button>
    </div>
  );
}
