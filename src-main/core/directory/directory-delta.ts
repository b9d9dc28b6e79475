import { z } from 'zod';
import {
  directoryUserSchema,
  kioskSettingsSchema,
  smsMethodPolicySchema,
} from './directory-snapshot';

const id = z.string().min(1).max(128);

/**
 * Changes since a cursor: users and groups added or replaced whole, ids removed (Graph's
 * `@removed`), and the policy or settings when they changed. Applying a delta to the
 * snapshot it was computed from gives the next snapshot.
 */
export const directoryDeltaSchema = z.strictObject({
  users: z.strictObject({ upserted: z.array(directoryUserSchema).default([]), removed: z.array(id).default([]) }).default({ upserted: [], removed: [] }),
  groups: z
    .strictObject({ upserted: z.array(z.strictObject({ id, displayName: z.string().min(1).max(256) })).default([]), removed: z.array(id).default([]) })
    .default({ upserted: [], removed: [] }),
  smsMethodPolicy: smsMethodPolicySchema.optional(),
  kioskSettings: kioskSettingsSchema.optional(),
});
export type DirectoryDelta = z.infer<typeof directoryDeltaSchema>;
export type DirectoryDeltaInput = z.input<typeof directoryDeltaSchema>;
