import type { DeviceStatus } from '../../../shared/contract';
import { ok } from '../../../shared/result';
import type { KioskSettings } from '../directory/directory-snapshot';
import type { CallHandlers } from './contract-dispatch';

export interface DeviceDeps {
  mode: DeviceStatus['mode'];
  deviceName: string;
  version: string;
  settings: () => KioskSettings;
  /** Leaves kiosk mode; absent where there is none (preview). */
  canExit: boolean;
  /** A live configuration in the browser preview host. */
  preview?: boolean;
}

/** `device.status`: what any screen may know about the kiosk before anyone signs in. */
export function deviceHandlers({ mode, deviceName, version, settings, canExit, preview }: DeviceDeps): Pick<CallHandlers, 'device.status'> {
  return {
    'device.status': () => {
      const { organizationName, defaultCountry, defaultLanguage, branding, walkAway, signInMethods, shiftPinHours } = settings();
      const capabilities = { exit: canExit };
      return ok({ mode, deviceName, version, organizationName, defaultCountry, defaultLanguage, branding, capabilities, walkAway, signInMethods, shiftPinHours, ...(preview && { preview }) });
    },
  };
}
