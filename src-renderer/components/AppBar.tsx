import { useStore } from 'zustand';
import { APP_BAR_HEIGHT } from '../../shared/layout';
import { useI18n } from '../i18n/use-i18n';
import type { KioskStore } from '../state/kiosk-store';

/**
 * Above an app open inside the kiosk: its name, "Home" and "Sign out", always reachable.
 * The Electron shell places the app's view right below this bar.
 */
export function AppBar({ store, appName, demo }: { store: KioskStore; appName: string; demo: boolean }) {
  const busy = useStore(store, (s) => s.busy);
  const { m } = useI18n(store);
  const { goHome, signOut } = store.getState();
  return (
    <nav className="app-bar" style={{ height: APP_BAR_HEIGHT }} aria-label={appName}>
      <button type="button" className="secondary" onClick={() => void goHome()} disabled={busy}>
        {m.home}
      </button>
      <span className="app-bar-title">
        {demo && <strong className="demo-tag">DEMO</strong>} {appName}
      </span>
      <button type="button" className="primary" onClick={() => void signOut()} disabled={busy}>
        {m.signOut}
      </button>
    </nav>
  );
}
