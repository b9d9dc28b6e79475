import type { AppTile, DemoSms, SessionView, SignOutReason } from '../../shared/contract';
import type { KioskBridge } from '../../shared/kiosk-bridge';
import type { RunCall } from './call-runner';
import type { SliceSet, SliceGet } from './kiosk-store';

/** An app open inside the kiosk (Electron), or just opened in a browser tab (preview). */
export type OpenApp = { app: AppTile; where: 'kiosk' | 'tab' };

/** A step on the home screen in front of the apps: setting up a way in, or a code before a sensitive app. */
export type HomePanel =
  | { kind: 'shiftPin' }
  | { kind: 'authenticator'; setup: { qrCode: string; setupKey: string } | null }
  | { kind: 'stepUp'; app: AppTile };

/** The device session as main reports it, and what belongs to the signed-in worker. */
export interface SessionSlice {
  session: SessionView;
  /** Why the last session ended, while the keypad still says so; null once read or timed out. */
  notice: Exclude<SignOutReason, 'user'> | null;
  /** Demo mode: texts the kiosk "sent", newest first. */
  demoTexts: DemoSms[];
  apps: AppTile[];
  openApp: OpenApp | null;
  homePanel: HomePanel | null;
  /** What the last finished set-up says on the home screen ("Your authenticator app is set up"). */
  homeNotice: 'authenticatorReady' | null;

  showPanel(panel: 'shiftPin' | 'authenticator' | null): Promise<void>;
  setShiftPin(pin: string): Promise<boolean>;
  confirmAuthenticator(code: string): Promise<boolean>;
  /** A current authenticator code, then the sensitive app that asked for it opens. */
  stepUp(code: string): Promise<boolean>;

  stillHere(): Promise<void>;
  signOut(): Promise<void>;
  openAppTile(app: AppTile): Promise<void>;
  goHome(): Promise<void>;
  /** A touch, key or pointer event: reported to main, at most every few seconds. */
  reportActivity(): void;
}

const DEMO_TEXTS_KEPT = 10;
/** Main needs to hear of activity only well inside the idle timeout (15 s at the least). */
const ACTIVITY_REPORT_EVERY_MS = 5_000;

export function createSessionSlice(kiosk: KioskBridge, run: RunCall, set: SliceSet, get: SliceGet, openTab: (url: string) => void): SessionSlice {
  let lastActivityReport = 0;
  return {
    session: { state: 'ready' },
    notice: null,
    demoTexts: [],
    apps: [],
    openApp: null,
    homePanel: null,
    homeNotice: null,

    showPanel: async (panel) => {
      set({ error: null, homeNotice: null });
      if (panel === null) return set({ homePanel: null });
      if (panel === 'shiftPin') return set({ homePanel: { kind: 'shiftPin' } });
      set({ homePanel: { kind: 'authenticator', setup: null } });
      const setup = await run(() => kiosk.authenticator.begin({}));
      if (setup) set({ homePanel: { kind: 'authenticator', setup } });
    },
    setShiftPin: async (pin) => {
      const done = (await run(() => kiosk.shiftPin.set({ pin }))) !== null;
      if (done) set({ homePanel: null });
      return done;
    },
    confirmAuthenticator: async (code) => {
      const done = (await run(() => kiosk.authenticator.confirm({ code }))) !== null;
      if (done) set({ homePanel: null, homeNotice: 'authenticatorReady' });
      return done;
    },
    stepUp: async (code) => {
      const panel = get().homePanel;
      const done = (await run(() => kiosk.authenticator.stepUp({ code }))) !== null;
      if (!done) return false;
      set({ homePanel: null });
      if (panel?.kind === 'stepUp') await get().openAppTile(panel.app);
      return true;
    },

    // Session calls only report errors: the screen moves on `session.changed` (one truth).
    stillHere: async () => void (await run(() => kiosk.session.stillHere({}))),
    signOut: async () => void (await run(() => kiosk.session.signOut({}))),
    openAppTile: async (app) => {
      const opened = await run(() => kiosk.apps.open({ appId: app.id }));
      // A sensitive app: the code is asked for in front of the apps, then it opens.
      if (!opened && get().error?.code === 'app.needsAuthenticator') return set({ homePanel: { kind: 'stepUp', app }, error: null });
      if (!opened) return;
      if (opened.target === 'tab') openTab(opened.url);
      set({ openApp: { app, where: opened.target } });
    },
    goHome: async () => {
      set({ openApp: null });
      await run(() => kiosk.apps.home({}));
    },
    reportActivity: () => {
      const { session } = get();
      if (session.state !== 'active' && session.state !== 'challenge') return;
      const now = Date.now();
      if (now - lastActivityReport < ACTIVITY_REPORT_EVERY_MS) return;
      lastActivityReport = now;
      void kiosk.session.activity({});
    },
  };
}

export const demoTextArrived = (texts: DemoSms[], text: DemoSms) => [text, ...texts].slice(0, DEMO_TEXTS_KEPT);
