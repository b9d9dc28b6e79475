import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import type { AuditEventView, AuditKind } from '../../shared/contract';
import { ErrorMessage } from '../components/ErrorMessage';
import { Keypad } from '../components/Keypad';
import { auditSentence } from '../i18n/audit-sentence';
import { useI18n } from '../i18n/use-i18n';
import { AUDIT_PAGE_SIZE, type AuditOutcome } from '../state/admin-slice';
import type { KioskStore } from '../state/kiosk-store';
import { auditCsv } from './audit-csv';

const TIME_FILTERS = [1, 24, 24 * 7] as const;
const KINDS = ['signIn', 'sms', 'session', 'admin', 'sync'] as const satisfies readonly AuditKind[];
const TABS = ['activity', 'unlock', 'device'] as const;
type Tab = (typeof TABS)[number];

/**
 * For IT and managers, behind the admin PIN: what happened lately, who is locked out, and
 * what this kiosk is. One panel at a time, so each fits the screen. Loaded only when opened.
 */
export default function AdminScreen({ store }: { store: KioskStore }) {
  const { m } = useI18n(store);
  const [tab, setTab] = useState<Tab>('activity');
  const a = m.admin;
  const onTabKey = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step) setTab(TABS[(TABS.indexOf(tab) + step + TABS.length) % TABS.length]!);
  };

  return (
    <main className="screen admin-screen" aria-labelledby="admin-title">
      <div className="screen-top">
        <h1 id="admin-title">{a.heading}</h1>
        <button type="button" className="secondary" onClick={() => void store.getState().closeAdmin()}>
          {a.close}
        </button>
      </div>
      <div className="tabs" role="tablist" aria-label={a.heading} onKeyDown={onTabKey}>
        {TABS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`admin-tab-${name}`}
            aria-selected={tab === name}
            aria-controls={`admin-panel-${name}`}
            tabIndex={tab === name ? 0 : -1}
            className={tab === name ? 'tab tab-selected' : 'tab'}
            onClick={() => setTab(name)}
          >
            {a.tabs[name]}
          </button>
        ))}
      </div>
      <ErrorMessage store={store} admin />
      <section className="admin-panel" role="tabpanel" id={`admin-panel-${tab}`} aria-labelledby={`admin-tab-${tab}`}>
        {tab === 'activity' && <ActivityPanel store={store} />}
        {tab === 'unlock' && <UnlockPanel store={store} showActivity={() => setTab('activity')} />}
        {tab === 'device' && <DevicePanel store={store} />}
      </section>
    </main>
  );
}

