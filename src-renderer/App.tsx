import { lazy, Suspense, useEffect } from 'react';
import { useStore } from 'zustand';
import { inkFor } from './branding';
import { AdminPinDialog } from './components/AdminPinDialog';
import { AppBar } from './components/AppBar';
import { DemoPhone } from './components/DemoPhone';
import { IdleWarning } from './components/IdleWarning';
import { SignedOutNotice } from './components/SignedOutNotice';
import { useHiddenGesture } from './hooks/use-hidden-gesture';
import { useWalkAwayReset } from './hooks/use-walk-away';
import { useI18n } from './i18n/use-i18n';
import { CodeScreen } from './screens/CodeScreen';
import { HomeScreen } from './screens/HomeScreen';
import { PhoneScreen } from './screens/PhoneScreen';
import { AuthenticatorSetupScreen } from './screens/AuthenticatorSetupScreen';
import { NoTextSignInScreen } from './screens/NoTextSignInScreen';
import { SetShiftPinScreen } from './screens/SetShiftPinScreen';
import { StepUpScreen } from './screens/StepUpScreen';
import type { KioskStore } from './state/kiosk-store';

// Only IT opens it: kept out of the bundle every worker's screen loads.
const AdminScreen = lazy(() => import('./admin/AdminScreen'));

export function App({ store }: { store: KioskStore }) {
  const session = useStore(store, (s) => s.session);
  const device = useStore(store, (s) => s.device);
  const openApp = useStore(store, (s) => s.openApp);
  const admin = useStore(store, (s) => s.admin);
  const noTextWay = useStore(store, (s) => s.noTextWay);
  const homePanel = useStore(store, (s) => s.homePanel);
  const { lang, m } = useI18n(store);
  const gesture = useHiddenGesture(store.getState().askForAdminPin);
  useWalkAwayReset(store);
  const demo = device?.mode === 'demo';
  const livePreview = device?.mode === 'live' && device.preview === true;
  const signedIn = session.state === 'active' || session.state === 'warning';
  const appInKiosk = openApp?.where === 'kiosk' && signedIn ? openApp : null;

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  useEffect(() => {
    const color = device?.branding.primaryColor;
    const root = document.documentElement.style;
    if (color) {
      root.setProperty('--brand', color);
      root.setProperty('--brand-ink', inkFor(color));
    }
  }, [device]);

  useEffect(() => {
    // Any touch, key or pointer on the screen keeps the session alive.
    const report = store.getState().reportActivity;
    const events = ['pointerdown', 'keydown', 'wheel'] as const;
    for (const name of events) window.addEventListener(name, report, { passive: true, capture: true });
    return () => {
      for (const name of events) window.removeEventListener(name, report, { capture: true });
    };
  }, [store]);

  if (admin === 'open') {
    return (
      <Suspense fallback={null}>
        <AdminScreen store={store} />
      </Suspense>
    );
  }

  return (
    <div className="kiosk">
      {appInKiosk ? (
        // The app's view starts right below the bar: nothing may sit above it.
        <AppBar store={store} appName={appInKiosk.app.name} demo={demo} />
      ) : (
        (demo || livePreview) && (
          <p className="demo-banner">
            {demo ? <strong>DEMO</strong> : null} {demo ? m.demoBanner : m.livePreviewBanner}
          </p>
        )
      )}
      {!appInKiosk && (
        <div className="kiosk-body" inert={session.state === 'warning' || admin === 'pin'}>
          <main className="kiosk-main">
            <header className="organization" {...gesture}>
              {device?.branding.logo && <img className="logo" src={device.branding.logo} alt="" />}
              <span>{device?.organizationName}</span>
            </header>
            {session.state === 'ready' && <SignedOutNotice store={store} />}
            {session.state === 'ready' && (noTextWay ? <NoTextSignInScreen store={store} way={noTextWay} /> : <PhoneScreen store={store} />)}
            {session.state === 'challenge' && (
              <CodeScreen key={session.challengeId} store={store} maskedPhone={session.maskedPhone} expiresAt={session.expiresAt} resendAt={session.resendAt} textsMayBeLate={session.textsMayBeLate === true} callAt={session.callAt} textsOff={session.textsOff === true} />
            )}
            {signedIn && homePanel?.kind === 'shiftPin' && <SetShiftPinScreen store={store} hours={device?.shiftPinHours ?? 12} />}
            {signedIn && homePanel?.kind === 'authenticator' && <AuthenticatorSetupScreen store={store} setup={homePanel.setup} />}
            {signedIn && homePanel?.kind === 'stepUp' && <StepUpScreen store={store} app={homePanel.app} />}
            {signedIn && !homePanel && <HomeScreen store={store} displayName={session.user.displayName} setUp={session.setUp} shiftPinUntil={session.shiftPinUntil} />}
          </main>
          {demo && <DemoPhone store={store} />}
        </div>
      )}
      {session.state === 'warning' && <IdleWarning store={store} signOutAt={session.signOutAt} />}
      {admin === 'pin' && <AdminPinDialog store={store} />}
    </div>
  );
}
