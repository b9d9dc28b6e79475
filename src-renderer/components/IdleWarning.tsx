import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { announcedSeconds } from '../hooks/announced-seconds';
import { useNow } from '../hooks/use-now';
import { useI18n } from '../i18n/use-i18n';
import type { KioskStore } from '../state/kiosk-store';

/** Over everything: the worker is about to be signed out for being idle. */
export function IdleWarning({ store, signOutAt }: { store: KioskStore; signOutAt: number }) {
  const busy = useStore(store, (s) => s.busy);
  const { m, f } = useI18n(store);
  const seconds = Math.max(0, Math.ceil((signOutAt - useNow(250)) / 1000));
  const stay = useRef<HTMLButtonElement>(null);
  useEffect(() => stay.current?.focus(), []);

  return (
    <div className="overlay">
      <div className="screen idle-warning" role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-announcement">
        <h1 id="idle-title">{m.idleHeading}</h1>
        <p className="countdown" aria-hidden="true">
          <strong>{f.number(seconds)}</strong>
          {m.idleCountdown(seconds, f)}
        </p>
        <p id="idle-announcement" className="visually-hidden" aria-live="assertive" aria-atomic="true">
          {m.idleCountdown(announcedSeconds(seconds), f)}
        </p>
        <button ref={stay} type="button" className="primary" onClick={() => void store.getState().stillHere()} disabled={busy}>
          {m.stillHere}
        </button>
        <button type="button" className="secondary" onClick={() => void store.getState().signOut()} disabled={busy}>
          {m.signOutNow}
        </button>
      </div>
    </div>
  );
}
