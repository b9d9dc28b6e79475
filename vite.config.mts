import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const page = (file: string) => fileURLToPath(new URL(`src-renderer/${file}`, import.meta.url));

const isDemoApp = (id: string) => /(^|\/)apps\/|\/node_modules\/(openid-client|oauth4webapi)\//.test(id);

export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // No inline scripts or styles: the CSP allows only 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
    rollupOptions: {
      // The kiosk's screen, and the demo apps it ships (relying parties of its single sign-on).
      input: {
        index: page('index.html'),
        'shift-schedule': page('apps/shift-schedule.html'),
        'safety-handbook': page('apps/safety-handbook.html'),
      },
      // The demo apps' code lives beside them under apps/: an app partition serves apps/ only.
      output: {
        entryFileNames: (chunk) => (chunk.name === 'index' ? 'assets/[name]-[hash].js' : 'apps/assets/[name]-[hash].js'),
        chunkFileNames: (chunk) => (chunk.moduleIds.some(isDemoApp) ? 'apps/assets/[name]-[hash].js' : 'assets/[name]-[hash].js'),
        assetFileNames: (asset) => (asset.originalFileNames.some(isDemoApp) || asset.names.some((name) => name.startsWith('relying-party')) ? 'apps/assets/[name]-[hash][extname]' : 'assets/[name]-[hash][extname]'),
      },
    },
  },
});
