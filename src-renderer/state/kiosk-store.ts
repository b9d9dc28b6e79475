import { createStore } from 'zustand/vanilla';
import type { AppTile, DemoSms, DeviceStatus, SessionView } from '../../shared/contract';
import type { KioskBridge } from '../../shared/kiosk-bridge';
import { fail, type KioskError, type Result } from '../../shared/result';

/** An app open inside the kiosk (Electron), or just opened in a browser tab (preview). */
export type OpenApp = { app: AppTile; where: 'kiosk' | 'tab' };

export interface KioskState {
  session: SessionView;
  device: DeviceStatus | null;
  /** The language shown; back to the kiosk's default for each new worker. */
  language: string | null;
  /** What the person has typed on the phone screen, and for which country. */
  phone: string;
  country: string | null;
  /** Demo mode: texts the kiosk "sent", newest first. */
  demoTexts: DemoSms[];
  apps: AppTile[];
  openApp: OpenApp | null;
  /** The PIN dialog, then the admin screen. */
  admin: 'closed' | 'pin' | 'open';
  error: KioskError | null;
  /** When the error arrived: waits it mentions count from here. */
  errorAt: number;
  busy: boolean;

  typePhone(phone: string): void;
  chooseCountry(country: string): void;
  chooseLanguage(language: string): void;
  sendCode(): Promise<void>;
  verifyCode(code: string): Promise<boolean>;
  resendCode(): Promise<void>;
  changeNumber(): Promise<void>;
  stillHere(): Promise<void>;
  signOut(): Promise<void>;
  openAppTile(app: AppTile): Promise<void>;
  goHome(): Promise<void>;
  askForAdminPin(): void;
  openAdmin(pin: string): Promise<void>;
  closeAdmin(): Promise<void>;
  /** A touch, key or pointer event: reported to main, at most every few seconds. */
  reportActivity(): void;
}

const DEMO_TEXTS_KEPT = 10;
/** Main needs to hear of activity only well inside the idle timeout (15 s at the least). */
const ACTIVITY_REPORT_EVERY_MS = 5_000;

/**
 * What one person leaves behind, cleared before the next one walks up: their number,
 * texts, apps, language and any error.
 */
const wipedForNextPerson = {
  phone: '',
  country: null,
  language: null,
  error: null,
  demoTexts: [],
  apps: [],
  openApp: null,
} satisfies Partial<KioskState>;

export function createKioskStore(kiosk: KioskBridge, openTab: (url: string) => void) {
  let lastActivityReport = 0;

  const store = createStore<KioskState>()((set, get) => {
    /** Runs a call, keeping `busy` and `error` true to it; returns the value or null. */
    const run = async <T>(call: () => Promise<Result<T>>): Promise<T | null> => {
      set({ busy: true, error: null });
      let result: Result<T>;
      try {
        result = await call();
      } catch {
        result = fail('internal', 'The kiosk service is not responding.');
      } finally {
        set({ busy: false });
      }
      if (!result.ok) {
        set({ error: result.error, errorAt: Date.now() });
        return null;
      }
      return result.value;
    };
    const runSession = async (call: () => Promise<Result<SessionView>>) => {
      const view = await run(call);
      if (view) showSession(view);
      return view !== null;
    };

    return {
      session: { state: 'ready' },
      device: null,
      language: null,
      phone: '',
      country: null,
      demoTexts: [],
      apps: [],
      openApp: null,
      admin: 'closed',
      error: null,
      errorAt: 0,
      busy: false,

      typePhone: (phone) => set({ phone, error: null }),
      chooseCountry: (country) => set({ country, error: null }),
      chooseLanguage: (language) => set({ language }),
      sendCode: async () => {
        const { phone, country, device } = get();
        const picked = country && country !== device?.defaultCountry ? { country } : {};
        await runSession(() => kiosk.signIn.start({ phone, ...picked }));
      },
      verifyCode: async (code) => {
        const session = get().session;
        if (session.state !== 'challenge') return false;
        return runSession(() => kiosk.signIn.verify({ challengeId: session.challengeId, code }));
      },
      resendCode: async () => {
        const session = get().session;
        if (session.state === 'challenge') await runSession(() => kiosk.signIn.resend({ challengeId: session.challengeId }));
      },
      changeNumber: async () => {
        await runSession(() => kiosk.signIn.cancel({}));
      },
      stillHere: async () => {
        await runSession(() => kiosk.session.stillHere({}));
      },
      signOut: async () => {
        await runSession(() => kiosk.session.signOut({}));
      },
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
      askForAdminPin: () => set({ admin: 'pin', error: null }),
      openAdmin: async (pin) => {
        if (await run(() => kiosk.admin.open({ pin }))) set({ admin: 'open' });
      },
      closeAdmin: async () => {
        set({ admin: 'closed', error: null });
        await run(() => kiosk.admin.close({}));
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
  });

  /** Moves the screen to a new session state, wiping the last person's traces when one ends. */
  function showSession(session: SessionView) {
    const previous = store.getState().session;
    const ended = session.state === 'ready' && (session.signedOut !== undefined || session.abandoned === true);
    store.setState(ended ? { session, ...wipedForNextPerson } : { session });
    const signedIn = session.state === 'active' || session.state === 'warning';
    const wasSignedIn = previous.state === 'active' || previous.state === 'warning';
    if (signedIn && !wasSignedIn) {
      void kiosk.apps.list({}).then((listed) => listed.ok && store.setState({ apps: listed.value.apps }));
    }
  }

  kiosk.on('session.changed', showSession);
  kiosk.on('demo.sms', (text) => store.setState((s) => ({ demoTexts: [text, ...s.demoTexts].slice(0, DEMO_TEXTS_KEPT) })));
  void kiosk.session.current({}).then((result) => result.ok && showSession(result.value));
  void kiosk.device.status({}).then((result) => result.ok && store.setState({ device: result.value }));
  return store;
}

export type KioskStore = ReturnType<typeof createKioskStore>;
