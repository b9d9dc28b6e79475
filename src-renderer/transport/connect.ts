import type { KioskBridge } from '../../shared/kiosk-bridge';
import { connectToPreviewHost } from './preview-client';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in the browser preview. */
    readonly kiosk?: KioskBridge;
  }
}

/** The Electron preload's bridge when there is one, else the preview host's. */
export function connectKiosk(): KioskBridge | null {
  if (window.kiosk) return window.kiosk;
  const token = window.location.hash.slice(1);
  return token ? connectToPreviewHost(token) : null;
}
