/**
 * Owned listeners and timers, after VS Code's `base/common/lifecycle.ts`: whatever a window
 * or view registers goes into its store, and disposing the store when it goes away leaves
 * nothing registered behind.
 */
export interface Disposable {
  dispose(): void;
}

export function toDisposable(dispose: () => void): Disposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      dispose();
    },
  };
}

/** Listens until disposed. */
export function listen<A extends unknown[]>(
  emitter: { on(event: string, listener: (...args: A) => void): unknown; removeListener(event: string, listener: (...args: A) => void): unknown },
  event: string,
  listener: (...args: A) => void,
): Disposable {
  emitter.on(event, listener);
  return toDisposable(() => emitter.removeListener(event, listener));
}

/** Disposables with one owner; adding to a disposed store disposes at once. */
export class DisposableStore implements Disposable {
  private readonly items = new Set<Disposable>();
  private disposed = false;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.add(item);
    return item;
  }

  /** Disposes everything, newest first; errors in one do not stop the rest. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const item of [...this.items].reverse()) {
      try {
        item.dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    this.items.clear();
    if (errors.length > 0) throw errors[0];
  }

  get isDisposed(): boolean {
    return this.disposed;
  }
}
