/**
 * `npm run bench [-- --json]` (through bench/run.mjs): every benchmark of issues 8 and 15 on this
 * machine. Prints a table, or with --json one JSON object on stdout: each metric (a number)
 * the scale `ladder` (10k, 100k, 1M users) and `machine`. Ratios are measured against their baselines in the same run, since the
 * machines are noisy. Needs a build (node scripts/build.mjs --quiet): the renderer and the
 * preview host are measured as built.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureBrowser, type BrowserMetrics } from './browser';
import { progress } from './measure';
import { measureRendererSize, type RendererSizeMetrics } from './renderer-size';
import { measureSignIn, type SignInMetrics } from './sign-in';
import { measureLadder, type LadderMetrics, type LadderStep } from './scale-ladder';
import { measureSync, type SyncMetrics } from './sync';
import { measureSyncWhileSigningIn, type SyncWhileSigningInMetrics } from './sync-while-signing-in';

type Metrics = SignInMetrics & SyncMetrics & SyncWhileSigningInMetrics & LadderMetrics & RendererSizeMetrics & BrowserMetrics;

/** Issue 15's targets: a metric passes at or below its ceiling; those without one are context. */
const targets: Record<keyof Metrics, { unit: string; ceiling?: number }> = {
  signin_ms_p50: { unit: 'ms' },
  signin_ms_p99: { unit: 'ms', ceiling: 1.5 },
  signin_vs_sqlite_ratio: { unit: '×', ceiling: 8 },
  signin_vs_durable_sqlite_ratio: { unit: '×' },
  signin_normal_vs_sqlite_ratio: { unit: '×' },
  signin_normal_sync_ms_p50: { unit: 'ms' },
  signin_full_vs_normal_sync_ratio: { unit: '×' },
  lookup_us_p99: { unit: 'µs', ceiling: 50 },
  signin_during_sync_ms_p99: { unit: 'ms', ceiling: 20 },
  sync_main_stall_ms_max: { unit: 'ms', ceiling: 50 },
  sync_event_loop_delay_ms_max: { unit: 'ms' },
  signins_during_sync: { unit: '' },
  signins_failed_during_sync: { unit: '' },
  sync_full_100k_worker_ms: { unit: 'ms' },
  sync_full_100k_ms: { unit: 'ms', ceiling: 2500 },
  sync_vs_bulk_insert_ratio: { unit: '×', ceiling: 2 },
  sync_delta_1k_ms: { unit: 'ms', ceiling: 50 },
  sync_delta_vs_bare_ratio: { unit: '×' },
  sync_peak_rss_mb: { unit: 'MB', ceiling: 180 },
  db_size_100k_mb: { unit: 'MB' },
  sync_full_100k_detached_ms: { unit: 'ms' },
  sync_peak_rss_detached_mb: { unit: 'MB' },
  sync_full_10k_ms: { unit: 'ms' },
  sync_peak_rss_10k_mb: { unit: 'MB' },
  db_size_10k_mb: { unit: 'MB' },
  signin_ms_p99_10k: { unit: 'ms' },
  lookup_us_p99_10k: { unit: 'µs' },
  sync_full_1m_ms: { unit: 'ms', ceiling: 30_000 },
  sync_peak_rss_1m_mb: { unit: 'MB', ceiling: 300 },
  db_size_1m_mb: { unit: 'MB' },
  signin_ms_p99_1m: { unit: 'ms', ceiling: 2 },
  lookup_us_p99_1m: { unit: 'µs' },
  renderer_js_gzip_kb: { unit: 'kB', ceiling: 150 },
  renderer_css_gzip_kb: { unit: 'kB' },
  keypress_to_paint_ms_p95: { unit: 'ms', ceiling: 16.7 },
  cold_start_ms: { unit: 'ms' },
  cold_start_vs_blank_ratio: { unit: '×', ceiling: 3 },
};

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const root = path.resolve(__dirname, '..', '..', '..');
  const work = mkdtempSync(path.join(os.tmpdir(), 'kiosk-bench-'));
  const started = performance.now();
  try {
    const size = measureRendererSize(path.join(root, 'dist', 'renderer'));
    const sync = await measureSync(work, path.join(__dirname, 'sync-peak-memory.js'));
    const signIn = await measureSignIn(work, sync.baseStore);
    const during = await measureSyncWhileSigningIn(work, sync.baseStore, path.join(__dirname, 'sync-worker.js'));
    // `--core`: the sync, sign-in and sync-while-signing-in benchmarks only (minutes, not
    // the million-user ladder and the browser); the keys of the parts left out are absent.
    const core = process.argv.includes('--core');
    const ladder = core ? null : await measureLadder(work, path.join(__dirname, 'sync-peak-memory.js'));
    const browser = core ? null : await measureBrowser();
    const metrics = { ...signIn, ...sync.metrics, ...during, ...ladder?.metrics, ...size, ...browser } as Metrics;
    progress(`done in ${Math.round((performance.now() - started) / 1000)} s`);
    const machine = { cpu: os.cpus()[0]?.model.trim() ?? 'unknown', cores: os.availableParallelism(), node: process.version };
    const steps = [hundredThousand(metrics), ...(ladder?.steps ?? [])].sort((a, b) => a.users - b.users).map(roundedStep);
    if (json) process.stdout.write(`${JSON.stringify({ ...rounded(metrics), ladder: steps, machine })}\n`);
    else process.stdout.write(`${table(metrics, machine)}\n${ladderTable(steps)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The 100,000 rung of the ladder, from the main sync and sign-in benchmarks. */
function hundredThousand(metrics: Metrics): LadderStep {
  return {
    users: 100_000,
    sync_ms: metrics.sync_full_100k_ms,
    peak_rss_mb: metrics.sync_peak_rss_mb,
    db_mb: metrics.db_size_100k_mb,
    signin_ms_p99: metrics.signin_ms_p99,
    lookup_us_p99: metrics.lookup_us_p99,
  };
}

function roundedStep(step: LadderStep): LadderStep {
  const out = { ...step };
  for (const name of Object.keys(out) as Array<keyof LadderStep>) out[name] = Number(out[name].toFixed(3));
  return out;
}

function ladderTable(steps: LadderStep[]): string {
  const header = ['users', 'full sync', 'peak RSS', 'database', 'sign-in p99', 'lookup p99'];
  const rows = steps.map((s) => [s.users.toLocaleString('en'), `${format(s.sync_ms)} ms`, `${format(s.peak_rss_mb)} MB`, `${format(s.db_mb)} MB`, `${format(s.signin_ms_p99)} ms`, `${format(s.lookup_us_p99)} µs`]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  return ['scale ladder', line(header), ...rows.map(line), ''].join('\n');
}

function rounded(metrics: Metrics): Metrics {
  const out = { ...metrics };
  for (const name of Object.keys(out) as Array<keyof Metrics>) out[name] = Number(out[name].toFixed(3));
  return out;
}

function table(metrics: Metrics, machine: { cpu: string; cores: number; node: string }): string {
  const rows = (Object.keys(targets) as Array<keyof Metrics>).filter((name) => name in metrics).map((name) => {
    const { unit, ceiling } = targets[name];
    const value = metrics[name];
    const verdict = ceiling === undefined ? '' : value <= ceiling ? 'ok' : 'MISSED';
    return [name, `${format(value)} ${unit}`, ceiling === undefined ? '' : `≤ ${ceiling} ${unit}`, verdict];
  });
  const header = ['metric', 'value', 'target', ''];
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  return [`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`, '', line(header), ...rows.map(line), ''].join('\n');
}

function format(value: number): string {
  return value >= 100 ? String(Math.round(value)) : value.toPrecision(3);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
