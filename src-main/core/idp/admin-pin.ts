import { scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { fail, ok, type Result } from '../../../shared/result';
import type { Clock } from '../base/clock';
import type { RandomSource } from '../base/random';
import type { SecretStore } from '../secrets/secret-store';
import type { LockoutRepository } from '../store/lockout-repository';
import type { AuditLog } from './audit-log';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

export const ADMIN_PIN_HASH = 'admin-pin-hash';
// OWASP Password Storage Cheat Sheet: scrypt N=2^17, r=8, p=1. Hashes made with other
// parameters (the demo's, older kiosks') still verify: the hash string carries them.
export const ADMIN_PIN_COST = { N: 2 ** 17, r: 8, p: 1 };
// scrypt needs 128·N·r bytes (128 MiB here), above Node's default ceiling, so raise it.
const MAX_MEMORY = 256 * 1024 * 1024;
const KEY_LENGTH = 32;
/** A live kiosk's PIN: the demo's documented 2468 is the only shorter one. */
export const LIVE_ADMIN_PIN_DIGITS = 6;
export const ADMIN_TRIES_BEFORE_LOCK = 5;
export const ADMIN_FIRST_LOCK_MS = 5 * 60_000;
const ADMIN_LONGEST_LOCK_MS = 24 * 60 * 60_000;
/** The admin PIN's row among the lockouts. */
const ADMIN_PIN_SUBJECT = 'admin:pin';

/**
 * How long the admin screen locks after this many wrong PINs in a row: every fifth locks,
 * for 5 minutes, then 10, 20, … up to a day. `undefined`: this failure does not lock.
 */
export function adminLockAfter(failures: number): number | undefined {
  if (failures === 0 || failures % ADMIN_TRIES_BEFORE_LOCK !== 0) return undefined;
  return Math.min(ADMIN_FIRST_LOCK_MS * 2 ** (failures / ADMIN_TRIES_BEFORE_LOCK - 1), ADMIN_LONGEST_LOCK_MS);
}

/** `scrypt$N$r$p$<salt>$<hash>`: the only form in which the admin PIN is kept (in the keychain). */
export async function hashAdminPin(pin: string, random: RandomSource): Promise<string> {
  const salt = random.bytes(16);
  const hash = await scryptAsync(pin, salt, KEY_LENGTH, { ...ADMIN_PIN_COST, maxmem: MAX_MEMORY });
  return ['scrypt', ADMIN_PIN_COST.N, ADMIN_PIN_COST.r, ADMIN_PIN_COST.p, salt.toString('base64'), hash.toString('base64')].join('$');
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
 * minutes, doubling with each further five: a PIN is short, so guessing must be slow. Each
 * try is counted in SQLite before the keychain and scrypt are awaited, so a burst of
 * parallel PINs gets five checks, not hundreds, and a restart or power loss keeps the
 * count. Once open, the admin screen stays open while used and closes itself after five
 * idle minutes; nothing secret is handed to the renderer — there is one screen, and main
 * remembers that it is open.
 */
export class AdminGate {
  private openUntil = 0;

  constructor(
    /** The keychain entry holding the PIN's hash (configurable for a live kiosk). */
    private readonly pinSecret: string,
    private readonly secrets: SecretStore,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly lockouts: LockoutRepository,
    private readonly transaction: <T>(work: () => T) => T,
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
    // Counted as a failure now, before anything is awaited; a right PIN clears it below.
    const reserved = this.transaction((): Result<number> => {
      const row = this.lockouts.get(ADMIN_PIN_SUBJECT);
      if (row?.lockedUntil != null && row.lockedUntil > now) return locked(row.lockedUntil);
      const failures = this.lockouts.addFailure(ADMIN_PIN_SUBJECT);
      const lock = adminLockAfter(failures);
      if (lock !== undefined) this.lockouts.lock(ADMIN_PIN_SUBJECT, now + lock, false);
      return ok(failures);
    });
    if (!reserved.ok) return reserved;
    const failures = reserved.value;
    const stored = await this.secrets.get(this.pinSecret);
    if (!stored) return fail('admin.notSet', 'No admin PIN is set on this kiosk. IT sets it with --set-admin-pin.');
    if (await adminPinMatches(pin, stored)) {
      this.transaction(() => {
        this.lockouts.clear(ADMIN_PIN_SUBJECT);
        this.audit.record({ type: 'admin.action', outcome: 'success', reason: action });
      });
      return ok(undefined);
    }
    this.audit.record({ type: 'admin.action', outcome: 'failure', reason: `${action}:wrongPin` });
    const lock = adminLockAfter(failures);
    if (lock !== undefined) return locked(now + lock);
    const left = ADMIN_TRIES_BEFORE_LOCK - (failures % ADMIN_TRIES_BEFORE_LOCK);
    return fail('admin.wrongPin', `That PIN is not right. ${left} ${left === 1 ? 'try' : 'tries'} left.`, { attemptsLeft: left });
  }
}

function locked(until: number): Result<never> {
  return fail('admin.locked', 'Too many wrong PINs. Wait a few minutes and try again.', { retryAt: until });
}
