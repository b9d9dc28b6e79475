import type { AdminStatus, AuditEventView, AuditKind, CallOutput } from '../../shared/contract';
import type { KioskBridge } from '../../shared/kiosk-bridge';
import type { Result } from '../../shared/result';
import type { RunCall } from './call-runner';
import type { SliceGet, SliceSet } from './kiosk-store';

export type AuditOutcome = 'success' | 'failure' | 'info';
export type LockedWorker = CallOutput<'admin.locked'>['workers'][number];
export type ShiftPinHolder = CallOutput<'admin.shiftPins'>['workers'][number];
export type AdminSessionView = CallOutput<'admin.session'>['signedIn'];

/** What the activity list shows: the filters IT picked and the page they are on. */
export interface AuditView {
  outcome: AuditOutcome | null;
  /** A kind of event (`signIn`, `sms`, `admin`, …), or null for every kind. */
  kind: AuditKind | null;
  sinceHours: number;
  /** A number to search for, as typed; main matches it through the audit log's keyed hash. */
  phone: string;
  page: number;
  events: AuditEventView[];
}

/** What the last admin action did, for the admin screen's status line. */
export type AdminNotice = { kind: 'unlocked'; count: number } | { kind: 'demoReset' } | { kind: 'synced' } | { kind: 'diagnosticsSent' } | { kind: 'shiftPinsCleared'; count: number };

/** The PIN dialog, then the admin screen: everything IT sees behind the admin PIN. */
export interface AdminSlice {
  admin: 'closed' | 'pin' | 'open';
  adminStatus: AdminStatus | null;
  audit: AuditView;
  adminNotice: AdminNotice | null;
  /** Who is locked out of SMS sign-in now. */
  lockedWorkers: LockedWorker[];
  /** Who has a shift PIN here, and who is signed in now and how (amr). */
  shiftPinHolders: ShiftPinHolder[];
  adminSession: AdminSessionView;

  askForAdminPin(): void;
  openAdmin(pin: string): Promise<void>;
  closeAdmin(): Promise<void>;
  /** Reloads the device facts and the activity list, as after every admin action. */
  refreshAdmin(): Promise<void>;
  filterAudit(filter: Partial<Pick<AuditView, 'outcome' | 'kind' | 'sinceHours' | 'phone'>>): Promise<void>;
  showAuditPage(page: number): void;
  syncNow(): Promise<void>;
  sendDiagnostics(): Promise<void>;
  resetDemo(): Promise<void>;
  unlock(phone: string): Promise<void>;
  unlockWorker(userId: string): Promise<void>;
  /** Ends one worker's shift PIN, or everyone's. */
  clearShiftPins(userId?: string): Promise<void>;
  exitKiosk(): Promise<void>;
}

/** The most the activity list holds for paging and export. */
export const AUDIT_ROWS_FETCHED = 200;

const freshAudit: AuditView = { outcome: null, kind: null, sinceHours: 24, phone: '', page: 0, events: [] };

export function createAdminSlice(kiosk: KioskBridge, run: RunCall, set: SliceSet, get: SliceGet): AdminSlice {
  const loadAudit = async () => {
    const { outcome, kind, sinceHours, phone } = get().audit;
    const found = await run(() =>
      kiosk.admin.audit({ limit: AUDIT_ROWS_FETCHED, sinceHours, ...(outcome && { outcome }), ...(kind && { kind }), ...(phone.trim() && { phone }) }),
    );
    if (found) set((s) => ({ audit: { ...s.audit, events: found.events, page: Math.min(s.audit.page, lastPageOf(found.events.length)) } }));
  };
  const loadStatus = async () => {
    const status = await run(() => kiosk.admin.status({}));
    if (status) set({ adminStatus: status });
  };
  const loadLocked = async () => {
    const locked = await run(() => kiosk.admin.locked({}));
    if (locked) set({ lockedWorkers: locked.workers });
    const pins = await run(() => kiosk.admin.shiftPins({}));
    if (pins) set({ shiftPinHolders: pins.workers });
    const session = await run(() => kiosk.admin.session({}));
    if (session) set({ adminSession: session.signedIn });
  };
  /** An action changes what the screen shows: its answer, then fresh lists. */
  const act = async <T>(call: () => Promise<Result<T>>) => {
    set({ adminNotice: null });
    const value = await run(call);
    if (value !== null) {
      await loadAudit();
      await loadLocked();
    }
    return value;
  };

  return {
    admin: 'closed',
    adminStatus: null,
    audit: freshAudit,
    adminNotice: null,
    lockedWorkers: [],
    shiftPinHolders: [],
    adminSession: null,

    askForAdminPin: () => set({ admin: 'pin', error: null }),
    openAdmin: async (pin) => {
      if (!(await run(() => kiosk.admin.open({ pin })))) return;
      set({ admin: 'open', audit: freshAudit, adminNotice: null, adminStatus: null });
      await get().refreshAdmin();
    },
    closeAdmin: async () => {
      set({ admin: 'closed', error: null, adminStatus: null, audit: freshAudit, adminNotice: null, lockedWorkers: [], shiftPinHolders: [], adminSession: null });
      await run(() => kiosk.admin.close({}));
    },
    refreshAdmin: async () => {
      await loadStatus();
      if (get().admin !== 'open') return;
      await loadAudit();
      await loadLocked();
    },
    filterAudit: async (filter) => {
      set((s) => ({ audit: { ...s.audit, ...filter, page: 0 } }));
      await loadAudit();
    },
    showAuditPage: (page) => set((s) => ({ audit: { ...s.audit, page: Math.max(0, Math.min(page, lastPageOf(s.audit.events.length))) } })),
    syncNow: async () => {
      const status = await act(() => kiosk.admin.syncNow({}));
      if (status) set({ adminStatus: status, adminNotice: { kind: 'synced' } });
    },
    sendDiagnostics: async () => {
      const sent = await act(() => kiosk.admin.sendDiagnostics({}));
      if (sent) set({ adminNotice: { kind: 'diagnosticsSent' } });
    },
    resetDemo: async () => {
      const status = await act(() => kiosk.admin.resetDemo({}));
      if (status) set({ adminStatus: status, adminNotice: { kind: 'demoReset' } });
    },
    unlock: async (phone) => {
      const unlocked = await act(() => kiosk.admin.unlock({ phone }));
      if (unlocked) set({ adminNotice: { kind: 'unlocked', count: unlocked.unlocked } });
    },
    unlockWorker: async (userId) => {
      const unlocked = await act(() => kiosk.admin.unlockWorker({ userId }));
      if (unlocked) set({ adminNotice: { kind: 'unlocked', count: unlocked.unlocked } });
    },
    clearShiftPins: async (userId) => {
      const cleared = await act(() => kiosk.admin.clearShiftPins(userId === undefined ? {} : { userId }));
      if (cleared) set({ adminNotice: { kind: 'shiftPinsCleared', count: cleared.cleared } });
    },
    exitKiosk: async () => void (await run(() => kiosk.admin.exit({}))),
  };
}

export const AUDIT_PAGE_SIZE = 6;
const lastPageOf = (rows: number) => Math.max(0, Math.ceil(rows / AUDIT_PAGE_SIZE) - 1);
