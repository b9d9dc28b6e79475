// The newcomer's path, checked on a fresh clone of this repository's HEAD in a temporary
// folder with no node_modules:
//   1. `npm test -- --setup-only` must set the machine up from nothing: the system check,
//      `npm ci` (native modules compiled from source), native modules loading in Node.
//   2. `npm start` must find node_modules in sync (no second install), build, and, with no
//      Electron binary, say so in one line and serve the browser preview at the address it
//      prints; the check opens that address.
// npm's cache (~/.npm) is shared with this checkout, so the install downloads nothing that
// is already cached. Uncommitted changes are not in the clone: it checks what was committed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const git = (args, cwd = root) => spawnSync('git', args, { cwd, encoding: 'utf8' });

function fail(message) {
  console.error(`✖ ${message}`);
  process.exitCode = 1;
}

/** As a newcomer's shell has it: none of the outer `npm test`'s own settings or paths. */
function newcomerEnvironment() {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|KIOSK_)/i.test(name)));
  env.PATH = (env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => !dir.includes(`node_modules${path.sep}.bin`))
    .join(path.delimiter);
  // Never open a window: where Electron could be downloaded, npm start would launch it.
  env.ELECTRON_SKIP_BINARY_DOWNLOAD = '1';
  return env;
}

const minutes = (ms) => `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;

/** Runs npm in the clone, echoing its output; resolves on exit, or when `until` matches. */
function npm(args, { cwd, env, timeoutMs, until }) {
  console.log(`\n$ npm ${args.join(' ')}    (in ${cwd})`);
  const started = Date.now();
  const child = spawn('npm', args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ output, elapsed: Date.now() - started, child, ...result });
    };
    const echo = (stream) => (chunk) => {
      stream.write(chunk);
      output += chunk;
      const match = until && output.match(until);
      if (match) settle({ match });
    };
    child.stdout.on('data', echo(process.stdout));
    child.stderr.on('data', echo(process.stderr));
    const timer = setTimeout(() => settle({ timedOut: true }), timeoutMs);
    child.on('exit', (code) => settle({ code }));
  });
}

/** Stops npm and everything it started (it runs in its own process group). */
function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 10_000);
    child.on('exit', () => {
      clearTimeout(force);
      resolve();
    });
    process.kill(-child.pid, 'SIGTERM');
  });
}

async function check(clone) {
  const env = newcomerEnvironment();

  const setup = await npm(['test', '--', '--setup-only'], { cwd: clone, env, timeoutMs: 20 * 60_000 });
  if (setup.code !== 0) return fail(`npm test -- --setup-only on a fresh clone ${setup.timedOut ? 'took over 20 minutes' : `exited with ${setup.code}`}.`);
  if (!setup.output.includes('Installing the npm dependencies with npm ci, because node_modules is missing.')) {
    return fail('npm test -- --setup-only on a fresh clone did not say it installs the npm dependencies.');
  }
  if (!existsSync(path.join(clone, 'node_modules', '.package-lock.json'))) return fail('npm ci left no node_modules/.package-lock.json in the clone.');

  const start = await npm(['start'], { cwd: clone, env, timeoutMs: 5 * 60_000, until: /Kiosk preview: (http:\/\/127\.0\.0\.1:\d+\/)\S*/ });
  try {
    if (!start.match) return fail(`npm start on the fresh clone printed no preview address (${start.timedOut ? 'after 5 minutes' : `it exited with ${start.code}`}).`);
    if (start.output.includes('Installing the npm dependencies')) return fail('npm start installed again although npm test had just installed the same package-lock.json.');
    if (!/^Electron is not available here: .+\. This is the browser preview instead; open the address below\.$/m.test(start.output)) {
      return fail('npm start did not say, in one line, that Electron is not available and this is the browser preview.');
    }
    const page = await fetch(start.match[1]);
    const html = await page.text();
    if (page.status !== 200 || !html.includes('<div id="root">')) return fail(`The preview address npm start printed answered ${page.status} without the kiosk page.`);
  } finally {
    await stop(start.child);
  }
  console.log(
    `\n✔ A fresh clone set itself up: npm test -- --setup-only installed it in ${minutes(setup.elapsed)}; npm start built it and served the preview in ${minutes(start.elapsed)}.`,
  );
}

if (process.platform === 'win32') {
  // It stops npm start through its process group, which Windows does not have.
  console.log('Skipped on Windows: run npm test -- --setup-only and npm start in a fresh clone by hand.');
  process.exit(0);
}
if (git(['rev-parse', '--is-inside-work-tree']).status !== 0) {
  console.log('Skipped: this folder is not a git checkout, so there is nothing to clone.');
  process.exit(0);
}
const head = git(['rev-parse', 'HEAD']).stdout.trim();
if (git(['status', '--porcelain']).stdout.trim()) console.log(`Uncommitted changes are not in the clone: it checks the commit ${head.slice(0, 12)}.`);

const scratch = mkdtempSync(path.join(os.tmpdir(), 'kiosk-fresh-clone-'));
const clone = path.join(scratch, 'frontline-kiosk');
try {
  for (const args of [
    ['clone', '--quiet', '--no-checkout', root, clone],
    ['-C', clone, 'fetch', '--quiet', root, 'HEAD'],
    ['-C', clone, 'checkout', '--quiet', '--detach', 'FETCH_HEAD'],
  ]) {
    const run = git(args);
    if (run.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${run.stderr.trim()}`);
  }
  await check(clone);
} catch (error) {
  fail(error.message);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
