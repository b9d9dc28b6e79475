import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createKioskStore } from './state/kiosk-store';
import { connectKiosk } from './transport/connect';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
const kiosk = connectKiosk();
if (kiosk) {
  // Only the preview host opens apps in a tab; Electron shows them inside the kiosk.
  const openTab = (url: string) => void window.open(url, '_blank', 'noopener,noreferrer');
  root.render(
    <StrictMode>
      <App store={createKioskStore(kiosk, openTab)} />
    </StrictMode>,
  );
} else {
  root.render(
    <main className="screen">
      <h1>This page needs its kiosk link</h1>
      <p className="hint">
        Open the full address that <code>npm run preview</code> printed, including the part after #.
      </p>
    </main>,
  );
}
