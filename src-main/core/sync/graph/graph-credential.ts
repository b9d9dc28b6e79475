import { createPrivateKey } from 'node:crypto';
import {
  AuthError,
  ConfidentialClientApplication,
  LogLevel,
  type Configuration,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import type { SecretStore } from '../../secrets/secret-store';
import { SyncRefusedError } from '../directory-source';
import { sendOnce, type HttpLink } from './graph-client';

/** How the kiosk's app registration proves who it is: a client secret, or a certificate's private key. */
export type AppCredential = { clientSecret: string } | { certificate: { privateKeySecret: string; thumbprintSha256: string } };

export type AppRegistration = AppCredential & {
  tenantId: string;
  clientId: string;
  /** `login.microsoftonline.com`, or a national cloud's authority host. */
  authorityHost: string;
  /** OpenID configuration and instance discovery as JSON, so msal looks nothing up (tests, locked-down networks). */
  authorityMetadata?: string;
  cloudDiscoveryMetadata?: string;
};

/**
 * Reads the app's secret or private key from the keychain — before any network traffic,
 * so a missing entry is refused without a request — and returns a source of access tokens
 * for `scope` (client credentials flow, through msal). The keychain is read on every sync,
 * so a rotated secret is used at once; msal caches the token for the rest of the sync.
 */
export async function openAppCredential(registration: AppRegistration, secrets: SecretStore, link: Omit<HttpLink, 'service'>, scope: string): Promise<() => Promise<string>> {
  const entry = 'clientSecret' in registration ? registration.clientSecret : registration.certificate.privateKeySecret;
  const what = 'clientSecret' in registration ? 'the Microsoft Graph client secret' : "the Microsoft Graph certificate's private key";
  const value = await readSecret(secrets, entry, what);

  const network = new TokenEndpoint({ ...link, service: 'Microsoft Entra ID' });
  const host = registration.authorityHost;
  // The configured host is the only one asked: msal would otherwise send a national cloud's
  // sign-in to its own preferred alias of that host (login.chinacloudapi.cn to login.partner.microsoftonline.cn).
  const cloudDiscoveryMetadata =
    registration.cloudDiscoveryMetadata ??
    JSON.stringify({
      tenant_discovery_endpoint: `https://${host}/${registration.tenantId}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  const configuration: Configuration = {
    auth: {
      clientId: registration.clientId,
      authority: `https://${host}/${registration.tenantId}`,
      knownAuthorities: [host],
      ...(registration.authorityMetadata ? { authorityMetadata: registration.authorityMetadata } : {}),
      cloudDiscoveryMetadata,
      ...('clientSecret' in registration
        ? { clientSecret: value }
        : { clientCertificate: { thumbprintSha256: registration.certificate.thumbprintSha256, privateKey: checkPrivateKey(value, entry) } }),
    },
    // msal's own logging stays off: its verbose lines carry endpoints and request details.
    system: { networkClient: network, loggerOptions: { piiLoggingEnabled: false, logLevel: LogLevel.Error, loggerCallback: () => undefined } },
  };
  const app = new ConfidentialClientApplication(configuration);

  return async () => {
    network.failure = null;
    try {
      const result = await app.acquireTokenByClientCredential({ scopes: [scope] });
      if (result?.accessToken) return result.accessToken;
    } catch (error) {
      throw network.failure ?? tokenRefusal(error, what, entry);
    }
    throw new SyncRefusedError('graph-auth', 'Microsoft Entra ID answered the token request without an access token.');
  };
}

async function readSecret(secrets: SecretStore, entry: string, what: string): Promise<string> {
  let value: string | null;
  try {
    value = await secrets.get(entry);
  } catch {
    throw new SyncRefusedError('keychain-unavailable', `The keychain could not be read for entry "${entry}" (${what}).`);
  }
  if (!value) throw new SyncRefusedError('missing-secret', `The keychain has no entry "${entry}" (${what}). Add it, then sync again.`);
  return value;
}

function checkPrivateKey(pem: string, entry: string): string {
  try {
    createPrivateKey(pem);
    return pem;
  } catch {
    throw new SyncRefusedError('bad-secret', `The keychain entry "${entry}" does not hold a PEM private key.`);
  }
}

/** msal's error code and Entra's AADSTS number are safe to show; the description can echo request details. */
function tokenRefusal(error: unknown, what: string, entry: string): SyncRefusedError {
  const code = error instanceof AuthError ? error.errorCode : 'unknown_error';
  const aadsts = error instanceof AuthError ? /AADSTS\d{5,7}/.exec(error.errorMessage)?.[0] : undefined;
  const codes = [code, aadsts].filter(Boolean).join(', ');
  return new SyncRefusedError(
    'graph-auth',
    `Microsoft Entra ID did not issue a token to the kiosk app (${codes}). Check the tenant id, the client id and ${what} in keychain entry "${entry}".`,
  );
}

/**
 * msal's HTTP, through the kiosk's own transport: the same timeout and abort signal as the
 * Graph calls, no redirects, and an injectable `fetch` so tests see every request msal makes.
 * msal wraps what this throws, so the kiosk's own refusal is kept in `failure`.
 */
class TokenEndpoint implements INetworkModule {
  failure: SyncRefusedError | null = null;

  constructor(private readonly link: HttpLink) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private async send<T>(method: string, url: string, options: NetworkRequestOptions | undefined): Promise<NetworkResponse<T>> {
    const endpoint = `${method} ${new URL(url).pathname}`;
    try {
      const answer = await sendOnce(this.link, endpoint, url, { method, headers: options?.headers ?? {}, body: method === 'POST' ? (options?.body ?? '') : undefined });
      let body: T;
      try {
        body = JSON.parse(answer.text) as T;
      } catch {
        throw new SyncRefusedError('graph-auth', `Microsoft Entra ID answered ${endpoint} (HTTP ${answer.status}) with something other than JSON.`);
      }
      const headers: Record<string, string> = {};
      answer.headers.forEach((value, name) => (headers[name] = value));
      return { status: answer.status, headers, body };
    } catch (error) {
      this.failure = error instanceof SyncRefusedError ? error : new SyncRefusedError('graph-auth', `Microsoft Entra ID: ${endpoint} failed.`);
      throw this.failure;
    }
  }
}
