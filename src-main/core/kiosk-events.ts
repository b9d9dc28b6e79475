import { eventNames, events, type EventName, type EventPayload } from '../../shared/contract';

type Listener<E extends EventName> = (payload: EventPayload<E>) => void;

/** Typed events from the core to whichever transport is listening. */
export class KioskEvents {
  private readonly listeners = new Map<EventName, Set<Listener<EventName>>>();

  on<E extends EventName>(name: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener as Listener<EventName>);
    return () => set.delete(listener as Listener<EventName>);
  }

  /** Every event, for transports that forward them all. */
  onAny(listener: <E extends EventName>(name: E, payload: EventPayload<E>) => void): () => void {
    const offs = eventNames.map((name) => this.on(name, (payload) => listener(name, payload)));
    return () => offs.forEach((off) => off());
  }

  /** Parsed against the contract first, like call results: nothing it does not name goes out. */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const checked = events[name].parse(payload) as EventPayload<E>;
    for (const listener of this.listeners.get(name) ?? []) listener(checked);
  }
}
