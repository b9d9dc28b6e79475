import os from 'node:os';
import path from 'node:path';

export const CONFIG_ENV = 'FRONTLINE_KIOSK_CONFIG';
export const PRODUCT_NAME = 'Frontline Kiosk';

/** Where IT puts the configuration on each OS (machine-wide, so every user of the kiosk sees it). */
export function defaultConfigPath(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') return path.win32.join(env.ProgramData ?? 'C:\\ProgramData', 'FrontlineKiosk', 'config.json');
  if (platform === 'darwin') return '/Library/Application Support/FrontlineKiosk/config.json';
  return '/etc/frontline-kiosk/config.json';
}

/**
 * The per-user folder Electron names `userData` for this app, computed the same way so the
 * command line (run with plain Node from the repo) finds the same database and logs.
 */
export function defaultUserDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  if (platform === 'win32') return path.win32.join(env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), PRODUCT_NAME);
}

/** The OS's place for this app's logs (what Electron's `app.getPath('logs')` gives). */
export function defaultLogDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Logs', PRODUCT_NAME);
  if (platform === 'win32') return path.win32.join(defaultUserDataDir(platform, env), 'logs');
  return path.join(defaultUserDataDir(platform, env), 'logs');
}

export interface ConfigLocation {
  path: string;
  /** Named with --config or the environment: then it must exist. */
  explicit: boolean;
}

/** `--config <path>`, else `FRONTLINE_KIOSK_CONFIG`, else the OS default. */
export function locateConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): ConfigLocation {
  const flag = argv.findIndex((arg) => arg === '--config' || arg.startsWith('--config='));
  if (flag >= 0) {
    const value = argv[flag]!.includes('=') ? argv[flag]!.slice('--config='.length) : argv[flag + 1];
    if (!value || value.startsWith('--')) throw new ConfigError('--config needs a path, e.g. --config /etc/frontline-kiosk/config.json');
    return { path: path.resolve(value), explicit: true };
  }
  if (env[CONFIG_ENV]) return { path: path.resolve(env[CONFIG_ENV]), explicit: true };
  return { path: defaultConfigPath(platform, env), explicit: false };
}

/** A configuration the kiosk will not start live mode with; the message names the field and the fix. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
