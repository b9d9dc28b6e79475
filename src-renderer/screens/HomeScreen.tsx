import { useStore } from 'zustand';
import { ErrorMessage } from '../components/ErrorMessage';
import type { KioskStore } from '../state/kiosk-store';

/** Signed in: greets the worker by name. Apps arrive with the kiosk UI issue. */
export function HomeScreen({ store, displayName }: { store: KioskStore; displayName: string }) {
  const { error, busy, signOut } = useStore(store);
  return (
    <section className="screen home-screen">
      <h1>Hello, {displayName}</h1>
      <p className="hint">You are signed in. Sign out when you are done so the next person starts fresh.</p>
      <ErrorMessage error={error} />
      <button type="button" className="primary" onClick={() => void signOut()} disabled={busy}>
        Sign out
      </button>
    </section>
  );
}
