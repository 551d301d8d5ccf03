// A serial background loop: runs `drain` when kicked or every `idleMs`, never two at a time,
// and keeps going when a drain throws (the error is reported, the loop survives).
export interface PumpOptions {
  /** Does one round of work; returns true when there may be more to do right away. */
  drain: () => Promise<boolean>;
  idleMs: number;
  onError: (error: unknown) => void;
}

export class Pump {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;

  constructor(private readonly options: PumpOptions) {}

  start(): void {
    this.#stopped = false;
    this.kick();
  }

  /** Asks for a round soon (now, or right after the current one). */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = this.#loop().finally(() => {
      this.#running = undefined;
      if (this.#stopped) return;
      if (this.#again) this.kick();
      else this.#timer = setTimeout(() => this.kick(), this.options.idleMs);
    });
  }

  /** Stops scheduling and waits for the round in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** Resolves when no round is running and none is asked for (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #loop(): Promise<void> {
    let more = true;
    while (more && !this.#stopped) {
      this.#again = false;
      try {
        more = await this.options.drain();
      } catch (error) {
        this.options.onError(error);
        more = false;
      }
      more ||= this.#again;
    }
  }
}
