import { useStore } from 'zustand';
import type { AppTile } from '../../shared/contract';
import { ErrorMessage } from '../components/ErrorMessage';
import { useI18n } from '../i18n/use-i18n';
import type { KioskStore } from '../state/kiosk-store';

/** Signed in: a greeting and the worker's apps as large tiles. */
export function HomeScreen({ store, displayName }: { store: KioskStore; displayName: string }) {
  const apps = useStore(store, (s) => s.apps);
  const openApp = useStore(store, (s) => s.openApp);
  const busy = useStore(store, (s) => s.busy);
  const { m } = useI18n(store);
  const { openAppTile, signOut } = store.getState();

  return (
    <section className="screen home-screen" aria-labelledby="home-title">
      <h1 id="home-title">{m.hello(displayName)}</h1>
      <p className="hint">{m.homeHint}</p>
      <h2>{m.yourApps}</h2>
      {apps.length === 0 ? (
        <p className="empty">{m.noApps}</p>
      ) : (
        <ul className="app-tiles">
          {apps.map((app) => (
            <li key={app.id}>
              <button type="button" className="app-tile" onClick={() => void openAppTile(app)} disabled={busy}>
                <AppIcon app={app} />
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
      <button type="button" className="primary" onClick={() => void signOut()} disabled={busy}>
        {m.signOut}
      </button>
    </section>
  );
}

function AppIcon({ app }: { app: AppTile }) {
  return app.icon ? (
    <img className="app-icon" src={app.icon} alt="" />
  ) : (
    <span className="app-icon app-icon-letter" aria-hidden="true">
      {app.name.slice(0, 1).toUpperCase()}
    </span>
  );
}
