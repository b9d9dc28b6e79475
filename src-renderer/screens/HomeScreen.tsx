import { useStore } from 'zustand';
import type { AppTile } from '../../shared/contract';
import { ErrorMessage } from '../components/ErrorMessage';
import { useI18n } from '../i18n/use-i18n';
import type { KioskStore } from '../state/kiosk-store';

/** Signed in: a greeting and the worker's apps as large tiles. */
export function HomeScreen({ store, displayName, setUp, shiftPinUntil }: { store: KioskStore; displayName: string; setUp: ReadonlyArray<'shiftPin' | 'authenticator'>; shiftPinUntil?: number }) {
  const apps = useStore(store, (s) => s.apps);
  const openApp = useStore(store, (s) => s.openApp);
  const busy = useStore(store, (s) => s.busy);
  const homeNotice = useStore(store, (s) => s.homeNotice);
  const { m, f } = useI18n(store);
  const { openAppTile, signOut, showPanel } = store.getState();

  return (
    <section className="screen home-screen" aria-labelledby="home-title">
      <h1 id="home-title">{m.hello(displayName)}</h1>
      <p className="hint">{m.homeHint}</p>
      <h2>{m.yourApps}</h2>
      {apps.length === 0 ? (
        <p className="empty">{m.noApps}</p>
      ) : (
        <ul className="app-tiles">
          {apps.map((app, index) => (
            <li key={app.id}>
              <button type="button" className="app-tile" onClick={() => void openAppTile(app)} disabled={busy}>
                <AppIcon app={app} index={index} />
                <span>{app.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <p className="hint" role="status">
        {openApp?.where === 'tab' ? m.openedInNewTab(openApp.app.name) : ''}
      </p>
      <ErrorMessage store={store} />
      {(shiftPinUntil !== undefined || homeNotice) && (
        <p className="hint" role="status">
          {[shiftPinUntil !== undefined && m.ways.shiftPinUntil(f.time(shiftPinUntil)), homeNotice && m.ways.authenticatorReady].filter(Boolean).join(' ')}
        </p>
      )}
      <div className="entry-actions">
        <button type="button" className="primary" onClick={() => void signOut()} disabled={busy}>
          {m.signOut}
        </button>
        {setUp.includes('shiftPin') && (
          <button type="button" className="secondary" onClick={() => void showPanel('shiftPin')} disabled={busy}>
            {m.ways.setShiftPin}
          </button>
        )}
        {setUp.includes('authenticator') && (
          <button type="button" className="secondary" onClick={() => void showPanel('authenticator')} disabled={busy}>
            {m.ways.setUpAuthenticator}
          </button>
        )}
      </div>
    </section>
  );
}

/** Initials of the app's first two words ("Shift schedule" → SS, "Safety handbook" → SH). */
export function appInitials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return (words.length > 1 ? words[0]!.slice(0, 1) + words[1]!.slice(0, 1) : name.slice(0, 2)).toUpperCase();
}

/** Dark hues (white text on them passes WCAG AA), one per tile in turn, so neighbours differ by colour too. */
const ICON_HUES = [212, 160, 280, 20, 340, 100];

function AppIcon({ app, index }: { app: AppTile; index: number }) {
  return app.icon ? (
    <img className="app-icon" src={app.icon} alt="" />
  ) : (
    <span className="app-icon app-icon-letter" aria-hidden="true" style={{ background: `hsl(${ICON_HUES[index % ICON_HUES.length]} 70% 30%)` }}>
      {appInitials(app.name)}
    </span>
  );
}
