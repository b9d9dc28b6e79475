// `npm run bench [-- --json]`: bundles the TypeScript benchmarks in bench/ with esbuild (as
// scripts/build.mjs bundles main) and runs them with --expose-gc, so every benchmark starts
// from a collected heap. Run `node scripts/build.mjs --quiet` first: the renderer and the
// preview host are measured as built. Only the results go to stdout; progress goes to stderr.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import process from 'node:process';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
// Inside node_modules, so the bundles find better-sqlite3 and playwright-core at run time.
// One folder per checkout: worktrees share node_modules, and their benchmarks must not
// overwrite each other's bundles.
const outdir = path.join(root, 'node_modules', '.cache', `frontline-bench-${createHash('sha256').update(root).digest('hex').slice(0, 8)}`);

await build({
  absWorkingDir: root,
  // The sync worker thread as dist/main bundles it: the bench syncs through it as the kiosk does.
  entryPoints: { main: 'bench/main.ts', 'sync-peak-memory': 'bench/sync-peak-memory.ts', 'sync-worker': 'src-main/core/sync/sync-worker-thread.ts' },
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['better-sqlite3', 'keytar', 'electron', 'playwright-core'],
  logLevel: 'warning',
});

const run = spawnSync(process.execPath, ['--expose-gc', path.join(outdir, 'main.js'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
