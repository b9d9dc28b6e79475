/**
 * How the worker proved who they are (RFC 8176 §2): `sms` a texted code, `voice` a code read
 * out in a call, `pin` the shift PIN, `otp` an authenticator app's TOTP code. A session may
 * gather more than one (an authenticator code before a sensitive app adds `otp`).
 */
export const amrValues = ['sms', 'voice', 'pin', 'otp'] as const;
export type Amr = (typeof amrValues)[number];

/**
 * The worker the device session has signed in, as the apps they open may learn it: the one
 * identity the single sign-on provider asserts. Here, below both `session` and `sso`, so
 * each names it without importing the other.
 */
export interface SignedInWorker {
  sessionId: string;
  userId: string;
  displayName: string;
  groupIds: readonly string[];
  phoneNumber: string;
  /** Epoch ms. */
  startedAt: number;
  /** Epoch ms: the session's absolute limit (idle may end it sooner). */
  endsAt: number;
  /** How they proved who they are, in the order they did. */
  amr: readonly Amr[];
}
