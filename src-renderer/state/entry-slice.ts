import type { KioskBridge } from '../../shared/kiosk-bridge';
import type { RunCall } from './call-runner';
import type { SliceGet, SliceSet } from './kiosk-store';

/** What the person at the keypad has typed and chosen, before anyone is signed in. */
export interface EntrySlice {
  /** The language shown; back to the kiosk's default for each new worker. */
  language: string | null;
  /** What the person has typed on the phone screen, and for which country. */
  phone: string;
  country: string | null;
  /** "Use shift PIN" / "Use authenticator app": the number typed, the six digits next. */
  noTextWay: 'shiftPin' | 'authenticator' | null;

  typePhone(phone: string): void;
  chooseCountry(country: string): void;
  chooseLanguage(language: string): void;
  sendCode(): Promise<void>;
  /** True when the code signed the worker in. */
  verifyCode(code: string): Promise<boolean>;
  resendCode(): Promise<void>;
  /** "Call me instead": the same code read out by a call, in the language on screen. */
  callMe(): Promise<void>;
  /** A new code once the current one is expired, used up or dead. */
  sendNewCode(): Promise<void>;
  changeNumber(): Promise<void>;
  chooseNoTextWay(way: 'shiftPin' | 'authenticator' | null): void;
  /** Number + PIN or authenticator code; true when it signed the worker in. */
  signInWithoutText(digits: string): Promise<boolean>;
}

export function createEntrySlice(kiosk: KioskBridge, run: RunCall, set: SliceSet, get: SliceGet): EntrySlice {
  const challengeId = () => {
    const { session } = get();
    return session.state === 'challenge' ? session.challengeId : null;
  };
  const shownLanguage = () => get().language ?? get().device?.defaultLanguage ?? 'en';
  return {
    language: null,
    phone: '',
    country: null,
    noTextWay: null,

    typePhone: (phone) => set({ phone, error: null, notice: null }),
    chooseCountry: (country) => set({ country, error: null }),
    chooseLanguage: (language) => set({ language }),
    sendCode: async () => {
      const { phone, country, device } = get();
      const picked = country && country !== device?.defaultCountry ? { country } : {};
      await run(() => kiosk.signIn.start({ phone, ...picked, language: shownLanguage() }));
    },
    verifyCode: async (code) => {
      const id = challengeId();
      return id !== null && (await run(() => kiosk.signIn.verify({ challengeId: id, code }))) !== null;
    },
    sendNewCode: async () => {
      const id = challengeId();
      if (id !== null) await run(() => kiosk.signIn.renew({ challengeId: id, language: shownLanguage() }));
    },
    resendCode: async () => {
      const id = challengeId();
      if (id !== null) await run(() => kiosk.signIn.resend({ challengeId: id }));
    },
    callMe: async () => {
      const id = challengeId();
      if (id !== null) await run(() => kiosk.signIn.call({ challengeId: id, language: shownLanguage() }));
    },
    changeNumber: async () => void (await run(() => kiosk.signIn.cancel({}))),
    chooseNoTextWay: (noTextWay) => set({ noTextWay, error: null }),
    signInWithoutText: async (digits) => {
      const { phone, country, device, noTextWay } = get();
      const picked = country && country !== device?.defaultCountry ? { country } : {};
      if (noTextWay === null) return false;
      const signedIn =
        noTextWay === 'shiftPin'
          ? await run(() => kiosk.signIn.withShiftPin({ phone, ...picked, pin: digits }))
          : await run(() => kiosk.signIn.withAuthenticator({ phone, ...picked, code: digits }));
      return signedIn !== null;
    },
  };
}
