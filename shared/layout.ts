/**
 * Height in CSS pixels of the bar the kiosk keeps above an open app ("Home", "Sign out"):
 * the renderer draws it, the Electron shell places the app's view below it.
 */
export const APP_BAR_HEIGHT = 72;
