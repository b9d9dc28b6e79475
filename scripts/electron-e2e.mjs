// The Electron e2e tests. Native modules can be built for one runtime at a time, so where
// an Electron binary exists this rebuilds them for Electron, runs the tests, and rebuilds
// them for Node again whatever happened. Without a binary the tests report themselves
// skipped, saying why.
import { spawnSync } from 'node:child_process';
import { findElectronBinary } from './electron-binary.mjs';
import { ensureNativeModulesForNode } from './native-abi.mjs';

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit' }).status ?? 1;

let status;
if (!findElectronBinary().binary) {
  status = run('npx', ['playwright', 'test', '--project', 'electron']);
} else {
  console.log('Rebuilding native modules for Electron (electron-builder install-app-deps)…');
  status = run(process.execPath, ['node_modules/electron-builder/cli.js', 'install-app-deps']);
  if (status === 0) status = run('npx', ['playwright', 'test', '--project', 'electron']);
  ensureNativeModulesForNode();
}
process.exit(status);
