import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../src-main/core/base/log';
import { describeError, surviveUncaughtErrors } from '../../src-main/electron/uncaught-errors';

function watching(recover = vi.fn()) {
  const events = new EventEmitter();
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() } satisfies Logger;
  const dispose = surviveUncaughtErrors(log, recover, events);
  return { events, log, recover, dispose };
}

describe('uncaught errors in main', () => {
  it.each(['uncaughtException', 'unhandledRejection'])('%s is logged, and the screen recovered', (kind) => {
    const { events, log, recover } = watching();
    events.emit(kind, new TypeError('cannot read properties of undefined'));
    expect(log.error).toHaveBeenCalledWith('uncaught error in the main process', expect.objectContaining({ kind, type: 'TypeError' }));
    expect(recover).toHaveBeenCalledOnce();
  });

  it('are logged without their message, which may quote a phone number or a code', () => {
    const { events, log } = watching();
    events.emit('uncaughtException', new Error('no holder for +12065550100 with code 123456'));
    const logged = JSON.stringify(log.error.mock.calls);
    expect(logged).not.toContain('2065550100');
    expect(logged).not.toContain('123456');
    expect(log.error.mock.calls[0]![1]).toMatchObject({ type: 'Error', at: expect.arrayContaining([expect.stringMatching(/^at /)]) });
  });

  it('do not end the process when recovering fails too', () => {
    const { events, log } = watching(
      vi.fn(() => {
        throw new Error('window gone');
      }),
    );
    expect(() => events.emit('uncaughtException', new Error('boom'))).not.toThrow();
    expect(log.error).toHaveBeenCalledWith('could not recover the kiosk screen', expect.objectContaining({ type: 'Error' }));
  });

  it('are no longer handled once disposed', () => {
    const { events, dispose } = watching();
    dispose();
    expect(events.eventNames()).toEqual([]);
  });
});

describe('what is logged of an error', () => {
  it('is its type, code and stack frames', () => {
    const error = Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' });
    const described = describeError(error);
    expect(described).toMatchObject({ type: 'Error', code: 'SQLITE_BUSY' });
    expect(described.at?.every((frame) => frame.startsWith('at '))).toBe(true);
    expect(JSON.stringify(described)).not.toContain('locked');
  });

  it('is only its type for a thrown value that is not an Error', () => {
    expect(describeError('+12065550100')).toEqual({ type: 'string' });
    expect(describeError(undefined)).toEqual({ type: 'undefined' });
  });
});
