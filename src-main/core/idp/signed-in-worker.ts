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
}
