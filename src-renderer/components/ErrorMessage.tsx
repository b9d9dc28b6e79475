import { useStore } from 'zustand';
import { describeError } from '../i18n/i18n';
import { useNow } from '../hooks/use-now';
import { useI18n } from '../i18n/use-i18n';
import type { KioskStore } from '../state/kiosk-store';

/** The error from the last call, in plain words with the next step, announced as it appears. */
export function ErrorMessage({ store, id, admin = false }: { store: KioskStore; id?: string; admin?: boolean }) {
  // One error line at a time: the admin dialog's while it is up, else the screen's.
  const error = useStore(store, (s) => ((s.admin !== 'closed') === admin ? s.error : null));
  const errorAt = useStore(store, (s) => s.errorAt);
  const { m, f } = useI18n(store);
  // Waits ("try again in 3 minutes") stay true while the message is shown.
  const now = Math.max(useNow(15_000), errorAt);
  return (
    <p className="error" role="alert" id={id}>
      {error ? describeError(error, m, f, now) : ''}
    </p>
  );
}
