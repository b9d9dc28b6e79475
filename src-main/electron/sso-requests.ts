import type { Session } from 'electron';
import type { Logger } from '../core/base/log';
import type { KioskSetup } from '../core/kiosk';
import { DEMO_SSO_ISSUER, DEMO_SSO_ORIGIN, isIssuerRequest, providerBridge } from '../core/sso/issuer-bridge';
import type { OidcEndpoint } from '../core/sso/single-sign-on';
import { isBuiltInAppUrl, serveBuiltInApps } from './app-protocol';

/** The issuer the app partitions reach in memory, and how a request to it is answered. */
export interface PartitionIssuer {
  readonly issuer: string;
  answer(request: Request): Promise<Response>;
}

/** Where an https request from an app partition goes. */
export type HttpsRoute = 'built-in page' | 'issuer' | 'refused' | 'web';

/**
 * The issuer the shell serves in the app partitions: the demo's fixed one, or the
 * configured `sso.issuer`; none when a live kiosk names none.
 */
export function partitionIssuerOf(setup: KioskSetup): string | null {
  return setup.mode === 'demo' ? DEMO_SSO_ISSUER : (setup.config.sso?.issuer ?? null);
}

/**
 * The provider behind the issuer, made on the first request that needs it, so a kiosk
 * whose apps never sign in never makes a signing key.
 */
export function partitionIssuer(issuer: string, open: () => Promise<OidcEndpoint>): PartitionIssuer {
  let bridge: Promise<(request: Request) => Promise<Response>> | null = null;
  return {
    issuer,
    answer: async (request) => {
      if (!bridge) {
        bridge = open().then(providerBridge);
        // A provider that failed to start is tried again on the next request.
        bridge.catch(() => (bridge = null));
      }
      return (await bridge)(request);
    },
  };
}

/** Built-in pages and the issuer are answered here; the demo origin answers nothing else; the rest is the web. */
export function httpsRouteOf(url: string, issuer: string | null): HttpsRoute {
  if (isBuiltInAppUrl(url)) return 'built-in page';
  if (issuer && isIssuerRequest(url, issuer)) return 'issuer';
  return isIssuerRequest(url, DEMO_SSO_ORIGIN) ? 'refused' : 'web';
}

/**
 * An app partition answers https itself for the built-in pages and the issuer's origin
 * (single sign-on with no network), and hands every other request to Chromium's own
 * stack untouched (`bypassCustomProtocolHandlers`), in the partition's session, so its
 * cookies and certificates are the app's.
 */
export function answerHttpsInPartition(partition: Session, rendererDir: string, issuer: () => PartitionIssuer | null, log: Logger): void {
  const pages = serveBuiltInApps(rendererDir);
  partition.protocol.handle('https', async (request) => {
    const served = issuer();
    switch (httpsRouteOf(request.url, served?.issuer ?? null)) {
      case 'built-in page':
        return pages(request);
      case 'issuer':
        return served!.answer(request).catch((error: unknown) => {
          log.error('single sign-on could not answer an app', { error: error instanceof Error ? error.name : typeof error });
          return new Response('Single sign-on is not available.', { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
        });
      case 'refused':
        return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
      case 'web':
        return partition.fetch(request, { bypassCustomProtocolHandlers: true });
    }
  });
}
