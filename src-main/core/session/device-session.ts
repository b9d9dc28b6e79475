import type { SessionView } from '../../../shared/contract';
import { fail, ok, type Result } from '../../../shared/result';
import type { Clock } from '../clock';
import type { AuditLog } from '../idp/audit-log';
import type { PhoneSignIn } from '../idp/phone-sign-in';
import { randomId, type RandomSource } from '../random';
import type { DirectoryRepository } from '../store/directory-repository';
import type { SessionRepository, SignOutReason } from '../store/session-repository';

export interface DeviceSessionDeps {
  signIn: PhoneSignIn;
  sessions: SessionRepository;
  directory: DirectoryRepository;
  audit: AuditLog;
  clock: Clock;
  random: RandomSource;
  onChange: (view: SessionView) => void;
}

type State =
  | { state: 'ready' }
  | { state: 'challenge'; challengeId: string; maskedPhone: string; expiresAt: number; resendAt: number }
  | { state: 'active'; sessionId: string; userId: string; displayName: string; startedAt: number };

/**
 * The kiosk's one device session: `ready` (keypad) → `challenge` (code entry) → `active`
 * → back to `ready` on sign-out. Exactly one session at a time; a restart never resumes one.
 */
export class DeviceSession {
  private current: State = { state: 'ready' };
  /**
   * Bumped by every move the worker makes. A send that finishes after a newer start or a
   * cancel must not drag the screen back to its own, older challenge.
   */
  private generation = 0;

  constructor(private readonly deps: DeviceSessionDeps) {
    // A session still open at start-up belongs to a run that died: close it, never resume it.
    for (const open of deps.sessions.openSessions()) {
      deps.sessions.close(open.id, deps.clock.now(), 'crash');
      deps.audit.record({ type: 'session.signOut', outcome: 'info', reason: 'crash', userId: open.userId });
    }
  }

  view(): SessionView {
    const s = this.current;
    if (s.state === 'ready') return { state: 'ready' };
    if (s.state === 'challenge') {
      return { state: 'challenge', challengeId: s.challengeId, maskedPhone: s.maskedPhone, expiresAt: s.expiresAt, resendAt: s.resendAt };
    }
    return { state: 'active', user: { displayName: s.displayName }, startedAt: s.startedAt };
  }

  async startSignIn(phone: string): Promise<Result<SessionView>> {
    if (this.isActive()) return busy();
    const generation = ++this.generation;
    const started = await this.deps.signIn.start(phone);
    if (!started.ok) return started;
    // Another request may have signed someone in while the text was being sent.
    if (this.isActive()) return busy();
    if (generation !== this.generation) return ok(this.view());
    return ok(this.moveTo({ state: 'challenge', ...started.value }));
  }

  async resend(challengeId: string): Promise<Result<SessionView>> {
    if (!this.isCurrentChallenge(challengeId)) return challengeEnded();
    const resent = await this.deps.signIn.resend(challengeId);
    if (!resent.ok) return resent;
    // The worker may have moved on while the text was being sent.
    if (!this.isCurrentChallenge(challengeId)) return challengeEnded();
    return ok(this.moveTo({ state: 'challenge', ...resent.value }));
  }

  verify(challengeId: string, code: string): Result<SessionView> {
    if (!this.isCurrentChallenge(challengeId)) return challengeEnded();
    const verified = this.deps.signIn.verify(challengeId, code);
    if (!verified.ok) return verified;
    const { userId } = verified.value;
    const sessionId = randomId(this.deps.random);
    const startedAt = this.deps.clock.now();
    this.deps.sessions.open(sessionId, userId, startedAt);
    const displayName = this.deps.directory.displayNameOf(userId) ?? '';
    return ok(this.moveTo({ state: 'active', sessionId, userId, displayName, startedAt }));
  }

  cancel(): Result<SessionView> {
    this.generation += 1;
    if (this.current.state === 'challenge') this.moveTo({ state: 'ready' });
    return ok(this.view());
  }

  signOut(reason: SignOutReason): Result<SessionView> {
    const s = this.current;
    if (s.state !== 'active') return fail('session.notActive', 'Nobody is signed in.');
    this.deps.sessions.close(s.sessionId, this.deps.clock.now(), reason);
    this.deps.audit.record({ type: 'session.signOut', outcome: 'info', reason, userId: s.userId });
    return ok(this.moveTo({ state: 'ready' }));
  }

  private isCurrentChallenge(challengeId: string): boolean {
    return this.current.state === 'challenge' && this.current.challengeId === challengeId;
  }

  private isActive(): boolean {
    return this.current.state === 'active';
  }

  private moveTo(next: State): SessionView {
    this.current = next;
    const view = this.view();
    this.deps.onChange(view);
    return view;
  }
}

function challengeEnded(): Result<SessionView> {
  return fail('challenge.notFound', 'That sign-in has ended. Enter your number again.');
}

function busy(): Result<SessionView> {
  return fail('session.busy', 'Someone is already signed in on this kiosk. Sign out first.');
}
