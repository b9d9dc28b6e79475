import { z } from 'zod';
import { smsSignInStates } from '../../directory/directory-snapshot';

/**
 * The parts of Microsoft Graph v1.0 responses the kiosk relies on, as documented. Objects
 * are not strict: Graph adds `@odata.*` annotations and new properties over time.
 */

/** Directory object ids are GUIDs; `all_users` is the policy's name for everyone. Safe in a URL path. */
export const graphIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'expected a directory object id');

/** A page of a collection: `@odata.nextLink` while there is more, `@odata.deltaLink` at the end of a delta round. */
export function pageSchema<Item extends z.ZodType>(item: Item) {
  return z.object({
    value: z.array(item),
    '@odata.nextLink': z.string().optional(),
    '@odata.deltaLink': z.string().optional(),
  });
}

/**
 * `GET /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/sms`.
 * targetType is an evolvable enum (user, group, unknownFutureValue): kept as text here, and a
 * type the kiosk does not know is set aside on its own. Graph leaves out an empty excludeTargets.
 */
export const smsMethodConfigurationSchema = z.object({
  state: z.enum(['enabled', 'disabled']),
  includeTargets: z.array(z.object({ id: graphIdSchema, targetType: z.string().max(40).default('group'), isUsableForSignIn: z.boolean() })),
  excludeTargets: z.array(z.object({ id: graphIdSchema, targetType: z.string().max(40).default('group') })).nullish().transform((targets) => targets ?? []),
});

/** `GET /groups/{id}?$select=id,displayName` */
export const groupSchema = z.object({ id: graphIdSchema, displayName: z.string().min(1) });

/** A member read with `$select=id`: a cast to `microsoft.graph.user`, or a role's members with their type. */
export const directoryObjectSchema = z.object({ id: graphIdSchema, '@odata.type': z.string().optional() });

/** `GET /directoryRoles?$select=id,displayName` */
export const directoryRoleSchema = z.object({ id: graphIdSchema, displayName: z.string() });

/** `GET /users/{id}?$select=id,displayName,userPrincipalName,accountEnabled` */
export const userSchema = z.object({
  id: graphIdSchema,
  displayName: z.string().min(1),
  userPrincipalName: z.string().min(1),
  accountEnabled: z.boolean(),
});
export type GraphUser = z.infer<typeof userSchema>;

/**
 * One item of `GET /users/delta`: a user removed since the last round (`@removed`), or one
 * added or changed. Properties are loose here because the walk sees every user in the
 * tenant; the ones in scope are held to `userSchema`.
 */
export const deltaUserSchema = z.object({
  id: graphIdSchema,
  '@removed': z.object({ reason: z.string() }).optional(),
  // Checked against `userSchema` one user at a time, so one odd user is set aside alone.
  displayName: z.unknown().optional(),
  userPrincipalName: z.unknown().optional(),
  accountEnabled: z.unknown().optional(),
});
export type DeltaUser = z.infer<typeof deltaUserSchema>;

/** `GET /users/{id}/authentication/phoneMethods`: each method is read on its own (`phoneMethodSchema`). */
export const phoneMethodsSchema = z.object({ value: z.array(z.unknown()) });

/** One phone method. A null `phoneNumber` is no number at all. */
export const phoneMethodSchema = z.object({
  id: graphIdSchema,
  phoneNumber: z.string().min(1).nullable(),
  // An evolvable enum: Graph sends `unknownFutureValue` for types newer than v1.0.
  phoneType: z.enum(['mobile', 'alternateMobile', 'office', 'unknownFutureValue']),
  smsSignInState: z.enum(smsSignInStates),
});
export type GraphPhoneMethod = z.infer<typeof phoneMethodSchema>;

/** `POST /$batch`: one answer per request, in any order. */
export const batchResponseSchema = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number().int(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
    }),
  ),
});

/** Graph's error body: `{ error: { code, message } }`. Only the code is ever repeated to the kiosk's admin. */
export const graphErrorSchema = z.object({ error: z.object({ code: z.string().regex(/^[A-Za-z0-9_.]{1,80}$/) }) });
