// Whether `npm start` should fetch a missing Electron binary. Electron 45 has no install
// script: `npm ci` never downloads the binary, the first launch does. This decides up front,
// in a few seconds at most, instead of letting a download hang or print a stack trace.
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const officialMirror = 'https://github.com/electron/electron/releases/download/';

/**
 * The address @electron/get downloads from (ELECTRON_MIRROR, or npm's electron_mirror).
 *
 * @param {{ version: string, platform: string, arch: string, env: NodeJS.ProcessEnv }} target
 */
export function electronDownloadUrl({ version, platform, arch, env }) {
  const mirror = env.npm_config_electron_mirror || env.ELECTRON_MIRROR || officialMirror;
  return `${mirror}v${version}/electron-v${version}-${platform}-${arch}.zip`;
}

/**
 * @param {{ env: NodeJS.ProcessEnv, cached: boolean, reachable?: { ok: true } | { ok: false, reason: string } }} facts
 *   reachable: the download address answered; left out until it is needed
 * @returns {{ download: true } | { download: false, reason: string } | { probe: true }}
 */
export function electronDownloadDecision({ env, cached, reachable }) {
  const skip = env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  if (skip && skip !== '0' && skip !== 'false') return { download: false, reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set' };
  // A cached binary needs no network; a proxy would carry the download but not Node's fetch.
  if (cached || env.ELECTRON_GET_USE_PROXY) return { download: true };
  if (!reachable) return { probe: true };
  return reachable.ok ? { download: true } : { download: false, reason: `cannot be downloaded (${reachable.reason})` };
}

/** @electron/get's cache folder: one sub-folder per download address. */
function cacheRoot(env) {
  if (env.electron_config_cache) return env.electron_config_cache;
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'electron');
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA ?? os.homedir(), 'electron', 'Cache');
  return path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'electron');
}

function isCached(fileName, env) {
  const root = cacheRoot(env);
  try {
    return readdirSync(root).some((folder) => existsSync(path.join(root, folder, fileName)));
  } catch {
    return false;
  }
}

async function probe(url, timeoutMs) {
  const host = new URL(url).host;
  try {
    const answer = await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    return answer.status < 400 ? { ok: true } : { ok: false, reason: `${host} answered ${answer.status} for ${path.posix.basename(url)}` };
  } catch (error) {
    const cause = error.name === 'TimeoutError' ? `no answer in ${timeoutMs / 1000} s` : (error.cause?.code ?? error.message);
    return { ok: false, reason: `${host} cannot be reached: ${cause}` };
  }
}

/**
 * @param {{ version: string, env?: NodeJS.ProcessEnv, timeoutMs?: number }} options
 * @returns {Promise<{ download: true } | { download: false, reason: string }>}
 */
export async function decideElectronDownload({ version, env = process.env, timeoutMs = 4000 }) {
  const url = electronDownloadUrl({ version, platform: process.platform, arch: process.arch, env });
  const facts = { env, cached: isCached(path.posix.basename(url), env) };
  const decision = electronDownloadDecision(facts);
  return 'probe' in decision ? electronDownloadDecision({ ...facts, reachable: await probe(url, timeoutMs) }) : decision;
}
