import { z } from 'zod';

/**
 * A full copy of what the kiosk needs from the organisation's directory. Field names
 * follow Microsoft Graph so an Entra admin recognises them.
 */

export const smsSignInStates = [
  'ready',
  'notSupported',
  'notAllowedByPolicy',
  'notEnabled',
  'phoneNumberNotUnique',
  'notConfigured',
  'unknownFutureValue',
] as const;
export type SmsSignInState = (typeof smsSignInStates)[number];

const id = z.string().min(1).max(128);

export const directoryUserSchema = z.strictObject({
  id,
  displayName: z.string().min(1).max(256),
  userPrincipalName: z.string().min(1).max(256),
  accountEnabled: z.boolean(),
  /** Holds an admin role: never allowed to sign in by SMS. */
  isPrivileged: z.boolean().default(false),
  groupIds: z.array(id).default([]),
  phoneMethods: z
    .array(
      z.strictObject({
        id,
        phoneNumber: z.string().min(1).max(40),
        phoneType: z.enum(['mobile', 'alternateMobile', 'office']),
        smsSignInState: z.enum(smsSignInStates),
      }),
    )
    .default([]),
});
export type DirectoryUser = z.infer<typeof directoryUserSchema>;

export const policyTargetSchema = z.strictObject({
  /** A group id, or `all_users`. */
  id,
  targetType: z.literal('group').default('group'),
  isUsableForSignIn: z.boolean().default(true),
});
export type PolicyTarget = z.infer<typeof policyTargetSchema>;

export const smsMethodPolicySchema = z.strictObject({
  state: z.enum(['enabled', 'disabled']),
  includeTargets: z.array(policyTargetSchema),
  excludeTargets: z.array(policyTargetSchema.omit({ isUsableForSignIn: true })).default([]),
});
export type SmsMethodPolicy = z.infer<typeof smsMethodPolicySchema>;

export const kioskSettingsSchema = z.strictObject({
  /** ISO 3166-1 alpha-2: the country assumed for numbers typed without `+`. */
  defaultCountry: z.string().regex(/^[A-Z]{2}$/),
  /** How long a texted code stays valid. Policy range 1–10 minutes. */
  codeValiditySeconds: z.number().int().min(60).max(600).default(300),
  organizationName: z.string().min(1).max(120),
});
export type KioskSettings = z.infer<typeof kioskSettingsSchema>;

export const directorySnapshotSchema = z.strictObject({
  groups: z.array(z.strictObject({ id, displayName: z.string().min(1).max(256) })),
  users: z.array(directoryUserSchema),
  smsMethodPolicy: smsMethodPolicySchema,
  kioskSettings: kioskSettingsSchema,
});
export type DirectorySnapshot = z.infer<typeof directorySnapshotSchema>;
export type DirectorySnapshotInput = z.input<typeof directorySnapshotSchema>;
