import type { SessionView, SignOutReason } from '../../../shared/contract';
import { fail, ok, type ErrorCode, type KioskError, type Result } from '../../../shared/result';
import type { Clock, Scheduler } from '../base/clock';
import type { AuditLog } from '../idp/audit-log';
import type { PhoneSignIn } from '../idp/phone-sign-in';
import type { ShiftPinSignIn } from '../idp/shift-pin';
import type { AuthenticatorSetup, AuthenticatorSignIn } from '../idp/authenticator';
import type { Logger } from '../base/log';
import { randomId, type RandomSource } from '../base/random';
import type { DirectoryRepository } from '../store/directory-repository';
import type { SessionRepository } from '../store/session-repository';
import type { KioskSettings, SessionTimeouts } from '../directory/directory-snapshot';
import { timeoutsFor } from './session-timeouts';
import type { Amr, SignedInWorker } from '../idp/signed-in-worker';

export type { SignedInWorker } from '../idp/signed-in-worker';

export interface DeviceSessionDeps {
  signIn: PhoneSignIn;
  shiftPin: ShiftPinSignIn;
  authenticator: AuthenticatorSignIn;
  sessions: SessionRepository;
  directory: DirectoryRepository;
  /** One transaction for a change and the audit event that records it. */
  transaction: <T>(work: () => T) => T;
  audit: AuditLog;
  clock: Clock;
  scheduler: Scheduler;
  random: RandomSource;
  settings: () => KioskSettings;
  /**
   * Wipes what the worker left behind (the shell's app partitions, the clipboard) and
   * resolves when done; the keypad is shown only after it.
   */
  wipe: (reason: SignOutReason) => Promise<void>;
  onChange: (view: SessionView) => void;
  log: Logger;
}

/** Refusals after which this code can do nothing more: the screen keeps showing them. */
const lastingRefusals: ReadonlySet<ErrorCode> = new Set(['code.expired', 'code.used', 'code.tooManyAttempts', 'signIn.locked']);

interface SignedIn {
  sessionId: string;
  userId: string;
  groupIds: string[];
  phoneNumber: string;
  displayName: string;
  startedAt: number;
  timeouts: SessionTimeouts;
  amr: Amr[];
}

/** Thrown inside a sign-in's transaction when someone else got in first: nothing is written. */
class SessionTaken extends Error {}


type State =
  | { state: 'ready'; signedOut?: SignOutReason; abandoned?: true }
  /** The session is closed and its traces are being wiped: nobody may start until it is done. */
  | { state: 'signingOut'; signedOut: SignOutReason }
  | { state: 'challenge'; challengeId: string; maskedPhone: string; expiresAt: number; resendAt: number; textsMayBeLate?: true; callAt?: number; textsOff?: true; refusal?: KioskError }
  | ({ state: 'active' } & SignedIn)
  | ({ state: 'warning'; signOutAt: number } & SignedIn);

/**
 * The kiosk's one device session: `ready` (keypad) → `challenge` (code entry) → `active`
 * → `warning` (idle countdown) → back to `ready`. Time comes from the injected clock and
 * scheduler: one timer, always set for the next thing that can happen. Exactly one
 * session at a time; a restart never resumes one.
 */
export class DeviceSession {
  private current: State = { state: 'ready' };
  /** Last touch, key or pointer: the idle timeout counts from here. */
  private lastActivityAt = 0;
  private cancelTimer: (() => void) | null = null;
  /**
   * Bumped by every move the worker makes. A send that finishes after a newer start or a
   * cancel must not drag the screen back to its own, older challenge.
   */
  private generation = 0;

  constructor(private readonly deps: DeviceSessionDeps) {
    // A session still open at start-up belongs to a run that died: close it, never resume it.
    deps.transaction(() => {
      for (const open of deps.sessions.openSessions()) {
        deps.sessions.close(open.id, deps.clock.now(), 'crash');
        deps.audit.record({ type: 'session.signOut', outcome: 'info', reason: 'crash', userId: open.userId });
      }
    });
  }

