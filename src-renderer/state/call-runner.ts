import type { StoreApi } from 'zustand/vanilla';
import { fail, type KioskError, type Result } from '../../shared/result';

/** What every call shares: whether one is in flight, and the last one's error. */
export interface CallState {
  busy: boolean;
  /** The last call's error, by code: the renderer puts it in words (i18n/describe-error). */
  error: KioskError | null;
  /** When the error arrived: waits it mentions count from here. */
  errorAt: number;
}

export type RunCall = <T>(call: () => Promise<Result<T>>) => Promise<T | null>;

/**
 * The store's one call runner: keeps `busy` and `error` true to the call, turns a
 * transport failure into an error value, and hands errors to `onError` (the admin slice
 * goes back to the PIN when main says the admin screen closed). Returns the value or null.
 */
export function callRunner<S extends CallState>(store: Pick<StoreApi<S>, 'setState'>, onError: (error: KioskError) => void): RunCall {
  return async <T>(call: () => Promise<Result<T>>): Promise<T | null> => {
    store.setState({ busy: true, error: null } as Partial<S>);
    let result: Result<T>;
    try {
      result = await call();
    } catch {
      result = fail('internal', 'The kiosk service is not responding.');
    }
    if (result.ok) {
      store.setState({ busy: false } as Partial<S>);
      return result.value;
    }
    store.setState({ busy: false, error: result.error, errorAt: Date.now() } as Partial<S>);
    onError(result.error);
    return null;
  };
}
