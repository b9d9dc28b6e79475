import { scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { fail, ok, type Result } from '../../../shared/result';
import type { Clock } from '../base/clock';
import type { RandomSource } from '../base/random';
import type { SecretStore } from '../secrets/secret-store';
import type { AuditLog } from './audit-log';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

export const ADMIN_PIN_HASH = 'admin-pin-hash';
const COST = { N: 2 ** 15, r: 8, p: 1 };
// scrypt needs 128·N·r bytes (32 MiB here); Node's default ceiling is exactly that, so raise it.
const MAX_MEMORY = 64 * 1024 * 1024;
const KEY_LENGTH = 32;
export const ADMIN_TRIES_BEFORE_LOCK = 5;
export const ADMIN_LOCK_MS = 5 * 60_000;

/** `scrypt$N$r$p$<salt>$<hash>`: the only form in which the admin PIN is kept (in the keychain). */
export async function hashAdminPin(pin: string, random: RandomSource): Promise<string> {
  const salt = random.bytes(16);
  const hash = await scryptAsync(pin, salt, KEY_LENGTH, { ...COST, maxmem: MAX_MEMORY });
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function adminPinMatches(pin: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(pin, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: MAX_MEMORY,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export const ADMIN_SCREEN_IDLE_MS = 5 * 60_000;

/**
 * The admin PIN in front of the admin screen. Five wrong PINs in a row lock it for five
 * minutes: a PIN is short, so guessing must be slow. Once open, the admin screen stays
 * open while used and closes itself after five idle minutes; nothing secret is handed to
 * the renderer — there is one screen, and main remembers that it is open.
 */
export class AdminGate {
  private failures = 0;
  private lockedUntil = 0;
  private openUntil = 0;

  constructor(
    /** The keychain entry holding the PIN's hash (configurable for a live kiosk). */
    private readonly pinSecret: string,
    private readonly secrets: SecretStore,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  async open(pin: string): Promise<Result<void>> {
    const checked = await this.check(pin, 'open');
    if (checked.ok) this.openUntil = this.clock.now() + ADMIN_SCREEN_IDLE_MS;
    return checked;
  }

  /**
   * Whether the admin screen is open; each use keeps it open a while longer. Actions that
   * change something are audited; looking (status, the audit log itself) is not.
   */
  use(action: string, changes: boolean): Result<void> {
    const now = this.clock.now();
    if (now >= this.openUntil) return fail('admin.closed', 'The admin screen has closed. Enter the admin PIN again.');
    this.openUntil = now + ADMIN_SCREEN_IDLE_MS;
    if (changes) this.audit.record({ type: 'admin.action', outcome: 'info', reason: action });
    return ok(undefined);
  }

  close(): void {
    this.openUntil = 0;
  }

  private async check(pin: string, action: string): Promise<Result<void>> {
    const now = this.clock.now();
    if (now < this.lockedUntil) {
      return fail('admin.locked', 'Too many wrong PINs. Wait a few minutes and try again.', { retryAt: this.lockedUntil });
    }
    const stored = await this.secrets.get(this.pinSecret);
    if (!stored) return fail('admin.notSet', 'No admin PIN is set on this kiosk. IT sets it with --set-admin-pin.');
    if (await adminPinMatches(pin, stored)) {
      this.failures = 0;
      this.audit.record({ type: 'admin.action', outcome: 'success', reason: action });
      return ok(undefined);
    }
    this.failures += 1;
    this.audit.record({ type: 'admin.action', outcome: 'failure', reason: `${action}:wrongPin` });
    if (this.failures >= ADMIN_TRIES_BEFORE_LOCK) {
      this.failures = 0;
      this.lockedUntil = now + ADMIN_LOCK_MS;
      return fail('admin.locked', 'Too many wrong PINs. Wait a few minutes and try again.', { retryAt: this.lockedUntil });
    }
    const left = ADMIN_TRIES_BEFORE_LOCK - this.failures;
    return fail('admin.wrongPin', `That PIN is not right. ${left} ${left === 1 ? 'try' : 'tries'} left.`, { attemptsLeft: left });
  }
}