  view(): SessionView {
    const s = this.current;
    switch (s.state) {
      case 'signingOut':
        return { state: 'ready', signedOut: s.signedOut };
      case 'ready':
        return { state: 'ready', ...(s.signedOut && { signedOut: s.signedOut }), ...(s.abandoned && { abandoned: true }) };
      case 'challenge':
        return {
          state: 'challenge',
          challengeId: s.challengeId,
          maskedPhone: s.maskedPhone,
          expiresAt: s.expiresAt,
          resendAt: s.resendAt,
          ...(s.textsMayBeLate && { textsMayBeLate: true }),
          ...(s.callAt !== undefined && { callAt: s.callAt }),
          ...(s.textsOff && { textsOff: true }),
          ...(s.refusal && { refusal: s.refusal }),
        };
      case 'active':
        return { state: 'active', user: { displayName: s.displayName }, startedAt: s.startedAt, ...this.proofs(s) };
      case 'warning':
        return { state: 'warning', user: { displayName: s.displayName }, startedAt: s.startedAt, signOutAt: s.signOutAt, ...this.proofs(s) };
    }
  }

  /** `language`: the one on screen, for the text. */
  async startSignIn(phone: string, country?: string, language?: string): Promise<Result<SessionView>> {
    if (this.isSigningOut()) return signingOut();
    if (this.isSignedIn()) return busy();
    const generation = ++this.generation;
    this.touch();
    const started = await this.deps.signIn.start(phone, country, language);
    if (!started.ok) return started;
    // Another request may have signed someone in, or out, while the text was being sent.
    if (this.isSigningOut()) return signingOut();
    if (this.isSignedIn()) return busy();
    if (generation !== this.generation) return ok(this.view());
    return ok(this.moveTo({ state: 'challenge', ...started.value }));
  }

  async resend(challengeId: string): Promise<Result<SessionView>> {
    if (!this.isCurrentChallenge(challengeId)) return challengeEnded();
    this.touch();
    const resent = await this.deps.signIn.resend(challengeId);
    if (!resent.ok) return this.refused(challengeId, resent);
    // The worker may have moved on while the text was being sent.
    if (!this.isCurrentChallenge(challengeId)) return challengeEnded();
    return ok(this.moveTo({ state: 'challenge', ...resent.value }));
  }

  /** "Call me instead": the same code, read out by a call, in the language on screen. */
  async call(challengeId: string, language?: string): Promise<Result<SessionView>> {
    if (!this.isCurrentChallenge(challengeId)) return challengeEnded();
    this.touch();
    const called = await this.deps.signIn.call(challengeId, language);
    if (!called.ok) return this.refused(challengeId, called);
    if (!this.isCurrentChallenge(challengeId)) return challengeEnded();
    return ok(this.moveTo({ state: 'challenge', ...called.value }));
  }

  /** "Send a new code": a new challenge to the same number once this one's code is over. */
  async renew(challengeId: string, language?: string): Promise<Result<SessionView>> {
    if (this.isSigningOut()) return signingOut();
    if (!this.isCurrentChallenge(challengeId)) return challengeEnded();
    this.touch();
    const generation = ++this.generation;
    const renewed = await this.deps.signIn.renew(challengeId, language);
    if (!renewed.ok) return this.refused(challengeId, renewed);
    if (this.isSigningOut()) return signingOut();
    if (this.isSignedIn()) return busy();
    if (generation !== this.generation) return ok(this.view());
    return ok(this.moveTo({ state: 'challenge', ...renewed.value }));
  }

  /**
   * A refusal that ends what this code can do (expired, used up, dead, locked) stays on the
   * challenge, so a reloaded screen shows the same state and what to do next.
   */
  private refused(challengeId: string, refusal: { ok: false; error: KioskError }): Result<SessionView> {
    const s = this.current;
    if (s.state === 'challenge' && s.challengeId === challengeId && lastingRefusals.has(refusal.error.code)) this.moveTo({ ...s, refusal: refusal.error });
    return refusal;
  }

  verify(challengeId: string, code: string): Result<SessionView> {
    if (this.isSigningOut()) return signingOut();
    if (!this.isCurrentChallenge(challengeId)) return challengeEnded();
    this.touch();
    // The session row opens in the same transaction that uses the code and audits the
    // success: if opening fails, the code is not used and no success is recorded.
    const verified = this.deps.signIn.verify(challengeId, code, ({ userId, phoneNumber, amr }) => this.openSession(userId, phoneNumber, amr));
    if (!verified.ok) return this.refused(challengeId, verified);
    this.generation += 1;
    return ok(this.moveTo({ state: 'active', ...verified.value }));
  }

