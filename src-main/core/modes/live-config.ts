import { systemClock } from '../base/clock';
import { cryptoRandom } from '../base/random';
import type { ConfigLocation } from '../config/config-location';
import type { DeviceConfig } from '../config/device-config';
import { loadDeviceConfig } from '../config/load-config';
import { MemorySecretStore } from '../secrets/memory-secret-store';
import { directorySourceFor, smsSenderFor } from './live-services';

/**
 * The configuration as the kiosk reads it at start, and as `--check-config` checks it: one
 * function for both, so a file the check calls OK is one the kiosk starts with. Beyond the
 * schema it builds the directory source and the SMS sender (no network, no secrets read),
 * which refuse what they cannot use: a key that is not one, a plain-http URL.
 */
export function loadKioskConfig(location: ConfigLocation, env: NodeJS.ProcessEnv = process.env): DeviceConfig | null {
  return loadDeviceConfig(location, env, startProblems);
}

function startProblems(config: DeviceConfig): string[] {
  const deps = { secrets: new MemorySecretStore(), clock: systemClock, random: cryptoRandom };
  const problems: string[] = [];
  const attempts: Array<[string, () => unknown]> = [
    ['directory', () => directorySourceFor(config, deps)],
    ['sms', () => smsSenderFor(config, deps)],
  ];
  for (const [field, build] of attempts) {
    try {
      build();
    } catch (error) {
      problems.push(`${field}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return problems;
}
