import type { Amr } from '../idp/signed-in-worker';

/**
 * How the worker proved who they are, as ID tokens say it: the session's own record (RFC 8176
 * §2). "sms" — a code texted to a registered number; "voice" — the same code read out in a
 * call; "pin" — the shift PIN; "otp" — an authenticator app's code (RFC 8176 ties "otp" to
 * code generators such as TOTP, which is why a texted code is "sms", not "otp").
 */
export const amrValuesSupported: readonly Amr[] = ['sms', 'voice', 'pin', 'otp'];

/**
 * acr (OpenID Connect Core §2): the level this kiosk's sign-in reaches. One factor on a
 * shared device: possession of a registered phone (a text or a call), or the shift PIN that
 * only such a sign-in can set, on this kiosk, for one shift — all the same level.
 */
export const KIOSK_ACR = 'urn:frontline-kiosk:acr:shared-device-sms';
/**
 * An authenticator app's code (RFC 6238) was given this session: possession of a device
 * holding a secret set up on this kiosk, with no SIM to swap and no text to intercept. A
 * distinct value, so an app may ask for it (`acr_values`) or compare it.
 */
export const KIOSK_ACR_OTP = 'urn:frontline-kiosk:acr:shared-device-otp';

/** The acr a session with these amr values reaches. */
export const acrFor = (amr: readonly Amr[]): string => (amr.includes('otp') ? KIOSK_ACR_OTP : KIOSK_ACR);