  /** Number + shift PIN, no text. */
  async signInWithShiftPin(phone: string, country: string | undefined, pin: string): Promise<Result<SessionView>> {
    if (this.isSigningOut()) return signingOut();
    if (this.isSignedIn()) return busy();
    this.touch();
    try {
      const signedIn = await this.deps.shiftPin.signIn(phone, country, pin, ({ userId, phoneNumber }) => this.openSessionIfFree(userId, phoneNumber, ['pin']));
      return this.signedInBy(signedIn);
    } catch (error) {
      if (error instanceof SessionTaken) return this.isSigningOut() ? signingOut() : busy();
      throw error;
    }
  }

  /** Number + a code from the worker's authenticator app, no text. */
  signInWithAuthenticator(phone: string, country: string | undefined, code: string): Result<SessionView> {
    if (this.isSigningOut()) return signingOut();
    if (this.isSignedIn()) return busy();
    this.touch();
    return this.signedInBy(this.deps.authenticator.signIn(phone, country, code, ({ userId, phoneNumber }) => this.openSession(userId, phoneNumber, ['otp'])));
  }

  /** "Set a shift PIN": only for a worker who signed in by text or call this session. */
  async setShiftPin(pin: string): Promise<Result<SessionView>> {
    const s = this.signedInByPhone();
    if (!s.ok) return s;
    const set = await this.deps.shiftPin.set(s.value, pin);
    if (!set.ok) return set;
    return this.refreshed(s.value.sessionId);
  }

  /** "Set up authenticator app": a new secret, as a QR code and a setup key. */
  async beginAuthenticator(): Promise<Result<AuthenticatorSetup>> {
    const s = this.signedInByPhone();
    if (!s.ok) return s;
    return this.deps.authenticator.begin(s.value);
  }

  /** The first code from the app confirms the set-up. */
  confirmAuthenticator(code: string): Result<SessionView> {
    const s = this.signedInByPhone();
    if (!s.ok) return s;
    const confirmed = this.deps.authenticator.confirm(s.value)(code);
    if (!confirmed.ok) return confirmed;
    return this.refreshed(s.value.sessionId);
  }

  /** A current authenticator code during the session (before a sensitive app): adds `otp`. */
  stepUp(code: string): Result<SessionView> {
    const s = this.current;
    if (s.state !== 'active' && s.state !== 'warning') return notSignedIn();
    this.touch();
    if (!this.deps.authenticator.isEnrolled(s.userId)) return notSetUp();
    const proved = this.deps.authenticator.stepUp(s, code);
    if (!proved.ok) return proved;
    if (!s.amr.includes('otp')) {
      s.amr = [...s.amr, 'otp'];
      this.deps.sessions.setAmr(s.sessionId, s.amr);
    }
    return ok(this.moveTo({ ...s }));
  }

  /** Whether the signed-in worker may open an app that requires an authenticator code. */
  mayOpen(requires: 'any' | 'authenticator'): Result<void> {
    const s = this.current;
    if (s.state !== 'active' && s.state !== 'warning') return notSignedIn();
    if (requires === 'any' || s.amr.includes('otp')) return ok(undefined);
    if (!this.deps.authenticator.isEnrolled(s.userId)) return notSetUp();
    return fail('app.needsAuthenticator', 'This app needs a code from your authenticator app first.');
  }

  cancel(): Result<SessionView> {
    this.generation += 1;
    if (this.current.state === 'challenge') this.moveTo({ state: 'ready' });
    return ok(this.view());
  }

  /**
   * A touch, key or pointer event — from the renderer or seen by the shell itself. Pushes
   * idle back; during the warning it counts only where policy lets any touch dismiss it.
   */
  activity(): Result<SessionView> {
    const s = this.current;
    if (s.state === 'warning') {
      if (this.deps.settings().anyTouchDismissesWarning) return this.stillHere();
      return ok(this.view());
    }
    if (s.state === 'challenge' || s.state === 'active') {
      this.touch();
      this.schedule();
    }
    return ok(this.view());
  }

