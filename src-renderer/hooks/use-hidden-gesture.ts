import { useEffect, useRef } from 'react';

const HOLD_MS = 3_000;

/**
 * The way into the admin screen: press and hold the organisation's name for three seconds
 * (or Ctrl+Alt+Shift+A on a keyboard). Nothing on screen gives it away.
 */
export function useHiddenGesture(onGesture: () => void) {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey && event.altKey && event.shiftKey && event.code === 'KeyA') onGesture();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      clearTimeout(timer.current);
    };
  }, [onGesture]);

  const cancel = () => clearTimeout(timer.current);
  return {
    onPointerDown: () => {
      cancel();
      timer.current = setTimeout(onGesture, HOLD_MS);
    },
    onPointerUp: cancel,
    onPointerLeave: cancel,
    onPointerCancel: cancel,
  };
}
