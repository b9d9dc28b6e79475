import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DeviceStatus, SessionView } from '../../shared/contract';
import type { KioskBridge } from '../../shared/kiosk-bridge';
import { createAdminSlice, type AdminSlice } from './admin-slice';
import { callRunner, type CallState } from './call-runner';
import { createEntrySlice, type EntrySlice } from './entry-slice';
import { createSessionSlice, demoTextArrived, type SessionSlice } from './session-slice';

export type { OpenApp } from './session-slice';

/** The renderer's one store, in slices: the session with its apps, the entry, the admin screen. */
export interface KioskState extends CallState, SessionSlice, EntrySlice, AdminSlice {
  device: DeviceStatus | null;
  /**
   * Back to a clean keypad for the next person: ends a code entry or the admin screen, and
   * forgets what was typed, chosen or said (the walk-away reset, and nothing else, calls it).
   */
  startOver(): Promise<void>;
}

export type SliceSet = StoreApi<KioskState>['setState'];
export type SliceGet = StoreApi<KioskState>['getState'];

/** What one person leaves behind, cleared before the next one walks up. */
const wipedForNextPerson = {
  phone: '',
  country: null,
  language: null,
  error: null,
  notice: null,
  demoTexts: [],
  apps: [],
  openApp: null,
  noTextWay: null,
  homePanel: null,
  homeNotice: null,
} satisfies Partial<KioskState>;

export function createKioskStore(kiosk: KioskBridge, openTab: (url: string) => void) {
  const store = createStore<KioskState>()((set, get) => {
    const run = callRunner<KioskState>({ setState: set }, (error) => {
      // Main closes an idle admin screen by itself: the next admin call says so.
      if (error.code === 'admin.closed' && get().admin === 'open') set({ admin: 'pin', adminStatus: null });
    });
    return {
      device: null,
      busy: false,
      error: null,
      errorAt: 0,
      ...createSessionSlice(kiosk, run, set, get, openTab),
      ...createEntrySlice(kiosk, run, set, get),
      ...createAdminSlice(kiosk, run, set, get),
      startOver: async () => {
        const { admin, session, closeAdmin } = get();
        if (admin !== 'closed') await closeAdmin();
        if (session.state === 'challenge') await run(() => kiosk.signIn.cancel({}));
        set(wipedForNextPerson);
      },
    };
  });

  /** Moves the screen to a new session state, wiping the last person's traces when one ends. */
  function showSession(session: SessionView) {
    const previous = store.getState().session;
    const ended = session.state === 'ready' && (session.signedOut !== undefined || session.abandoned === true);
    const notice = session.state === 'ready' && session.signedOut && session.signedOut !== 'user' ? session.signedOut : null;
    store.setState(ended ? { session, ...wipedForNextPerson, notice } : { session });
    // A code that can do no more says so after a reload too, until the worker moves on.
    if (session.state === 'challenge' && session.refusal && store.getState().error === null) store.setState({ error: session.refusal, errorAt: Date.now() });
    const signedIn = session.state === 'active' || session.state === 'warning';
    const wasSignedIn = previous.state === 'active' || previous.state === 'warning';
    if (signedIn && !wasSignedIn) {
      store.setState({ noTextWay: null, homePanel: null, homeNotice: null });
      void kiosk.apps.list({}).then((listed) => listed.ok && store.setState({ apps: listed.value.apps }));
    }
  }

  kiosk.on('session.changed', showSession);
  kiosk.on('demo.sms', (text) => store.setState((s) => ({ demoTexts: demoTextArrived(s.demoTexts, text) })));
  // A sync finishing while the admin screen is open updates it.
  kiosk.on('sync.status', () => void (store.getState().admin === 'open' && store.getState().refreshAdmin()));
  void kiosk.session.current({}).then((result) => result.ok && showSession(result.value));
  void kiosk.device.status({}).then((result) => result.ok && store.setState({ device: result.value }));
  return store;
}

export type KioskStore = ReturnType<typeof createKioskStore>;
