// `npm run preview`: install the npm dependencies if they are missing or stale, build
// quietly, then start the browser preview host (offline demo mode).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureNpmDependencies } from './npm-dependencies.mjs';
import { runPreviewHost } from './preview-host.mjs';
import { ensureSystemPackages } from './system-packages.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

try {
  ensureNpmDependencies({ root, beforeInstall: () => ensureSystemPackages({ who: 'npm run preview', needs: ['install'] }) });
  const built = spawnSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) throw new Error('The build failed (see the errors above), so there is nothing to preview.');
  runPreviewHost(root, process.argv.slice(2));
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
