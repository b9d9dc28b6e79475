/** Wall-clock time in milliseconds since the epoch. Injected so tests never sleep. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Runs something later. Injected with the clock so tests move time by hand. */
export interface Scheduler {
  /** Runs `task` after `ms`; returns a function that cancels it. */
  after(ms: number, task: () => void): () => void;
}

export const systemScheduler: Scheduler = {
  after(ms, task) {
    const timer = setTimeout(task, ms);
    timer.unref?.();
    return () => clearTimeout(timer);
  },
};

/** Runs `task` every `everyMs` until the returned function is called. */
export function repeat(scheduler: Scheduler, everyMs: number, task: () => void): () => void {
  let cancel = scheduler.after(everyMs, function tick() {
    cancel = scheduler.after(everyMs, tick);
    task();
  });
  return () => cancel();
}
