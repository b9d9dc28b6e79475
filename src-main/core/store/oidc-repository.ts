import type { KioskDatabase } from './database';

/** One stored oidc-provider model instance, as its adapter interface hands it over. */
export interface OidcRecord {
  payload: Record<string, unknown>;
  grantId?: string;
  uid?: string;
  userCode?: string;
  /** Epoch ms; null for a record that lives until the kiosk session ends. */
  expiresAt: number | null;
}

interface Row {
  payload: string;
  consumed_at: number | null;
}

/**
 * oidc-provider's storage (sessions, grants, codes, tokens, interactions) in the kiosk's
 * SQLite file. Expired records read as absent; `clear` ends them all at once, which is
 * how a kiosk sign-out revokes every grant and token it issued.
 */
export class OidcRepository {
  private readonly upsertRow;
  private readonly findRow;
  private readonly findByUidRow;
  private readonly findByUserCodeRow;
  private readonly consumeRow;
  private readonly destroyRow;
  private readonly destroyGrantRows;
  private readonly payloadsOf;
  private readonly clearRows;
  private readonly countRows;

  constructor(db: KioskDatabase) {
    this.upsertRow = db.prepare(
      `INSERT INTO oidc_records (model, id, payload, grant_id, uid, user_code, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id, uid = excluded.uid,
         user_code = excluded.user_code, expires_at = excluded.expires_at, consumed_at = NULL`,
    );
    const live = '(expires_at IS NULL OR expires_at > ?)';
    this.findRow = db.prepare<[string, string, number], Row>(`SELECT payload, consumed_at FROM oidc_records WHERE model = ? AND id = ? AND ${live}`);
    this.findByUidRow = db.prepare<[string, string, number], Row>(`SELECT payload, consumed_at FROM oidc_records WHERE model = ? AND uid = ? AND ${live}`);
    this.findByUserCodeRow = db.prepare<[string, string, number], Row>(
      `SELECT payload, consumed_at FROM oidc_records WHERE model = ? AND user_code = ? AND ${live}`,
    );
    this.consumeRow = db.prepare('UPDATE oidc_records SET consumed_at = ? WHERE model = ? AND id = ?');
    this.destroyRow = db.prepare('DELETE FROM oidc_records WHERE model = ? AND id = ?');
    this.destroyGrantRows = db.prepare('DELETE FROM oidc_records WHERE grant_id = ?');
    this.payloadsOf = db.prepare<[string], { payload: string }>('SELECT payload FROM oidc_records WHERE model = ?');
    this.clearRows = db.prepare('DELETE FROM oidc_records');
    this.countRows = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM oidc_records');
  }

  upsert(model: string, id: string, record: OidcRecord): void {
    this.upsertRow.run(model, id, JSON.stringify(record.payload), record.grantId ?? null, record.uid ?? null, record.userCode ?? null, record.expiresAt);
  }

  find(model: string, id: string, now: number): Record<string, unknown> | undefined {
    return payloadOf(this.findRow.get(model, id, now));
  }

  findByUid(model: string, uid: string, now: number): Record<string, unknown> | undefined {
    return payloadOf(this.findByUidRow.get(model, uid, now));
  }

  findByUserCode(model: string, userCode: string, now: number): Record<string, unknown> | undefined {
    return payloadOf(this.findByUserCodeRow.get(model, userCode, now));
  }

  /** Marks a single-use record (an authorization code) used; it stays readable as consumed. */
  consume(model: string, id: string, now: number): void {
    this.consumeRow.run(Math.floor(now / 1000), model, id);
  }

  destroy(model: string, id: string): void {
    this.destroyRow.run(model, id);
  }

  /** Everything issued under one grant, of every model. */
  revokeByGrantId(grantId: string): void {
    this.destroyGrantRows.run(grantId);
  }

  /** Every stored payload of one model, expired or not (sign-out reads the sessions it ends). */
  payloads(model: string): Record<string, unknown>[] {
    return this.payloadsOf.all(model).map((row) => JSON.parse(row.payload) as Record<string, unknown>);
  }

  /** Ends every session, grant, code and token the provider holds. */
  clear(): void {
    this.clearRows.run();
  }

  count(): number {
    return this.countRows.get()!.n;
  }
}

function payloadOf(row: Row | undefined): Record<string, unknown> | undefined {
  if (!row) return undefined;
  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  // The adapter contract: a used record comes back with `consumed` set (epoch seconds).
  return row.consumed_at === null ? payload : { ...payload, consumed: row.consumed_at };
}
