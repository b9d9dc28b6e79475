import type { Clock } from '../base/clock';
import type { ProviderHealthRepository, ProviderRole } from '../store/provider-health-repository';
import { SmsSendError, type Delivery, type SmsMessage, type SmsSender, type VoiceMessage } from './sms-sender';

/**
 * Records each attempt of one configured provider (`sms` or `sms.fallback`) in its health
 * row: the admin screen and `--status` show when it last worked and how often it has failed since.
 */
export class HealthReportingSender implements SmsSender {
  readonly provider: string;
  readonly call?: (message: VoiceMessage) => Promise<void>;

  constructor(
    private readonly inner: SmsSender,
    private readonly role: ProviderRole,
    private readonly deps: { health: ProviderHealthRepository; clock: Clock },
  ) {
    this.provider = inner.provider;
    const call = inner.call?.bind(inner);
    if (call) this.call = (message) => this.reported(() => call(message));
  }

  send(message: SmsMessage): Promise<void> {
    return this.reported(() => this.inner.send(message));
  }

  private async reported(attempt: () => Promise<Delivery | void>): Promise<void> {
    const { health, clock } = this.deps;
    try {
      await attempt();
    } catch (error) {
      health.failed(this.role, this.provider, clock.now(), error instanceof SmsSendError ? error.reason : 'unexpected');
      throw error;
    }
    health.succeeded(this.role, this.provider, clock.now());
  }
}

/**
 * `sms.fallback`: when the primary refuses in a way that proves it sent nothing (its
 * documented error answer, a refused connection, a missing secret), the same message goes
 * through the second provider. After a timeout or a reset the primary may have sent it,
 * so nothing more is tried: the worker can resend or call, under the usual caps.
 */
export class FallbackSender implements SmsSender {
  readonly provider: string;
  readonly call?: (message: VoiceMessage) => Promise<Delivery>;

  constructor(
    private readonly primary: SmsSender,
    private readonly fallback: SmsSender,
  ) {
    this.provider = primary.provider;
    const primaryCall = primary.call?.bind(primary);
    const fallbackCall = fallback.call?.bind(fallback);
    // A call is offered when either can place it; the other is tried only if it can too.
    if (primaryCall || fallbackCall) {
      this.call = (message) =>
        primaryCall
          ? this.tryBoth(() => primaryCall(message), fallbackCall && (() => fallbackCall(message)))
          : this.viaFallback(() => fallbackCall!(message));
    }
  }

  send(message: SmsMessage): Promise<Delivery> {
    return this.tryBoth(
      () => this.primary.send(message),
      () => this.fallback.send(message),
    );
  }

  private async tryBoth(first: () => Promise<Delivery | void>, second: (() => Promise<Delivery | void>) | undefined): Promise<Delivery> {
    try {
      await first();
      return { provider: this.primary.provider };
    } catch (error) {
      if (!second || !(error instanceof SmsSendError) || !error.nothingSent) throw error;
      await second();
      return { provider: this.fallback.provider, failover: { from: this.primary.provider, reason: error.reason } };
    }
  }

  private async viaFallback(send: () => Promise<Delivery | void>): Promise<Delivery> {
    await send();
    return { provider: this.fallback.provider };
  }
}
