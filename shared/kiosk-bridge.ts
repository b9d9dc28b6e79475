import type { CallInput, CallOutput, EventPayload } from './contract';
import { callNames, eventNames, type CallName, type EventName } from './contract-names';
import type { Result } from './result';

type Namespace<K> = K extends `${infer NS}.${string}` ? NS : never;
type Verb<K, NS extends string> = K extends `${NS}.${infer V}` ? V : never;

/**
 * What the renderer holds: the contract as domain verbs (`kiosk.signIn.start({ phone })`)
 * plus typed events. The Electron preload and the preview client both build it with
 * `buildKioskBridge`, so the renderer cannot tell which transport it runs on.
 */
export type KioskBridge = {
  readonly [NS in Namespace<CallName>]: {
    readonly [V in Verb<CallName, NS>]: `${NS}.${V}` extends infer K extends CallName
      ? (input: CallInput<K>) => Promise<Result<CallOutput<K>>>
      : never;
  };
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

export type Invoke = (name: CallName, input: unknown) => Promise<Result<unknown>>;
export type Subscribe = (event: EventName, listener: (payload: unknown) => void) => () => void;

export function buildKioskBridge(invoke: Invoke, subscribe: Subscribe): KioskBridge {
  const bridge: Record<string, Record<string, (input: unknown) => Promise<Result<unknown>>>> = {};
  for (const name of callNames) {
    const [ns, verb] = name.split('.') as [string, string];
    bridge[ns] ??= {};
    bridge[ns][verb] = (input: unknown) => invoke(name, input ?? {});
  }
  const on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!(eventNames as readonly string[]).includes(event)) throw new Error(`Unknown kiosk event: ${String(event)}`);
    return subscribe(event, listener);
  };
  return Object.freeze({ ...bridge, on }) as unknown as KioskBridge;
}

/** IPC channel names: one per contract call, one per event. */
export const ipcCallChannel = (name: CallName) => `kiosk:call:${name}`;
export const ipcEventChannel = (name: EventName) => `kiosk:event:${name}`;
