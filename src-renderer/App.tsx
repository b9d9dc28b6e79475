import { useStore } from 'zustand';
import { DemoPhone } from './components/DemoPhone';
import { CodeScreen } from './screens/CodeScreen';
import { HomeScreen } from './screens/HomeScreen';
import { PhoneScreen } from './screens/PhoneScreen';
import type { KioskStore } from './state/kiosk-store';

export function App({ store }: { store: KioskStore }) {
  const { session, device, demoTexts } = useStore(store);
  const demo = device?.mode === 'demo';
  return (
    <div className="kiosk">
      {demo && (
        <p className="demo-banner">
          <strong>DEMO</strong> Offline demo mode: no real texts are sent. Codes appear on the demo phone.
        </p>
      )}
      <div className="kiosk-body">
        <main className="kiosk-main">
          {device && <p className="organization">{device.organizationName}</p>}
          {session.state === 'ready' && <PhoneScreen store={store} />}
          {session.state === 'challenge' && <CodeScreen key={session.challengeId} store={store} maskedPhone={session.maskedPhone} resendAt={session.resendAt} />}
          {session.state === 'active' && <HomeScreen store={store} displayName={session.user.displayName} />}
        </main>
        {demo && <DemoPhone texts={demoTexts} />}
      </div>
    </div>
  );
}
