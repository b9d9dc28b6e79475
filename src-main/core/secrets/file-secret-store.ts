import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SecretStore } from './secret-store';

/**
 * Demo mode only: the demo's keys in one file in its data folder, readable by its owner
 * alone (0600), so a demo never touches the OS keychain yet keeps its keys — and with them
 * every cap and lock keyed by a number — across restarts. Not the SQLite file: the
 * database never holds key bytes, in the demo or live. Written whole and renamed into
 * place, so a crash leaves the old file or the new one.
 */
export class FileSecretStore implements SecretStore {
  constructor(private readonly file: string) {}

  get(name: string): Promise<string | null> {
    return Promise.resolve(this.read()[name] ?? null);
  }

  set(name: string, value: string): Promise<void> {
    this.write({ ...this.read(), [name]: value });
    return Promise.resolve();
  }

  delete(name: string): Promise<boolean> {
    const values = this.read();
    if (!(name in values)) return Promise.resolve(false);
    delete values[name];
    this.write(values);
    return Promise.resolve(true);
  }

  private read(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    const parsed: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  }

  private write(values: Record<string, string>): void {
    const next = `${this.file}.${process.pid}.tmp`;
    writeFileSync(next, JSON.stringify(values), { mode: 0o600 });
    chmodSync(next, 0o600);
    renameSync(next, this.file);
  }
}
