/** A typed event emitter whose listeners cannot break the emitter by throwing. */
export class TypedEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  constructor(private readonly onListenerError: (name: keyof Events, error: unknown) => void) {}

  /** Adds a listener; returns the function that removes it. */
  on<E extends keyof Events>(name: E, listener: (payload: Events[E]) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError(`The listener of "${String(name)}" must be a function`);
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => void set.delete(listener);
  }

  emit<E extends keyof Events>(name: E, payload: Events[E]): void {
    const set = this.listeners.get(name);
    if (!set) return;
    for (const listener of [...set] as Array<(payload: Events[E]) => void>) {
      try {
        listener(payload);
      } catch (error) {
        this.onListenerError(name, error);
      }
    }
  }
}
