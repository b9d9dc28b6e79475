import type { z } from 'zod';

/**
 * Checks a component's options against its schema, or throws naming the component, the
 * field and what is wrong ("Audit upload: url: must be https://…"). The device
 * configuration is checked as a whole first; this catches options built any other way.
 */
export function parseOptions<S extends z.ZodType>(schema: S, options: unknown, component: string): z.output<S> {
  const parsed = schema.safeParse(options);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Error(`${component}: ${issue.path.join('.') || '(options)'}: ${issue.message}`);
}
