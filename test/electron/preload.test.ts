import { beforeAll, describe, expect, it, vi } from 'vitest';
import { callNames } from '../../shared/contract';
import type { KioskBridge } from '../../shared/kiosk-bridge';
import { contextBridge, ipcRenderer } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

let kiosk: KioskBridge;

beforeAll(async () => {
  await import('../../src-main/electron/preload');
  kiosk = contextBridge.exposed.get('kiosk') as KioskBridge;
});

/** contextBridge copies plain data and proxies functions; anything else does not survive it. */
function isBridgeSafe(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && Object.values(value).every(isBridgeSafe);
}

describe('preload', () => {
  it('exposes only the kiosk bridge', () => {
    expect([...contextBridge.exposed.keys()]).toEqual(['kiosk']);
  });

  it('exposes domain verbs and `on`, never ipcRenderer', () => {
    const namespaces = [...new Set(callNames.map((name) => name.split('.')[0]))];
    expect(Object.keys(kiosk).sort()).toEqual([...namespaces, 'on'].sort());
    expect(Object.keys(kiosk.signIn).sort()).toEqual(['call', 'cancel', 'renew', 'resend', 'start', 'verify', 'withAuthenticator', 'withShiftPin']);
    expect(Object.values(kiosk)).not.toContain(ipcRenderer);
    expect(isBridgeSafe(kiosk)).toBe(true);
  });

  it('turns a verb into an invoke on its own channel', async () => {
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: { state: 'ready' } });
    expect(await kiosk.signIn.start({ phone: '+1 206 555 0100' })).toEqual({ ok: true, value: { state: 'ready' } });
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith('kiosk:call:signIn.start', { phone: '+1 206 555 0100' });
  });

  it('hands listeners the payload only, not the IPC event', () => {
    const listener = vi.fn();
    const off = kiosk.on('session.changed', listener);
    ipcRenderer.emit('kiosk:event:session.changed', { sender: ipcRenderer }, { state: 'ready' });
    expect(listener).toHaveBeenCalledWith({ state: 'ready' });
    expect(listener.mock.calls[0]).toHaveLength(1);

    off();
    ipcRenderer.emit('kiosk:event:session.changed', { sender: ipcRenderer }, { state: 'ready' });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(ipcRenderer.listenerCount('kiosk:event:session.changed')).toBe(0);
  });

  it('refuses to subscribe to an event the contract does not name', () => {
    const on = kiosk.on as (event: string, listener: () => void) => () => void;
    expect(() => on('ipc-message', () => {})).toThrow(/Unknown kiosk event/);
    expect(ipcRenderer.eventNames()).toEqual([]);
  });
});
