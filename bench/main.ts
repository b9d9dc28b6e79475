/**
 * `npm run bench [-- --json]` (through bench/run.mjs): every benchmark of issue 8 on this
 * machine. Prints a table, or with --json one JSON object on stdout: each metric (a number)
 * and `machine`. Ratios are measured against their baselines in the same run, since the
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
import { measureSync, type SyncMetrics } from './sync';

type Metrics = SignInMetrics & SyncMetrics & RendererSizeMetrics & BrowserMetrics;

/** Issue 8's targets: a metric passes at or below its ceiling; those without one are context. */
const targets: Record<keyof Metrics, { unit: string; ceiling?: number }> = {
  signin_ms_p50: { unit: 'ms' },
  signin_ms_p99: { unit: 'ms', ceiling: 2 },
  signin_vs_sqlite_ratio: { unit: '×', ceiling: 10 },
  signin_normal_sync_ms_p50: { unit: 'ms' },
  signin_full_vs_normal_sync_ratio: { unit: '×' },
  lookup_us_p99: { unit: 'µs', ceiling: 50 },
  sync_full_100k_ms: { unit: 'ms', ceiling: 3000 },
  sync_vs_bulk_insert_ratio: { unit: '×', ceiling: 3 },
  sync_delta_1k_ms: { unit: 'ms', ceiling: 100 },
  sync_peak_rss_mb: { unit: 'MB', ceiling: 250 },
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
    const browser = await measureBrowser();
    const metrics: Metrics = { ...signIn, ...sync.metrics, ...size, ...browser };
    progress(`done in ${Math.round((performance.now() - started) / 1000)} s`);
    const machine = { cpu: os.cpus()[0]?.model.trim() ?? 'unknown', cores: os.availableParallelism(), node: process.version };
    if (json) process.stdout.write(`${JSON.stringify({ ...rounded(metrics), machine })}\n`);
    else process.stdout.write(table(metrics, machine));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function rounded(metrics: Metrics): Metrics {
  const out = { ...metrics };
  for (const name of Object.keys(out) as Array<keyof Metrics>) out[name] = Number(out[name].toFixed(3));
  return out;
}

function table(metrics: Metrics, machine: { cpu: string; cores: number; node: string }): string {
  const rows = (Object.keys(targets) as Array<keyof Metrics>).map((name) => {
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