function ActivityPanel({ store }: { store: KioskStore }) {
  const { m, f } = useI18n(store);
  const audit = useStore(store, (s) => s.audit);
  const { filterAudit, showAuditPage } = store.getState();
  const a = m.admin;
  const pages = Math.max(1, Math.ceil(audit.events.length / AUDIT_PAGE_SIZE));
  const shown = audit.events.slice(audit.page * AUDIT_PAGE_SIZE, (audit.page + 1) * AUDIT_PAGE_SIZE);
  const describe = (event: AuditEventView) => a.event(auditSentence(event));
  const exportCsv = () => {
    const csv = auditCsv(audit.events, describe, [a.columns.when, a.columns.event, a.columns.outcome, 'type', 'reason', 'userId', a.columns.phone]);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    link.download = 'kiosk-activity.csv';
    link.click();
    URL.revokeObjectURL(link.href);
  };

  return (
    <>
      <div className="filters">
        <label className="field">
          <span>{a.filterKind}</span>
          <select value={audit.kind ?? ''} onChange={(event) => void filterAudit({ kind: (event.target.value || null) as AuditKind | null })}>
            <option value="">{a.anyKind}</option>
            {KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {a.kinds[kind]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{a.filterOutcome}</span>
          <select value={audit.outcome ?? ''} onChange={(event) => void filterAudit({ outcome: (event.target.value || null) as AuditOutcome | null })}>
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
          <select value={audit.sinceHours} onChange={(event) => void filterAudit({ sinceHours: Number(event.target.value) })}>
            {TIME_FILTERS.map((value) => (
              <option key={value} value={value}>
                {a.lastHours(value, f)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="secondary" onClick={exportCsv} disabled={audit.events.length === 0}>
          {a.exportCsv}
        </button>
        {audit.phone && (
          <button type="button" className="secondary" onClick={() => void filterAudit({ phone: '' })}>
            {a.allNumbers(audit.phone)}
          </button>
        )}
      </div>
      {shown.length === 0 ? (
        <p className="empty">{a.noEvents}</p>
      ) : (
        <div className="table-scroll">
          <table className="audit">
            <thead>
              <tr>
                <th scope="col">{a.columns.when}</th>
                <th scope="col">{a.columns.event}</th>
                <th scope="col">{a.columns.outcome}</th>
                <th scope="col">{a.columns.phone}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((event) => (
                <tr key={event.id}>
                  <td>{f.dateTime(event.at)}</td>
                  <td>{describe(event)}</td>
                  <td>{a.outcomes[event.outcome]}</td>
                  <td>{event.phoneMasked ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="pager">
        <button type="button" className="secondary" onClick={() => showAuditPage(audit.page - 1)} disabled={audit.page === 0}>
          {a.previousPage}
        </button>
        <span>{a.page(audit.page + 1, pages, f)}</span>
        <button type="button" className="secondary" onClick={() => showAuditPage(audit.page + 1)} disabled={audit.page + 1 >= pages}>
          {a.nextPage}
        </button>
      </div>
    </>
  );
}

/** Unlock a worker, or find one number's activity: the number typed on the keypad. */
function UnlockPanel({ store, showActivity }: { store: KioskStore; showActivity: () => void }) {
  const { m, f } = useI18n(store);
  const busy = useStore(store, (s) => s.busy);
  const notice = useStore(store, (s) => s.adminNotice);
  const locked = useStore(store, (s) => s.lockedWorkers);
  const [phone, setPhone] = useState('');
  const a = m.admin;
  const unlock = (event: FormEvent) => {
    event.preventDefault();
    if (phone.trim() !== '') void store.getState().unlock(phone);
  };
  return (
    <form className="entry-screen unlock-form" onSubmit={unlock} noValidate>
      <div className="entry-text">
        <h2 id="locked-heading">{a.lockedHeading}</h2>
        {locked.length === 0 ? (
          <p className="hint">{a.noneLocked}</p>
        ) : (
          <ul className="locked-workers" aria-labelledby="locked-heading">
            {locked.map((worker) => (
              <li key={worker.userId}>
                <span>
                  <strong>{worker.displayName}</strong> {worker.until === null ? a.lockedUntilAdmin : a.lockedUntil(f.time(worker.until))}
                </span>
                <button type="button" className="secondary" disabled={busy} aria-label={a.unlockWorker(worker.displayName)} onClick={() => void store.getState().unlockWorker(worker.userId)}>
                  {a.unlock}
                </button>
              </li>
            ))}
          </ul>
        )}
        <h2>{a.unlockHeading}</h2>
        <label className="field">
          <span>{a.unlockNumber}</span>
          <input type="tel" inputMode="tel" autoComplete="off" value={phone} maxLength={40} onChange={(event) => setPhone(event.target.value.replace(/[^0-9+ ]/g, ''))} />
        </label>
        <div className="entry-actions">
          <button type="submit" className="primary" disabled={busy || phone.trim() === ''}>
            {a.unlock}
          </button>
          <button
            type="button"
            className="secondary"
            disabled={busy || phone.trim() === ''}
            onClick={() => void store.getState().filterAudit({ phone }).then(showActivity)}
          >
            {a.showActivity}
          </button>
        </div>
        <p role="status">{notice?.kind === 'unlocked' ? a.unlocked(notice.count, f) : ''}</p>
      </div>
      <Keypad
        label={m.keypad}
        deleteLabel={m.deleteKey}
        clearLabel={m.clearKey}
        onKey={(key) => setPhone((phone + key).slice(0, 40))}
        onDelete={() => setPhone(phone.slice(0, -1))}
        onClear={() => setPhone('')}
        disabled={busy}
      />
    </form>
  );
}

function DevicePanel({ store }: { store: KioskStore }) {
  const { m, f } = useI18n(store);
  const busy = useStore(store, (s) => s.busy);
  const status = useStore(store, (s) => s.adminStatus);
  const canExit = useStore(store, (s) => s.device?.capabilities.exit ?? false);
  const notice = useStore(store, (s) => s.adminNotice);
  const holders = useStore(store, (s) => s.shiftPinHolders);
  const signedIn = useStore(store, (s) => s.adminSession);
  const { syncNow, sendDiagnostics, resetDemo, exitKiosk, clearShiftPins } = store.getState();
  const a = m.admin;
  const lastSync = status?.lastSync;
  return (
    <>
      <h2>{a.device}</h2>
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
          {status.setAside && status.setAside.count > 0 && (
            <>
              <dt>{a.setAsideLabel}</dt>
              <dd>{a.setAside(status.setAside.count, status.setAside.records.map((record) => record.reason).join(' · '), f)}</dd>
            </>
          )}
          <dt>{a.users}</dt>
          <dd>{f.number(status.users)}</dd>
          <dt>{a.readyPhones}</dt>
          <dd>{f.number(status.readyPhones)}</dd>
          {status.smsProviders && status.smsProviders.length > 0 && (
            <>
              <dt>{a.smsProviders}</dt>
              {status.smsProviders.map((p) => (
                <dd key={`${p.role}:${p.provider}`}>
                  {a.providerHealth(
                    {
                      provider: p.provider,
                      fallback: p.role === 'fallback',
                      lastSuccess: p.lastSuccessAt === null ? null : f.dateTime(p.lastSuccessAt),
                      failures: p.failuresSinceSuccess,
                      lastFailure: p.lastFailureAt === null ? null : f.dateTime(p.lastFailureAt),
                      reason: p.lastFailureReason,
                    },
                    f,
                  )}
                </dd>
              ))}
            </>
          )}
          <dt>{a.signedInNow}</dt>
          <dd>{signedIn ? a.signedInAs(signedIn.displayName, signedIn.amr.map((value) => m.ways.amr[value]).join(' + ')) : a.nobodySignedIn}</dd>
          <dt>{a.shiftPinsHeading}</dt>
          <dd>
            {holders.length === 0
              ? a.noShiftPins
              : holders.map((holder) => (
                  <button key={holder.userId} type="button" className="secondary" disabled={busy} aria-label={a.clearShiftPin(holder.displayName)} onClick={() => void clearShiftPins(holder.userId)}>
                    {holder.displayName} {a.shiftPinUntil(f.time(holder.until))} ✕
                  </button>
                ))}
          </dd>
        </dl>
      )}
      <div className="actions">
        {status?.mode === 'live' && (
          <button type="button" className="secondary" onClick={() => void syncNow()} disabled={busy}>
            {a.syncNow}
          </button>
        )}
        {status?.mode === 'live' && (
          <button type="button" className="secondary" onClick={() => void sendDiagnostics()} disabled={busy}>
            {a.sendDiagnostics}
          </button>
        )}
        {status?.mode === 'demo' && (
          <button type="button" className="secondary" onClick={() => void resetDemo()} disabled={busy}>
            {a.resetDemo}
          </button>
        )}
        {holders.length > 0 && (
          <button type="button" className="secondary" onClick={() => void clearShiftPins()} disabled={busy}>
            {a.clearAllShiftPins}
          </button>
        )}
        {canExit && (
          <button type="button" className="danger" onClick={() => void exitKiosk()} disabled={busy}>
            {a.exitKiosk}
          </button>
        )}
      </div>
      <p role="status">{notice?.kind === 'demoReset' ? a.demoReset : notice?.kind === 'synced' ? a.synced : notice?.kind === 'diagnosticsSent' ? a.diagnosticsSent : notice?.kind === 'shiftPinsCleared' ? a.shiftPinsCleared(notice.count, f) : ''}</p>
    </>
  );
}
