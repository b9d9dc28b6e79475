import { Bench, type Fn, type FnHook, type Statistics } from 'tinybench';

export interface MeasureOptions {
  /** Timed runs (at least); `time` may add more. */
  iterations: number;
  /** Milliseconds to keep running after `iterations`, for fast operations. */
  time?: number;
  /** Untimed runs first, so the JIT and SQLite's page cache are warm. */
  warmupIterations: number;
  beforeEach?: FnHook;
  afterEach?: FnHook;
  /** Keeps every sample, for percentiles tinybench does not report (p95). */
  retainSamples?: boolean;
}

/** Runs one tinybench task and returns its latency statistics, in milliseconds. */
export async function measure(name: string, fn: Fn, options: MeasureOptions): Promise<Statistics> {
  const bench = new Bench({
    iterations: options.iterations,
    time: options.time ?? 0,
    warmupIterations: options.warmupIterations,
    warmupTime: 0,
    retainSamples: options.retainSamples ?? false,
    throws: true,
  });
  bench.add(name, fn, { beforeEach: options.beforeEach, afterEach: options.afterEach });
  collectGarbage();
  await bench.run();
  const result = bench.getTask(name)?.result;
  if (!result || !('latency' in result)) throw new Error(`benchmark ${name} did not complete (${result?.state ?? 'missing'})`);
  return result.latency;
}

/** The `q`-quantile (0–1) of retained samples, by linear interpolation. */
export function quantile(latency: Statistics, q: number): number {
  const samples = latency.samples;
  if (!samples || samples.length === 0) throw new Error('quantile needs retained samples');
  const at = (samples.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return samples[low]! + (samples[high]! - samples[low]!) * (at - low);
}

/** Starts a benchmark from a collected heap when node runs with --expose-gc (bench/run.mjs does). */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Progress for the person watching: on stderr, so `--json` keeps stdout to the one object. */
export function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}
