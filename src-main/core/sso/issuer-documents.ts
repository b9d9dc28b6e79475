import type { JWK } from 'jose';
import { KIOSK_ACR, KIOSK_ACR_OTP } from './authentication-context';
import { SSO_SIGNING_ALG } from './signing-key';
import { ssoScopes } from '../directory/directory-snapshot';

/** The provider's routes under the issuer: the kiosks answer them, the organisation hosts discovery and the JWKS. */
export const ssoRoutes = {
  authorization: '/auth',
  token: '/token',
  userinfo: '/me',
  revocation: '/token/revocation',
  jwks: '/jwks.json',
} as const;

export interface IssuerDocuments {
  /** For `<issuer>/.well-known/openid-configuration`. */
  openidConfiguration: Record<string, unknown>;
  /** For `<issuer>/jwks.json`: every kiosk's public key, and nothing private. */
  jwks: { keys: JWK[] };
}

/**
 * What the organisation hosts at the issuer URL, for the apps' servers that cannot reach a
 * kiosk: the same discovery the kiosks' provider serves (a test holds them equal), with a
 * JWKS of every kiosk's public key. A stolen kiosk is removed by republishing without its key.
 */
export function issuerDocuments(issuer: string, kioskKeys: readonly JWK[]): IssuerDocuments {
  const url = new URL(issuer);
  if (url.protocol !== 'https:' || url.search || url.hash) throw new Error('The issuer must be an https URL with no query or fragment, e.g. https://kiosk-sso.contoso.example');
  const base = issuer.replace(/\/$/, '');
  const keys = kioskKeys.map((key) => {
    if (key.kty !== 'RSA' || !key.n || !key.e || !key.kid) throw new Error(`Not a kiosk's public signing key (an RSA JWK with a kid): ${JSON.stringify(key.kid ?? key.kty ?? '?')}`);
    if ('d' in key || 'p' in key) throw new Error(`Key ${key.kid} holds a private part: publish only what frontline-kiosk --sso-key prints.`);
    return { kty: key.kty, n: key.n, e: key.e, kid: key.kid, alg: SSO_SIGNING_ALG, use: 'sig' };
  });
  if (new Set(keys.map((key) => key.kid)).size !== keys.length) throw new Error('The same kiosk key is listed twice.');
  return {
    openidConfiguration: {
      issuer: base,
      authorization_endpoint: `${base}${ssoRoutes.authorization}`,
      token_endpoint: `${base}${ssoRoutes.token}`,
      userinfo_endpoint: `${base}${ssoRoutes.userinfo}`,
      revocation_endpoint: `${base}${ssoRoutes.revocation}`,
      jwks_uri: `${base}${ssoRoutes.jwks}`,
      scopes_supported: [...ssoScopes],
      response_types_supported: ['code', 'id_token'],
      response_modes_supported: ['form_post', 'fragment', 'query'],
      grant_types_supported: ['authorization_code', 'implicit'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [SSO_SIGNING_ALG],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      claims_supported: ['sub', 'acr', 'amr', 'auth_time', 'sid', 'iss', 'name', 'phone_number', 'phone_number_verified', 'groups'],
      acr_values_supported: [KIOSK_ACR, KIOSK_ACR_OTP],
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
    },
    jwks: { keys },
  };
}
