import type { output } from 'zod';
import { calls, isCallName, kioskErrorSchema, type CallName, type CallOutput } from '../../../shared/contract';
import { fail, type Result } from '../../../shared/result';
import type { Logger } from '../base/log';

export type CallHandlers = {
  [K in CallName]: (input: ParsedInput<K>) => Promise<Result<CallOutput<K>>> | Result<CallOutput<K>>;
};
/** A call's input after the contract has parsed it. */
type ParsedInput<K extends CallName> = output<(typeof calls)[K]['input']>;

/**
 * The one door into the core for both transports. Whatever arrives — an unknown call, a
 * hostile payload, a handler that throws — the answer is a typed Result, never a crash.
 * Results are parsed against the contract too, which strips anything it does not name.
 */
export async function dispatchCall(handlers: CallHandlers, name: unknown, input: unknown, log: Logger): Promise<Result<unknown>> {
  if (!isCallName(name)) return fail('call.unknown', 'The kiosk does not know that request.');
  const spec = calls[name];
  const parsed = spec.input.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : 'input';
    return fail('input.invalid', `${name}: ${where}: ${issue.message}`);
  }
  try {
    const handler = handlers[name] as (input: unknown) => Promise<Result<unknown>> | Result<unknown>;
    const result = await handler(parsed.data);
    if (!result.ok) return { ok: false, error: kioskErrorSchema.parse(result.error) };
    return { ok: true, value: spec.output.parse(result.value) };
  } catch (error) {
    log.error('call failed', { call: name, error: error instanceof Error ? error.stack : String(error) });
    return fail('internal', 'Something went wrong on the kiosk. Please try again.');
  }
}
