import type * as KeytarModule from 'keytar';
import type { SecretStore } from './secret-store';

type Keytar = typeof KeytarModule;

export const KEYCHAIN_SERVICE = 'frontline-kiosk';

/**
 * Secrets in the OS keychain: Credential Manager, macOS Keychain, or the Secret Service
 * (gnome-keyring) on Linux. keytar is loaded on first use so demo mode never needs it.
 */
export class KeytarSecretStore implements SecretStore {
  private keytar: Keytar | undefined;

  constructor(private readonly service: string = KEYCHAIN_SERVICE) {}

  async get(name: string): Promise<string | null> {
    return (await this.load()).getPassword(this.service, name);
  }

  async set(name: string, value: string): Promise<void> {
    await (await this.load()).setPassword(this.service, name, value);
  }

  async delete(name: string): Promise<boolean> {
    return (await this.load()).deletePassword(this.service, name);
  }

  private async load(): Promise<Keytar> {
    if (!this.keytar) {
      const loaded = (await import('keytar')) as Keytar & { default?: Keytar };
      this.keytar = loaded.default ?? loaded;
    }
    return this.keytar;
  }
}
