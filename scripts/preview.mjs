// `npm run preview`: build quietly, then start the browser preview host (offline demo mode).
import { spawnSync, spawn } from 'node:child_process';

const built = spawnSync(process.execPath, ['scripts/build.mjs', '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (built.status !== 0) {
  console.error('The build failed; see the errors above.');
  process.exit(built.status ?? 1);
}
const host = spawn(process.execPath, ['dist/main/preview.js', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => host.kill(signal));
host.on('exit', (code) => process.exit(code ?? 0));