  /** "I'm still here": ends the warning and restarts the idle timeout. */
  stillHere(): Result<SessionView> {
    const s = this.current;
    if (s.state !== 'warning') return s.state === 'active' ? this.activity() : notSignedIn();
    this.touch();
    const { signOutAt: _ended, ...signedIn } = s;
    return ok(this.moveTo({ ...signedIn, state: 'active' }));
  }

  /** Ends the signed-in session; the keypad shows once the worker's traces are wiped. */
  async signOut(reason: SignOutReason): Promise<Result<SessionView>> {
    const s = this.current;
    if (s.state !== 'active' && s.state !== 'warning') return notSignedIn();
    this.deps.transaction(() => {
      this.deps.sessions.close(s.sessionId, this.deps.clock.now(), reason);
      this.deps.audit.record({ type: 'session.signOut', outcome: 'info', reason, userId: s.userId });
    });
    this.generation += 1;
    this.current = { state: 'signingOut', signedOut: reason };
    this.clearTimer();
    try {
      await this.deps.wipe(reason);
    } catch (error) {
      this.deps.log.error('wiping the session failed', { reason, error: error instanceof Error ? error.message : String(error) });
    }
    // Nobody could start in the meantime: starts and codes answer "signing out" until here.
    return ok(this.moveTo({ state: 'ready', signedOut: reason }));
  }

  /**
   * Ends whatever is on screen for a reason the kiosk decided (crash, suspend, admin): the
   * signed-in session, signed out and wiped, and any code entry in progress.
   */
  async end(reason: SignOutReason): Promise<void> {
    await this.signOut(reason);
    this.cancel();
  }

  /**
   * The directory changed (a sync): a worker who may no longer sign in — account
   * disabled, phone removed or not ready, policy off — is signed out at once.
   */
  async directoryChanged(): Promise<void> {
    this.deps.shiftPin.endInvalid((phoneNumber, userId) => this.deps.signIn.mayStillSignIn(phoneNumber, userId));
    const s = this.current;
    if (s.state !== 'active' && s.state !== 'warning') return;
    if (!this.deps.signIn.mayStillSignIn(s.phoneNumber, s.userId)) await this.signOut('revoked');
  }

  /** Who is signed in, for what they may open and who apps are told they are; null on the keypad or code screen. */
  signedIn(): SignedInWorker | null {
    const s = this.current;
    if (s.state !== 'active' && s.state !== 'warning') return null;
    const { sessionId, userId, displayName, groupIds, phoneNumber, startedAt, amr } = s;
    return { sessionId, userId, displayName, groupIds, phoneNumber, startedAt, endsAt: startedAt + s.timeouts.maxSessionSeconds * 1000, amr: [...amr] };
  }

  /** Stops the timer: the kiosk is shutting down. */
  dispose(): void {
    this.clearTimer();
  }

  /** Opens the session row (inside the sign-in's transaction) and returns what the state keeps. */
  private openSession(userId: string, phoneNumber: string, amr: readonly Amr[]): SignedIn {
    const holder = this.deps.directory.holdersOf(phoneNumber).find((h) => h.userId === userId);
    const sessionId = randomId(this.deps.random);
    const startedAt = this.deps.clock.now();
    this.deps.sessions.open(sessionId, userId, startedAt, amr);
    return {
      sessionId,
      userId,
      groupIds: holder?.groupIds ?? [],
      phoneNumber,
      displayName: holder?.displayName ?? '',
      startedAt,
      timeouts: timeoutsFor(holder?.groupIds ?? [], this.deps.settings()),
      amr: [...amr],
    };
  }

  /** For a sign-in that awaited: someone may have signed in or out meanwhile. */
  private openSessionIfFree(userId: string, phoneNumber: string, amr: readonly Amr[]): SignedIn {
    if (this.isSignedIn() || this.isSigningOut()) throw new SessionTaken();
    return this.openSession(userId, phoneNumber, amr);
  }

  private signedInBy(signedIn: Result<SignedIn>): Result<SessionView> {
    if (!signedIn.ok) return signedIn;
    this.generation += 1;
    return ok(this.moveTo({ state: 'active', ...signedIn.value }));
  }

  /** The signed-in worker, if they proved who they are by text or call this session. */
  private signedInByPhone(): Result<SignedIn & { state: 'active' | 'warning' }> {
    const s = this.current;
    if (s.state !== 'active' && s.state !== 'warning') return notSignedIn();
    this.touch();
    if (!s.amr.includes('sms') && !s.amr.includes('voice')) return fail('forbidden', 'Sign in with a text first to set this up.');
    return ok(s);
  }

