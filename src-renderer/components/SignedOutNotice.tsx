import { useStore } from 'zustand';
import { useI18n } from '../i18n/use-i18n';
import type { KioskStore } from '../state/kiosk-store';

/** A brief word on the keypad about why the last session ended, when the worker did not end it. */
export function SignedOutNotice({ store }: { store: KioskStore }) {
  const notice = useStore(store, (s) => s.notice);
  const { m } = useI18n(store);
  if (!notice) return null;
  return (
    <p className="notice" role="status">
      {m.signedOut[notice]}
    </p>
  );
}
