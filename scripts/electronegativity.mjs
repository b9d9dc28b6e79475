// Electronegativity (Doyensec's checker for Electron misconfigurations) over the shell and
// the screen it loads. Fails on any finding of high severity, on any other finding not
// explained below, and on any file it could not parse (its checks never ran there).
//
// It scans the TypeScript sources rather than dist/main: it parses .ts and .tsx itself, and
// in esbuild's bundle `new BrowserWindow(...)` becomes `new import_electron.BrowserWindow(...)`,
// which its checks do not recognise, so a bundle scan comes out falsely clean.
//
// It runs through its documented programmatic API, not the CLI: the CLI's CSV writer
// starts two writes without waiting for either (header, then rows), and the header can
// land over the first finding, which is then lost.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import electronegativity from '@doyensec/electronegativity';

/**
 * The findings that remain, each explained. Matched by check and file, not line, so an
 * edit elsewhere in the file keeps its explanation; a new finding of the same check in
 * the same file is covered too, so read a changed file's findings again when it moves.
 */
const explained = [
  {
    check: 'CSP_GLOBAL_CHECK',
    file: 'src-renderer/index.html',
    reason:
      "csp-evaluator warns that script-src 'self' is weak where the origin also serves JSONP, " +
      "Angular templates or user uploads. Here 'self' is app://kiosk, which serves only the built " +
      'renderer from dist/renderer (src-main/electron/app-protocol.ts), none of those. The same policy, ' +
      "plus frame-ancestors 'none', also comes as a header on every response (src-main/core/renderer-files.ts).",
  },
  {
    check: 'CSP_GLOBAL_CHECK',
    file: 'src-renderer/apps/safety-handbook.html',
    reason:
      "The same csp-evaluator warning as index.html, on a demo app page: script-src 'self' loads only the page's own " +
      'bundled relying-party script (openid-client, built by Vite with the renderer), served from the same ' +
      "built folder that serves nothing else, and connect-src 'self' reaches only the kiosk's own provider.",
  },
  {
    check: 'CSP_GLOBAL_CHECK',
    file: 'src-renderer/apps/shift-schedule.html',
    reason:
      "The same csp-evaluator warning as index.html, on a demo app page: script-src 'self' loads only the page's own " +
      'bundled relying-party script (openid-client, built by Vite with the renderer), served from the same ' +
      "built folder that serves nothing else, and connect-src 'self' reaches only the kiosk's own provider.",
  },
  {
    check: 'AUXCLICK_JS_CHECK',
    file: 'src-main/electron/kiosk-window.ts',
    reason:
      'A middle click on a link could ask for a new window; the kiosk window denies every new window ' +
      '(setWindowOpenHandler returns deny, test/electron/kiosk-window.test.ts) and the kiosk screen has no ' +
      "links to other pages. Disabling Chromium's Auxclick feature would add nothing.",
  },
  {
    check: 'PRELOAD_JS_CHECK',
    file: 'src-main/electron/kiosk-window.ts',
    reason:
      'A prompt to review the preload, which is src-main/electron/preload.ts: it exposes only the contract ' +
      "as domain verbs through contextBridge, never ipcRenderer (test/electron/preload.test.ts), and main's " +
      'handlers refuse any sender but the kiosk top frame (src-main/electron/ipc.ts). App views get no preload.',
  },
];

/**
 * One folder holding the shell and the screen, as the app is, and nothing else: the global
 * checks (CSP, navigation limits, permission handler) judge the app as a whole, and the
 * tests, scripts and builds around the sources would only mislead them.
 */
const scanned = ['src-main/electron', 'src-renderer'];

// Checked against the Electron the kiosk ships with, not a guess from package.json ranges.
const electronVersion = JSON.parse(readFileSync(new URL('../node_modules/electron/package.json', import.meta.url), 'utf8')).version;

const scanDir = mkdtempSync(path.join(tmpdir(), 'kiosk-electronegativity-'));
let result;
try {
  for (const folder of scanned) cpSync(folder, path.join(scanDir, folder), { recursive: true });
  // Offline it first fails to download updated translations, says so, and goes on in English.
  result = await electronegativity({
    input: scanDir,
    isRelative: true,
    electronVersionOverride: electronVersion,
    // This check downloads Electron's release list from GitHub, so it cannot run offline; the
    // version it would judge comes from package.json, which this scan does not include.
    excludeFromScan: ['availablesecurityfixesglobalcheck'],
  });
} finally {
  rmSync(scanDir, { recursive: true, force: true });
}

const explanationFor = (issue) => explained.find((entry) => entry.check === issue.id && entry.file === issue.file);
const verdict = (issue) => (issue.severity.name === 'HIGH' ? 'HIGH: fix it' : explanationFor(issue) ? 'explained' : 'NOT EXPLAINED');

const rows = result.issues.map((issue) => [
  issue.severity.name,
  issue.confidence.name,
  issue.id,
  issue.file === 'N/A' ? '(whole app)' : `${issue.file}:${issue.location.line}`,
  verdict(issue),
]);
const header = ['severity', 'confidence', 'check', 'where', 'verdict'];
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
const line = (cells) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();

console.log(`\nElectronegativity ${result.atomicChecks + result.globalChecks} checks over ${scanned.join(', ')} (Electron ${electronVersion}):`);
if (rows.length === 0) console.log('no findings');
else console.log([line(header), ...rows.map(line)].join('\n'));

const unexplained = result.issues.filter((issue) => verdict(issue) !== 'explained');
for (const issue of unexplained) {
  console.error(`\n✖ ${issue.id} (${issue.severity.name}) in ${issue.file}:${issue.location.line}: ${issue.description}`);
  if (issue.sample) console.error(`  ${issue.sample}`);
  console.error(`  https://github.com/doyensec/electronegativity/wiki/${issue.id}`);
}
const unparsed = result.errors.filter((error) => !error.tolerable);
for (const error of unparsed) console.error(`\n✖ could not parse ${error.file}: ${error.message}`);

const stale = explained.filter((entry) => !result.issues.some((issue) => explanationFor(issue) === entry));
for (const entry of stale) console.log(`note: ${entry.check} in ${entry.file} no longer appears; its explanation can go.`);

if (unexplained.length > 0 || unparsed.length > 0) {
  console.error('\nFix these, or explain them in scripts/electronegativity.mjs if they are not a risk here.');
  process.exit(1);
}
