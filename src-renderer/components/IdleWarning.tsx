import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { useNow } from '../hooks/use-now';
import type { KioskStore } from '../state/kiosk-store';

/** Over everything: the worker is about to be signed out for being idle. */
export function IdleWarning({ store, signOutAt }: { store: KioskStore; signOutAt: number }) {
  const { busy, stillHere, signOut } = useStore(store);
  const seconds = Math.max(0, Math.ceil((signOutAt - useNow(250)) / 1000));
  const stay = useRef<HTMLButtonElement>(null);
  useEffect(() => stay.current?.focus(), []);

  return (
    <div className="overlay">
      <div className="screen idle-warning" role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-countdown">
        <h1 id="idle-title">Are you still there?</h1>
        <p id="idle-countdown" className="countdown" aria-live="assertive" aria-atomic="true">
          Signing out in <strong>{seconds}</strong> {seconds === 1 ? 'second' : 'seconds'}
        </p>
        <button ref={stay} type="button" className="primary" onClick={() => void stillHere()} disabled={busy}>
          I&apos;m still here
        </button>
        <button type="button" className="secondary" onClick={() => void signOut()} disabled={busy}>
          Sign out now
        </button>
      </div>
    </div>
  );
}
