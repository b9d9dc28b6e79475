import type { z } from 'zod';
import { ALL_USERS } from '../directory/directory-snapshot';
import type { SetAside } from './directory-source';

/** The target types the kiosk understands (Graph v1.0's enum is user, group, unknownFutureValue). */
const knownTargetTypes: readonly unknown[] = ['group', 'user', undefined];

/** Excluding everyone: what an exclude target the kiosk cannot read turns into, so it never grants. */
export const EXCLUDE_EVERYONE = { id: ALL_USERS, targetType: 'group' as const };

/**
 * Leaves out policy targets of a type the kiosk does not know (`unknownFutureValue`). An
 * include target left out grants less; an exclude target left out would grant more, so it
 * excludes everyone instead until the directory is fixed.
 */
export function setAsideUnknownTargets<Include extends { id?: unknown; targetType?: unknown }, Exclude extends { id?: unknown; targetType?: unknown }>(
  includeTargets: readonly Include[],
  excludeTargets: readonly Exclude[],
  setAside: SetAside[],
): { includeTargets: Include[]; excludeTargets: Array<Exclude | typeof EXCLUDE_EVERYONE> } {
  const unknown = (target: { targetType?: unknown }) => !knownTargetTypes.includes(target.targetType);
  const record = (target: { id?: unknown; targetType?: unknown }, list: string, index: number, outcome: string) =>
    setAside.push({
      record: 'target',
      id: typeof target.id === 'string' ? target.id : `${list}[${index}]`,
      code: 'unknown-target-type',
      reason: `${list}[${index}] ${typeof target.id === 'string' ? target.id : ''}: targetType ${JSON.stringify(target.targetType)} is not one this kiosk knows (group, user); ${outcome}.`.replace('] :', ']:'),
    });
  includeTargets.forEach((target, index) => unknown(target) && record(target, 'includeTargets', index, 'left out'));
  excludeTargets.forEach((target, index) => unknown(target) && record(target, 'excludeTargets', index, 'everyone is excluded from SMS sign-in until it is fixed'));
  return {
    includeTargets: includeTargets.filter((target) => !unknown(target)),
    excludeTargets: excludeTargets.map((target) => (unknown(target) ? EXCLUDE_EVERYONE : target)),
  };
}

/**
 * Checks each user of a list on its own: one the schema refuses is set aside — with its
 * readable id and numbers, so it is held withheld — and the others are kept.
 */
export function setAsideInvalidUsers<S extends z.ZodType>(
  users: readonly unknown[],
  schema: S,
  where: string,
  setAside: SetAside[],
  lineOf?: (index: number) => number,
): Array<z.output<S>> {
  const kept: Array<z.output<S>> = [];
  // `users[3]` in a JSON feed; `line 7` in a streamed one, whose users are counted by line.
  const placeOf = (index: number) => (lineOf === undefined ? `${where}[${index}]` : `${where} ${lineOf(index)}`);
  users.forEach((user, index) => {
    const parsed = schema.safeParse(user);
    if (parsed.success) return void kept.push(parsed.data);
    const raw = (typeof user === 'object' && user !== null ? user : {}) as { id?: unknown; phoneMethods?: unknown };
    const id = typeof raw.id === 'string' && raw.id.length > 0 && raw.id.length <= 128 ? raw.id : null;
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('').replace(/^\./, '') || '(the record)';
    setAside.push({
      record: 'user',
      id: id ?? placeOf(index),
      code: 'invalid-user',
      reason: `${placeOf(index)}${id ? ` (user ${id})` : ''}: ${field}: ${issue.message}. The user is set aside.`,
      heldNumbers: Array.isArray(raw.phoneMethods)
        ? raw.phoneMethods.flatMap((method: unknown) => {
            const phoneNumber = (method as { phoneNumber?: unknown } | null)?.phoneNumber;
            return typeof phoneNumber === 'string' && phoneNumber.length <= 40 ? [phoneNumber] : [];
          })
        : [],
    });
  });
  return kept;
}