  /** The same session, its view made again (what it may set up has changed). */
  private refreshed(sessionId: string): Result<SessionView> {
    const s = this.current;
    if ((s.state !== 'active' && s.state !== 'warning') || s.sessionId !== sessionId) return notSignedIn();
    return ok(this.moveTo({ ...s }));
  }

  /** How this session proved who the worker is, and what more they may set up on it. */
  private proofs(s: SignedIn): { amr: Amr[]; setUp: Array<'shiftPin' | 'authenticator'>; shiftPinUntil?: number; authenticator: boolean } {
    const byPhone = s.amr.includes('sms') || s.amr.includes('voice');
    const { shiftPin, authenticator } = this.deps;
    const setUp: Array<'shiftPin' | 'authenticator'> = [];
    if (byPhone && shiftPin.offered()) setUp.push('shiftPin');
    if (byPhone && authenticator.offered()) setUp.push('authenticator');
    const until = shiftPin.activeUntil(s.userId);
    return { amr: [...s.amr], setUp, ...(until !== null && { shiftPinUntil: until }), authenticator: authenticator.isEnrolled(s.userId) };
  }

  private touch(): void {
    this.lastActivityAt = this.deps.clock.now();
  }

  private moveTo(next: State): SessionView {
    this.current = next;
    this.schedule();
    const view = this.view();
    this.deps.onChange(view);
    return view;
  }

  /** Sets the one timer for whatever comes next in this state. */
  private schedule(): void {
    this.clearTimer();
    const s = this.current;
    const now = this.deps.clock.now();
    let at: number;
    let then: () => void;
    if (s.state === 'challenge') {
      // An abandoned code entry goes back to the keypad, taking the typed number with it.
      at = this.lastActivityAt + this.deps.settings().session.idleTimeoutSeconds * 1000;
      then = () => this.abandonChallenge();
    } else if (s.state === 'active' || s.state === 'warning') {
      const endsAt = s.startedAt + s.timeouts.maxSessionSeconds * 1000;
      const idleAt = s.state === 'warning' ? s.signOutAt : this.lastActivityAt + s.timeouts.idleTimeoutSeconds * 1000;
      if (endsAt <= idleAt) {
        at = endsAt;
        then = () => void this.signOut('maxDuration');
      } else {
        at = idleAt;
        then = s.state === 'warning' ? () => void this.signOut('idle') : () => this.warn();
      }
    } else {
      return;
    }
    this.cancelTimer = this.deps.scheduler.after(Math.max(0, at - now), then);
  }

  private warn(): void {
    const s = this.current;
    if (s.state !== 'active') return;
    this.moveTo({ ...s, state: 'warning', signOutAt: this.deps.clock.now() + s.timeouts.warningSeconds * 1000 });
  }

  private abandonChallenge(): void {
    if (this.current.state !== 'challenge') return;
    this.generation += 1;
    this.deps.audit.record({ type: 'signIn.abandoned', outcome: 'info' });
    this.moveTo({ state: 'ready', abandoned: true });
  }

  private clearTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private isCurrentChallenge(challengeId: string): boolean {
    return this.current.state === 'challenge' && this.current.challengeId === challengeId;
  }

  private isSigningOut(): boolean {
    return this.current.state === 'signingOut';
  }

  private isSignedIn(): boolean {
    return this.current.state === 'active' || this.current.state === 'warning';
  }
}

function challengeEnded(): Result<SessionView> {
  return fail('challenge.notFound', 'That sign-in has ended. Enter your number again.');
}

function busy(): Result<SessionView> {
  return fail('session.busy', 'Someone is already signed in on this kiosk. Sign out first.');
}

function signingOut(): Result<SessionView> {
  return fail('session.busy', 'Signing out. Try again in a moment.');
}

function notSetUp(): { ok: false; error: KioskError } {
  return fail('app.authenticatorNotSetUp', 'This app needs a code from an authenticator app, which is not set up for you on this kiosk. Sign in with a text, then tap "Set up authenticator app".');
}

function notSignedIn(): { ok: false; error: KioskError } {
  return fail('session.notActive', 'Nobody is signed in.');
}
