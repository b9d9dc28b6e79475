import type { AppTile, DemoSms, SessionView, SignOutReason } from '../../shared/contract';
import type { KioskBridge } from '../../shared/kiosk-bridge';
import type { RunCall } from './call-runner';
import type { SliceSet, SliceGet } from './kiosk-store';

/** An app open inside the kiosk (Electron), or just opened in a browser tab (preview). */
export type OpenApp = { app: AppTile; where: 'kiosk' | 'tab' };

/** The device session as main reports it, and what belongs to the signed-in worker. */
export interface SessionSlice {
  session: SessionView;
  /** Why the last session ended, while the keypad still says so; null once read or timed out. */
  notice: Exclude<SignOutReason, 'user'> | null;
  /** Demo mode: texts the kiosk "sent", newest first. */
  demoTexts: DemoSms[];
  apps: AppTile[];
  openApp: OpenApp | null;

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

    // Session calls only report errors: the screen moves on `session.changed` (one truth).
    stillHere: async () => void (await run(() => kiosk.session.stillHere({}))),
    signOut: async () => void (await run(() => kiosk.session.signOut({}))),
    openAppTile: async (app) => {
      const opened = await run(() => kiosk.apps.open({ appId: app.id }));
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
