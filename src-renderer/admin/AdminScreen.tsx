import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { AdminStatus, AuditEventView } from '../../shared/contract';
import type { KioskBridge } from '../../shared/kiosk-bridge';
import type { Result } from '../../shared/result';
import { ErrorMessage } from '../components/ErrorMessage';
import { useI18n } from '../i18n/use-i18n';
import type { KioskStore } from '../state/kiosk-store';

const TIME_FILTERS = [1, 24, 24 * 7] as const;
type OutcomeFilter = '' | 'success' | 'failure' | 'info';

/**
 * For IT and managers, behind the admin PIN: what this kiosk is, how its directory sync
 * is doing, who is locked out, and what happened lately. Loaded only when opened.
 */
export default function AdminScreen({ store, kiosk }: { store: KioskStore; kiosk: KioskBridge }) {
  const { m, f } = useI18n(store);
  const busy = useStore(store, (s) => s.busy);
  const [status, setStatus] = useState<AdminStatus | null>(null);
  const [events, setEvents] = useState<AuditEventView[]>([]);
  const [outcome, setOutcome] = useState<OutcomeFilter>('');
  const [hours, setHours] = useState<number>(24);
  const [unlockPhone, setUnlockPhone] = useState('');
  const [unlocked, setUnlocked] = useState<number | null>(null);
  const [reset, setReset] = useState(false);
  const a = m.admin;

  /** Admin calls share the kiosk's error line; a closed admin screen goes back to the PIN. */
  const call = useCallback(
    async <T,>(run: () => Promise<Result<T>>): Promise<T | null> => {
      store.setState({ busy: true, error: null });
      const result = await run().catch(() => null);
      store.setState({ busy: false });
      if (result?.ok) return result.value;
      store.setState({ error: result?.ok === false ? result.error : { code: 'internal', message: '' }, errorAt: Date.now() });
      if (result?.ok === false && result.error.code === 'admin.closed') store.setState({ admin: 'pin' });
      return null;
    },
    [store],
  );

  useEffect(() => {
    const refresh = () => void call(() => kiosk.admin.status({})).then((value) => value && setStatus(value));
    refresh();
    // A sync finishing while the screen is open updates it.
    return kiosk.on('sync.status', refresh);
  }, [call, kiosk]);

  useEffect(() => {
    void call(() => kiosk.admin.audit({ limit: 50, sinceHours: hours, ...(outcome && { outcome }) })).then((value) => value && setEvents(value.events));
  }, [call, kiosk, hours, outcome]);

  const syncNow = async () => {
    const value = await call(() => kiosk.admin.syncNow({}));
    if (value) setStatus(value);
  };
  const resetDemo = async () => {
    const value = await call(() => kiosk.admin.resetDemo({}));
    if (value) {
      setStatus(value);
      setReset(true);
    }
  };
  const unlock = async (event: FormEvent) => {
    event.preventDefault();
    const value = await call(() => kiosk.admin.unlock({ phone: unlockPhone }));
    if (value) setUnlocked(value.unlocked);
  };
  const lastSync = status?.lastSync;

  return (
    <main className="screen admin-screen" aria-labelledby="admin-title">
      <div className="screen-top">
        <h1 id="admin-title">{a.heading}</h1>
        <button type="button" className="secondary" onClick={() => void store.getState().closeAdmin()}>
          {a.close}
        </button>
      </div>
      <ErrorMessage store={store} admin />

      <section aria-labelledby="admin-device">
        <h2 id="admin-device">{a.device}</h2>
        {status && (
          <dl className="facts">
            <dt>{a.deviceName}</dt>
            <dd>{status.deviceName}</dd>
            <dt>{a.version}</dt>
            <dd>{status.version}</dd>
            <dt>{a.mode}</dt>
            <dd>{status.mode === 'demo' ? a.modeDemo : a.modeLive}</dd>
            <dt>{a.lastSync}</dt>
            <dd>{!lastSync ? a.neverSynced : lastSync.ok ? a.syncOk(f.dateTime(lastSync.at)) : a.syncFailed(f.dateTime(lastSync.at), lastSync.message ?? '')}</dd>
            <dt>{a.directoryAge}</dt>
            <dd>
              {status.mode === 'demo'
                ? a.directoryNeverAges
                : status.directorySyncedAt === null
                  ? a.neverSynced
                  : status.directoryTooOld
                    ? a.directoryTooOld(f.dateTime(status.directorySyncedAt))
                    : a.directorySynced(f.dateTime(status.directorySyncedAt))}
            </dd>
            <dt>{a.users}</dt>
            <dd>{f.number(status.users)}</dd>
            <dt>{a.readyPhones}</dt>
            <dd>{f.number(status.readyPhones)}</dd>
          </dl>
        )}
        <div className="actions">
          {status?.mode === 'live' && (
            <button type="button" className="secondary" onClick={() => void syncNow()} disabled={busy}>
              {a.syncNow}
            </button>
          )}
          {status?.mode === 'demo' && (
            <button type="button" className="secondary" onClick={() => void resetDemo()} disabled={busy}>
              {a.resetDemo}
            </button>
          )}
          {window.kiosk && (
            <button type="button" className="danger" onClick={() => void call(() => kiosk.admin.exit({}))} disabled={busy}>
              {a.exitKiosk}
            </button>
          )}
        </div>
        <p role="status">{reset ? a.demoReset : ''}</p>
      </section>

      <section aria-labelledby="admin-unlock">
        <h2 id="admin-unlock">{a.unlockHeading}</h2>
        <form className="inline-form" onSubmit={unlock} noValidate>
          <label className="field">
            <span>{a.unlockNumber}</span>
            <input type="tel" inputMode="tel" autoComplete="off" value={unlockPhone} maxLength={40} onChange={(event) => setUnlockPhone(event.target.value)} />
          </label>
          <button type="submit" className="primary" disabled={busy || unlockPhone.trim() === ''}>
            {a.unlock}
          </button>
        </form>
        <p role="status">{unlocked === null ? '' : a.unlocked(unlocked, f)}</p>
      </section>

      <section aria-labelledby="admin-audit">
        <h2 id="admin-audit">{a.auditHeading}</h2>
        <div className="filters">
          <label className="field">
            <span>{a.filterOutcome}</span>
            <select value={outcome} onChange={(event) => setOutcome(event.target.value as OutcomeFilter)}>
              <option value="">{a.anyOutcome}</option>
              {(['success', 'failure', 'info'] as const).map((value) => (
                <option key={value} value={value}>
                  {a.outcomes[value]}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{a.filterTime}</span>
            <select value={hours} onChange={(event) => setHours(Number(event.target.value))}>
              {TIME_FILTERS.map((value) => (
                <option key={value} value={value}>
                  {a.lastHours(value, f)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {events.length === 0 ? (
          <p className="empty">{a.noEvents}</p>
        ) : (
          <div className="table-scroll">
            <table className="audit">
              <thead>
                <tr>
                  <th scope="col">{a.columns.when}</th>
                  <th scope="col">{a.columns.event}</th>
                  <th scope="col">{a.columns.outcome}</th>
                  <th scope="col">{a.columns.reason}</th>
                  <th scope="col">{a.columns.phone}</th>
                </tr>
              </thead>
              <tbody>
                {events.map((event) => (
                  <tr key={event.id}>
                    <td>{f.dateTime(event.at)}</td>
                    <td>{event.type}</td>
                    <td>{a.outcomes[event.outcome]}</td>
                    <td>{event.reason ?? ''}</td>
                    <td>{event.phoneMasked ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </main>
  );
}
