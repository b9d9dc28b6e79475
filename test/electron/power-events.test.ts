import { beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src-main/core/base/log';
import { signOutOnSuspend } from '../../src-main/electron/power-events';
import { powerMonitor, resetElectronMock } from './electron-mock';

vi.mock('electron', () => import('./electron-mock'));

const kiosk = { endSession: vi.fn(async (_reason: string) => {}) };

beforeEach(() => resetElectronMock());

describe('OS power events', () => {
  it.each(['suspend', 'lock-screen'])('%s signs the worker out as a suspend', (osEvent) => {
    signOutOnSuspend(kiosk, silentLogger);
    powerMonitor.emit(osEvent);
    expect(kiosk.endSession).toHaveBeenCalledWith('suspend');
  });

  it('stop signing out once disposed', () => {
    const dispose = signOutOnSuspend(kiosk, silentLogger);
    dispose();
    powerMonitor.emit('suspend');
    powerMonitor.emit('lock-screen');
    expect(kiosk.endSession).not.toHaveBeenCalled();
    expect(powerMonitor.eventNames()).toEqual([]);
  });
});
