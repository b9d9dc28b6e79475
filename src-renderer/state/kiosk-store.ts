import { createStore } from 'zustand/vanilla';
import type { DemoSms, DeviceStatus, SessionView } from '../../shared/contract';
import type { KioskBridge } from '../../shared/kiosk-bridge';
import { fail, type KioskError, type Result } from '../../shared/result';

export interface KioskState {
  session: SessionView;
  device: DeviceStatus | null;
  /** What the person has typed on the phone screen. */
  phone: string;
  /** Demo mode: texts the kiosk "sent", newest first. */
  demoTexts: DemoSms[];
  error: KioskError | null;
  busy: boolean;
  typePhone(phone: string): void;
  sendCode(): Promise<void>;
  verifyCode(code: string): Promise<void>;
  resendCode(): Promise<void>;
  stillHere(): Promise<void>;
  /** A touch, key or pointer event: reported to main, at most every few seconds. */
  reportActivity(): void;
  changeNumber(): Promise<void>;
  signOut(): Promise<void>;
}

const DEMO_TEXTS_KEPT = 10;
/** Main needs to hear of activity only well inside the idle timeout (15 s at the least). */
const ACTIVITY_REPORT_EVERY_MS = 5_000;

/** What one person leaves behind in the renderer, cleared before the next one walks up. */
const wipedOnSignOut = { phone: '', error: null, demoTexts: [] } satisfies Partial<KioskState>;

export function createKioskStore(kiosk: KioskBridge) {
  let lastActivityReport = 0;
  const store = createStore<KioskState>()((set, get) => {
    /** Runs a call; a failure becomes the error shown, a success the new session view. */
    const run = async (call: () => Promise<Result<SessionView>>): Promise<boolean> => {
      set({ busy: true, error: null });
      let result: Result<SessionView>;
      try {
        result = await call();
      } catch {
        result = fail('internal', 'The kiosk service is not responding. Please try again.');
      } finally {
        set({ busy: false });
      }
      if (!result.ok) {
        set({ error: result.error });
        return false;
      }
      set({ session: result.value });
      return true;
    };

    return {
      session: { state: 'ready' },
      device: null,
      phone: '',
      demoTexts: [],
      error: null,
      busy: false,
      typePhone: (phone) => set({ phone, error: null }),
      sendCode: async () => {
        await run(() => kiosk.signIn.start({ phone: get().phone }));
      },
      verifyCode: async (code) => {
        const session = get().session;
        if (session.state !== 'challenge') return;
        await run(() => kiosk.signIn.verify({ challengeId: session.challengeId, code }));
      },
      resendCode: async () => {
        const session = get().session;
        if (session.state !== 'challenge') return;
        await run(() => kiosk.signIn.resend({ challengeId: session.challengeId }));
      },
      stillHere: async () => {
        await run(() => kiosk.session.stillHere({}));
      },
      reportActivity: () => {
        const { session } = get();
        if (session.state !== 'active' && session.state !== 'challenge') return;
        const now = Date.now();
        if (now - lastActivityReport < ACTIVITY_REPORT_EVERY_MS) return;
        lastActivityReport = now;
        void kiosk.session.activity({});
      },
      changeNumber: async () => {
        await run(() => kiosk.signIn.cancel({}));
      },
      signOut: async () => {
        if (await run(() => kiosk.session.signOut({}))) set(wipedOnSignOut);
      },
    };
  });

  kiosk.on('session.changed', (session) => {
    // A sign-out or an abandoned code entry wipes what the last person typed and was
    // texted; cancelling a code keeps the number so a typo can be fixed.
    const wipe = session.state === 'ready' && (session.signedOut !== undefined || session.abandoned === true);
    store.setState(wipe ? { session, ...wipedOnSignOut } : { session });
  });
  kiosk.on('demo.sms', (text) => store.setState((s) => ({ demoTexts: [text, ...s.demoTexts].slice(0, DEMO_TEXTS_KEPT) })));
  void kiosk.session.current({}).then((result) => result.ok && store.setState({ session: result.value }));
  void kiosk.device.status({}).then((result) => result.ok && store.setState({ device: result.value }));
  return store;
}

export type KioskStore = ReturnType<typeof createKioskStore>;
