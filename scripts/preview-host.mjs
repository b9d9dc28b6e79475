// Runs the built browser preview host in the foreground; it prints one line, the address
// to open. Used by `npm run preview`, and by `npm start` where Electron is not available.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureNativeModulesForNode } from './native-abi.mjs';

/**
 * @param {string} root the project folder, with dist/ built
 * @param {string[]} args the preview host's own options (--port, --data-dir)
 */
export function runPreviewHost(root, args) {
  // The host runs in Node; a previous `npm start` may have built the native modules for Electron.
  ensureNativeModulesForNode();
  const host = spawn(process.execPath, [path.join(root, 'dist', 'main', 'preview.js'), ...args], { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => host.kill(signal));
  host.on('exit', (code) => process.exit(code ?? 0));
}
