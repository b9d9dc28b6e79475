import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as Microsoft and Google Authenticator read it: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** RFC 6238 §5.2: accept one step either side, for clock drift and typing time. */
export const TOTP_WINDOW = 1;
/** RFC 4226 §4 R6: a shared secret of at least 128 bits; 160 recommended. */
export const TOTP_SECRET_BYTES = 20;

function totp(secret: Buffer, issuer = '', label = ''): TOTP {
  return new TOTP({ issuer, label, issuerInLabel: issuer !== '', secret: new Secret({ buffer: new Uint8Array(secret).buffer }), algorithm: 'SHA1', digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS });
}

/** The RFC 6238 time step at `epochMs`. */
export const totpStepAt = (epochMs: number) => Math.floor(epochMs / 1000 / TOTP_PERIOD_SECONDS);

/** The code for `epochMs` (what the worker's app shows then). */
export function totpCode(secret: Buffer, epochMs: number): string {
  return totp(secret).generate({ timestamp: epochMs });
}

/** The time step, within ±1 of now, whose code this is; null if none (otpauth compares in constant time). */
export function matchingStep(secret: Buffer, code: string, epochMs: number): number | null {
  const delta = totp(secret).validate({ token: code, timestamp: epochMs, window: TOTP_WINDOW });
  return delta === null ? null : totpStepAt(epochMs) + delta;
}

/** Key URI Format (Google Authenticator wiki): `otpauth://totp/<issuer>:<label>?secret=…&issuer=…`. */
export function otpauthUri(secret: Buffer, issuer: string, label: string): string {
  return totp(secret, issuer, label).toString();
}

/** RFC 4648 base32, in groups of four: what a worker types into the app by hand. */
export function setupKey(secret: Buffer): string {
  return new Secret({ buffer: new Uint8Array(secret).buffer }).base32.replace(/(.{4})(?=.)/g, '$1 ');
}
