// Builds everything the app runs: the renderer with Vite into dist/renderer, and main,
// preload, the preview host and the feed tool for IT with esbuild into dist/main.
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

const quiet = process.argv.includes('--quiet');
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: quiet ? 'error' : 'info',
  // Native modules load from node_modules at run time; electron is provided by the runtime.
  external: ['electron', 'better-sqlite3', 'keytar'],
  define: { __KIOSK_VERSION__: JSON.stringify(version) },
};

await Promise.all([
  viteBuild({ configFile: new URL('../vite.config.mts', import.meta.url).pathname, logLevel: quiet ? 'error' : 'info' }),
  esbuild({
    ...node,
    entryPoints: { main: 'src-main/electron/main.ts', preview: 'src-main/preview/cli.ts', 'feed-tool': 'src-main/cli/feed-tool.ts', 'kiosk-cli': 'src-main/cli/kiosk-cli-main.ts', 'sync-worker': 'src-main/core/sync/sync-worker-thread.ts' },
    outdir: 'dist/main',
  }),
  // The publisher is also the package's `frontline-kiosk-publisher` bin: a script with its interpreter line.
  esbuild({ ...node, entryPoints: { publisher: 'src-main/cli/publisher-main.ts' }, outdir: 'dist/main', banner: { js: '#!/usr/bin/env node' } }),
  // A sandboxed preload may only require('electron'): everything else is bundled in.
  esbuild({ ...node, entryPoints: { preload: 'src-main/electron/preload.ts' }, outdir: 'dist/main', external: ['electron'] }),
]);
chmodSync(new URL('../dist/main/publisher.js', import.meta.url), 0o755);
