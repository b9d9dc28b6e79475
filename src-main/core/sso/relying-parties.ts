import type { ClientMetadata } from 'oidc-provider';
import { builtInPagePath, type KioskApp } from '../directory/directory-snapshot';

/**
 * The provider's clients, from policy: every app with `oidc` is a relying party. All are
 * public (no client secret lives on a shared kiosk). `code` apps use authorization code +
 * PKCE; `id_token` apps take the ID token by form_post, so their servers never need to
 * reach the kiosk.
 *
 * @param pagesBase where the kiosk serves its built-in pages (the preview origin, or the
 *   Electron demo's app origin): a built-in page's redirect URI is the page itself.
 */
export function clientMetadataFor(app: KioskApp, pagesBase: string): ClientMetadata | undefined {
  const sso = app.oidc;
  if (!sso) return undefined;
  const page = app.page ? [new URL(builtInPagePath(app.page), `${pagesBase}/`).href] : [];
  const implicit = sso.responseType === 'id_token';
  return {
    client_id: sso.clientId,
    client_name: app.name,
    application_type: 'web',
    token_endpoint_auth_method: 'none',
    response_types: [implicit ? 'id_token' : 'code'],
    grant_types: [implicit ? 'implicit' : 'authorization_code'],
    redirect_uris: [...page, ...sso.redirectUris],
    post_logout_redirect_uris: [...page, ...sso.postLogoutRedirectUris],
    scope: [...new Set(['openid', ...sso.scopes])].join(' '),
    ...(sso.backchannelLogoutUri && { backchannel_logout_uri: sso.backchannelLogoutUri, backchannel_logout_session_required: true }),
  };
}
