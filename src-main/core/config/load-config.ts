import { existsSync, readFileSync } from 'node:fs';
import { ConfigError, type ConfigLocation } from './config-location';
import { deviceConfigSchema, type DeviceConfig } from './device-config';

/** Environment variables that override the file, for fleet tools that set them per machine. */
export const ENV_OVERRIDES = {
  FRONTLINE_KIOSK_DEVICE_NAME: 'deviceName',
  FRONTLINE_KIOSK_LOG_LEVEL: 'logLevel',
} as const;

/**
 * Reads and checks the configuration. `null` means there is none at the default place:
 * offline demo mode. Anything wrong with a file that exists — or one named explicitly and
 * missing — is a `ConfigError` naming the file, the field and the fix; the kiosk never
 * falls back to demo mode over a broken configuration.
 */
export function loadDeviceConfig(location: ConfigLocation, env: NodeJS.ProcessEnv = process.env): DeviceConfig | null {
  if (!existsSync(location.path)) {
    if (!location.explicit) return null;
    throw new ConfigError(`No configuration at ${location.path}. Check the path given with --config or FRONTLINE_KIOSK_CONFIG.`);
  }
  let text: string;
  try {
    text = readFileSync(location.path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read ${location.path} (${(error as NodeJS.ErrnoException).code ?? 'error'}). Check that the kiosk's user may read it.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${location.path} is not valid JSON: ${(error as Error).message}. Fix the syntax (a JSON validator or the published schema helps).`);
  }
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    for (const [variable, field] of Object.entries(ENV_OVERRIDES)) {
      if (env[variable]) (json as Record<string, unknown>)[field] = env[variable];
    }
  }
  const parsed = deviceConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.join('.') : '(the whole file)';
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : '';
    // zod's wording for an absent field is about types; say what to do instead.
    const message = /received undefined$/.test(issue.message) ? 'is missing: add it' : issue.message;
    throw new ConfigError(`${location.path}: ${field}: ${message}${more}. See docs/config.schema.json and the README's "Configure" section.`);
  }
  return parsed.data;
}
