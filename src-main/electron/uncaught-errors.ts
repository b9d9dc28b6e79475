import type { Logger } from '../core/base/log';

type ErrorEvents = Pick<NodeJS.EventEmitter, 'on' | 'off'>;

/**
 * A bug in main must not take the kiosk down: a dead kiosk is a blank screen on the shop
 * floor. Uncaught exceptions and unhandled rejections are logged, then `recover` brings
 * the screen back if it needs it. Returns a disposer.
 */
export function surviveUncaughtErrors(log: Logger, recover: () => void, events: ErrorEvents = process): () => void {
  const onError = (kind: string) => (error: unknown) => {
    log.error('uncaught error in the main process', { kind, ...describeError(error) });
    try {
      recover();
    } catch (failure) {
      // Throwing from here would end the process after all.
      log.error('could not recover the kiosk screen', describeError(failure));
    }
  };
  const onException = onError('uncaughtException');
  const onRejection = onError('unhandledRejection');
  events.on('uncaughtException', onException);
  events.on('unhandledRejection', onRejection);
  return () => {
    events.off('uncaughtException', onException);
    events.off('unhandledRejection', onRejection);
  };
}

/**
 * What is safe to log of an error: its type, its code and where it was thrown. Not its
 * message, which may quote what the code was handling (a phone number, a texted code).
 */
export function describeError(error: unknown): { type: string; code?: string; at?: string[] } {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as NodeJS.ErrnoException).code;
  const at = error.stack
    ?.split('\n')
    .filter((line) => /^\s+at /.test(line))
    .map((line) => line.trim());
  return { type: error.name, ...(typeof code === 'string' && { code }), ...(at && at.length > 0 && { at }) };
}
