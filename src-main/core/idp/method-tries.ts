/**
 * Wrong tries per number for the ways in that need no text (a shift PIN, an authenticator
 * code), kept among the lockouts so they are durable and counted alike for every number —
 * registered or not. Five, then the way is closed until the worker signs in by text.
 */
export const TRIES_PER_METHOD = 5;
export const shiftPinTries = (phoneKey: string) => `shiftPin:${phoneKey}`;
export const authenticatorTries = (phoneKey: string) => `authenticator:${phoneKey}`;
