import type { KioskDatabase } from './database';

export type ProviderRole = 'primary' | 'fallback';

export interface ProviderHealth {
  role: ProviderRole;
  provider: string;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  lastFailureReason: string | null;
  /** Failures since the last success: 0 while it is working. */
  failuresSinceSuccess: number;
}

interface HealthRow {
  role: ProviderRole;
  provider: string;
  last_success_at: number | null;
  last_failure_at: number | null;
  last_failure_reason: string | null;
  failures_since_success: number;
}

/** `sms_provider_health`: each configured provider's last success and recent failures. */
export class ProviderHealthRepository {
  private readonly upsertSuccess;
  private readonly upsertFailure;
  private readonly selectAll;

  constructor(db: KioskDatabase) {
    this.upsertSuccess = db.prepare<[string, string, number]>(
      `INSERT INTO sms_provider_health (role, provider, last_success_at) VALUES (?, ?, ?)
       ON CONFLICT (role, provider) DO UPDATE SET last_success_at = excluded.last_success_at, failures_since_success = 0`,
    );
    this.upsertFailure = db.prepare<[string, string, number, string]>(
      `INSERT INTO sms_provider_health (role, provider, last_failure_at, last_failure_reason, failures_since_success) VALUES (?, ?, ?, ?, 1)
       ON CONFLICT (role, provider) DO UPDATE SET last_failure_at = excluded.last_failure_at,
         last_failure_reason = excluded.last_failure_reason, failures_since_success = failures_since_success + 1`,
    );
    this.selectAll = db.prepare<[], HealthRow>(
      'SELECT role, provider, last_success_at, last_failure_at, last_failure_reason, failures_since_success FROM sms_provider_health ORDER BY role DESC, provider',
    );
  }

  succeeded(role: ProviderRole, provider: string, at: number): void {
    this.upsertSuccess.run(role, provider, at);
  }

  /** `reason`: the `SmsSendError` reason (`timeout`, `twilio-21211`…), never a body or a number. */
  failed(role: ProviderRole, provider: string, at: number, reason: string): void {
    this.upsertFailure.run(role, provider, at, reason);
  }

  all(): ProviderHealth[] {
    return this.selectAll.all().map((row) => ({
      role: row.role,
      provider: row.provider,
      lastSuccessAt: row.last_success_at,
      lastFailureAt: row.last_failure_at,
      lastFailureReason: row.last_failure_reason,
      failuresSinceSuccess: row.failures_since_success,
    }));
  }
}
