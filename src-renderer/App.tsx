import { useStore } from 'zustand';
import { useEffect } from 'react';
import { DemoPhone } from './components/DemoPhone';
import { IdleWarning } from './components/IdleWarning';
import { SignedOutNotice } from './components/SignedOutNotice';
import { CodeScreen } from './screens/CodeScreen';
import { HomeScreen } from './screens/HomeScreen';
import { PhoneScreen } from './screens/PhoneScreen';
import type { KioskStore } from './state/kiosk-store';

export function App({ store }: { store: KioskStore }) {
  const { session, device, demoTexts, reportActivity } = useStore(store);
  const demo = device?.mode === 'demo';
  useEffect(() => {
    // Any touch, key or pointer on the screen keeps the session alive.
    const events = ['pointerdown', 'keydown', 'wheel'] as const;
    for (const name of events) window.addEventListener(name, reportActivity, { passive: true, capture: true });
    return () => {
      for (const name of events) window.removeEventListener(name, reportActivity, { capture: true });
    };
  }, [reportActivity]);
  return (
    <div className="kiosk">
      {demo && (
        <p className="demo-banner">
          <strong>DEMO</strong> Offline demo mode: no real texts are sent. Codes appear on the demo phone.
        </p>
      )}
      <div className="kiosk-body" inert={session.state === 'warning'}>
        <main className="kiosk-main">
          {device && <p className="organization">{device.organizationName}</p>}
          {session.state === 'ready' && <SignedOutNotice reason={session.signedOut} />}
          {session.state === 'ready' && <PhoneScreen store={store} />}
          {session.state === 'challenge' && <CodeScreen key={session.challengeId} store={store} maskedPhone={session.maskedPhone} resendAt={session.resendAt} />}
          {(session.state === 'active' || session.state === 'warning') && <HomeScreen store={store} displayName={session.user.displayName} />}
        </main>
        {demo && <DemoPhone texts={demoTexts} />}
      </div>
      {session.state === 'warning' && <IdleWarning store={store} signOutAt={session.signOutAt} />}
    </div>
  );
}
