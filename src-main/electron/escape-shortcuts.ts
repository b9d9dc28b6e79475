/** The parts of Electron's `Input` a shortcut is recognised by. */
export interface KeyInput {
  key: string;
  control: boolean;
  meta: boolean;
  alt: boolean;
  shift: boolean;
}

interface Shortcut {
  key: string;
  /** Ctrl, or Cmd on macOS. */
  mod?: true;
  meta?: true;
  alt?: true;
  shift?: true;
}

/**
 * Keys that would close, reload, hide or step out of the kiosk window, or open DevTools.
 * Most do nothing without an application menu, but a keyboard left at a kiosk is the
 * first thing anyone tries, so they are swallowed before any page or menu sees them.
 */
const escapeShortcuts: readonly Shortcut[] = [
  { key: 'f4', alt: true }, // close the window (Windows)
  { key: 'w', mod: true }, // close the window
  { key: 'q', mod: true }, // quit
  { key: 'r', mod: true }, // reload: the screen would restart mid sign-in
  { key: 'f5' }, // reload
  { key: 'f11' }, // leave full screen
  { key: 'f12' }, // DevTools
  { key: 'i', mod: true, shift: true }, // DevTools
  { key: 'j', mod: true, shift: true }, // DevTools console
  { key: 'c', mod: true, shift: true }, // DevTools element picker
  { key: 'i', meta: true, alt: true }, // DevTools (macOS)
  { key: 'm', mod: true }, // minimise
  { key: 'h', meta: true }, // hide (macOS)
  { key: 'p', mod: true }, // print: its dialog is a file chooser onto the disk
  { key: ' ', alt: true }, // the window menu (Windows)
];

/** Whether a key press is one of the ways out of the kiosk; extra modifiers still count. */
export function isEscapeShortcut(input: KeyInput): boolean {
  const key = input.key.toLowerCase();
  return escapeShortcuts.some(
    (shortcut) =>
      shortcut.key === key &&
      (!shortcut.mod || input.control || input.meta) &&
      (!shortcut.meta || input.meta) &&
      (!shortcut.alt || input.alt) &&
      (!shortcut.shift || input.shift),
  );
}
