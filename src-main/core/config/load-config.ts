import { existsSync, readFileSync } from 'node:fs';
import { ConfigError, type ConfigLocation } from './config-location';
import { deviceConfigSchema, type DeviceConfig } from './device-config';
import { jsonErrorOffset } from './json-error-position';

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
export function loadDeviceConfig(
  location: ConfigLocation,
  env: NodeJS.ProcessEnv = process.env,
  /** What else the kiosk would refuse at start (a key that is not one, a plain-http URL): each problem in words. */
  startChecks: (config: DeviceConfig) => string[] = () => [],
): DeviceConfig | null {
  if (!existsSync(location.path)) {
    if (!location.explicit) return null;
    throw new ConfigError(`No configuration at ${location.path}. Check the path given with --config or FRONTLINE_KIOSK_CONFIG.`);
  }
  let text: string;
  try {
    // Windows editors save UTF-8 with a byte-order mark; it is not part of the JSON.
    text = readFileSync(location.path, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    throw new ConfigError(`Cannot read ${location.path} (${(error as NodeJS.ErrnoException).code ?? 'error'}). Check that the kiosk's user may read it.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${location.path} is not valid JSON${whereInText(text, (error as Error).message)}. Fix the syntax (a JSON validator or the published schema helps).`);
  }
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    for (const [variable, field] of Object.entries(ENV_OVERRIDES)) {
      if (env[variable]) (json as Record<string, unknown>)[field] = env[variable];
    }
  }
  const parsed = deviceConfigSchema.safeParse(json);
  const problems = parsed.success
    ? startChecks(parsed.data)
    : parsed.error.issues.map((issue) => {
        const field = issue.path.length > 0 ? issue.path.join('.') : '(the whole file)';
        // zod's wording for an absent field is about types; say what to do instead.
        return `${field}: ${/received undefined$/.test(issue.message) ? 'is missing: add it' : issue.message}`;
      });
  if (problems.length > 0) {
    const see = `See docs/config.schema.json and the README's "Configure" section.`;
    throw new ConfigError(
      problems.length === 1
        ? `${location.path}: ${problems[0]!.replace(/\.$/, '')}. ${see}`
        : `${location.path} has ${problems.length} problems:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n${see}`,
    );
  }
  return parsed.success ? parsed.data : null;
}

/** Where the JSON breaks, as the line and column an editor shows, and what it found there. */
function whereInText(text: string, parseMessage: string): string {
  const offset = jsonErrorOffset(text);
  if (offset === null) return `: ${parseMessage}`;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  const found = offset < text.length ? `unexpected ${JSON.stringify(text[offset])}` : 'the file ends too early';
  return ` at line ${line}, column ${column}: ${found}`;
}
