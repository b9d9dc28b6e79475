import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { KioskState, KioskStore } from '../state/kiosk-store';

/** The walk-away policy's defaults, until the kiosk's status arrives. */
const TYPED_SECONDS = 60;
const NOTICE_SECONDS = 15;

/** What the screen holds of the person before: something typed or open, only a notice, or nothing. */
export function leftBehind(s: KioskState): 'typed' | 'notice' | null {
  if (s.session.state === 'active' || s.session.state === 'warning') return null; // main's idle timeout owns these
  if (s.admin !== 'closed' || s.session.state === 'challenge' || s.phone !== '' || s.country !== null || s.language !== null) return 'typed';
  if (s.notice !== null || s.error !== null) return 'notice';
  return null;
}

/**
 * The walk-away reset: any screen but a clean keypad goes back to one after a short idle
 * (policy), so nothing one person typed, chose or was told reaches the next.
 */
export function useWalkAwayReset(store: KioskStore): void {
  const left = useStore(store, leftBehind);
  const walkAway = useStore(store, (s) => s.device?.walkAway);
  const [touchedAt, setTouchedAt] = useState(0);

  useEffect(() => {
    const touched = () => setTouchedAt(Date.now());
    const events = ['pointerdown', 'keydown'] as const;
    for (const name of events) window.addEventListener(name, touched, { passive: true, capture: true });
    return () => {
      for (const name of events) window.removeEventListener(name, touched, { capture: true });
    };
  }, []);

  useEffect(() => {
    if (left === null) return;
    const seconds = left === 'typed' ? (walkAway?.typedSeconds ?? TYPED_SECONDS) : (walkAway?.noticeSeconds ?? NOTICE_SECONDS);
    const timer = setTimeout(() => void store.getState().startOver(), seconds * 1000);
    return () => clearTimeout(timer);
  }, [store, left, walkAway, touchedAt]);
}
