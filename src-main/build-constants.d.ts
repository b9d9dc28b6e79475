/** The app version from package.json, replaced at build time. */
declare const __KIOSK_VERSION__: string;
