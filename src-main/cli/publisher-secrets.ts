import { readFileSync, statSync } from 'node:fs';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import path from 'node:path';
import type { SecretStore } from '../core/secrets/secret-store';

/**
 * The publisher's secrets are files, not keychain entries: it runs as a service on an IT
 * server, where no one logs in to unlock a keychain (gnome-keyring needs a session;
 * Windows Credential Manager belongs to a loaded user profile). Files readable by the
 * service account alone are what systemd's `LoadCredential=` and Windows ACLs hand a
 * service, and what a vault agent (Azure Key Vault, HashiCorp Vault) writes.
 */

/** A secret file anyone but its owner may read is refused: the signing key can hand kiosks any users. */
function checkPrivate(file: string, what: string): void {
  if (process.platform === 'win32') return;
  const mode = statSync(file).mode & 0o077;
  if (mode !== 0) throw new Error(`${file} (${what}) may be read by other accounts (mode ${(statSync(file).mode & 0o777).toString(8)}); make it readable by the publisher's account only: chmod 600 ${file}`);
}

function readSecretFile(file: string, what: string): string {
  try {
    const text = readFileSync(file, 'utf8');
    checkPrivate(file, what);
    return text;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`the ${what} file ${file} does not exist.`);
    if (code === undefined) throw error;
    throw new Error(`the ${what} file ${file} cannot be read (${code}).`);
  }
}

/** The Ed25519 private key that signs the feeds, from a PEM file. */
export function readSigningKey(file: string): KeyObject {
  const text = readSecretFile(file, 'signing key');
  let key: KeyObject;
  try {
    key = createPrivateKey(text);
  } catch {
    throw new Error(`${file} is not a PEM private key; make one with: feed-tool keygen ${file}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file} is not an Ed25519 key; feeds are signed with Ed25519 (feed-tool keygen).`);
  return key;
}

/** Read-only secrets, one file each in `folder`: the file named `graph-client-secret` holds that secret. */
export class SecretFolder implements SecretStore {
  constructor(private readonly folder: string) {}

  get(name: string): Promise<string | null> {
    if (!/^[A-Za-z0-9._-]{1,200}$/.test(name) || name.startsWith('.')) return Promise.reject(new Error(`"${name}" is not a secret file name.`));
    const file = path.join(this.folder, name);
    try {
      statSync(file);
    } catch {
      return Promise.resolve(null);
    }
    // `echo` adds a newline; a secret never ends in one.
    return Promise.resolve(readSecretFile(file, `secret "${name}"`).replace(/\r?\n$/, ''));
  }

  set(): Promise<void> {
    return Promise.reject(new Error('The publisher never writes secrets: put the file in its secrets folder.'));
  }

  delete(): Promise<boolean> {
    return Promise.reject(new Error('The publisher never deletes secrets.'));
  }
}
