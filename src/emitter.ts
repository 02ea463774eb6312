type Handler<T> = (payload: T) => void

/** A tiny typed event emitter. A throwing handler is reported, never breaks the others. */
export class Emitter<Events extends object> {
  readonly #handlers = new Map<keyof Events, Set<Handler<never>>>()
  readonly #tap: (<K extends keyof Events>(name: K, payload: Events[K]) => void) | undefined

  /** @param tap sees every event first (the debug log) */
  constructor(tap?: <K extends keyof Events>(name: K, payload: Events[K]) => void) {
    this.#tap = tap
  }

  on<K extends keyof Events>(name: K, handler: Handler<Events[K]>): () => void {
    let set = this.#handlers.get(name)
    if (!set) this.#handlers.set(name, (set = new Set()))
    set.add(handler as Handler<never>)
    return () => void set.delete(handler as Handler<never>)
  }

  emit<K extends keyof Events>(name: K, payload: Events[K]): void {
    this.#tap?.(name, payload)
    for (const handler of [...(this.#handlers.get(name) ?? [])]) {
      try {
        ;(handler as Handler<Events[K]>)(payload)
      } catch (error) {
        setTimeout(() => {
          throw error
        })
      }
    }
  }
}
