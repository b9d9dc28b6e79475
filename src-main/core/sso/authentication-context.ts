/**
 * How the worker proved who they are, as ID tokens say it. Today the kiosk has one way in
 * (a texted code), so these are fixed; when more ways in land, the sign-in records the
 * method and these read it.
 *
 * amr (RFC 8176 §2): "sms" — "confirmation using SMS text message to the user at a
 * registered number". Not "otp": RFC 8176 ties "otp" to code generators (HOTP, TOTP),
 * and a texted code proves possession of the phone, which is what "sms" names.
 */
export const signInMethods = ['sms'] as const;

/**
 * acr (OpenID Connect Core §2): the level this kiosk's sign-in reaches — one factor,
 * possession of a registered phone, on a shared device. A URN the organisation's apps
 * can compare; a stronger level gets its own value when the kiosk offers one.
 */
export const KIOSK_ACR = 'urn:frontline-kiosk:acr:shared-device-sms';
