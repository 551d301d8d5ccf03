// A process-wide clock that can jump forward, for playing weeks of community life in minutes.
// Every part of the sandbox (stand-ins, bridges, store defaults, the concierge, log lines)
// reads time through Date, so the simulation replaces the global Date with a subclass whose
// "now" is the real clock plus an offset that only grows. Timers (setTimeout) stay real, so
// network timeouts and backoffs behave as usual. Only the sandbox installs it.

export interface SimClock {
  now(): number;
  /** Moves the clock forward to `ms` (never backward). */
  advanceTo(ms: number): void;
  /** Puts the real Date back. */
  uninstall(): void;
}

const RealDate = Date;
let installed: SimClock | undefined;

/** Installs the clock so that `Date.now()` is `startMs` at once and runs at real speed from there. */
export function installSimClock(startMs: number): SimClock {
  if (installed) throw new Error('a simulated clock is already installed');
  // Whole milliseconds, as Date.now() always is.
  let offset = Math.round(startMs) - RealDate.now();
  const now = () => RealDate.now() + offset;

  // Constructed without arguments a SimDate is "now"; with arguments it is an ordinary date.
  class SimDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(now());
      else super(...(args as [string | number | Date]));
    }

    static override now(): number {
      return now();
    }

    // Dates made before the clock was installed are still dates.
    static override [Symbol.hasInstance](value: unknown): boolean {
      return value instanceof RealDate;
    }
  }
  // Called as a function, Date returns the current time as a string.
  const DateProxy = new Proxy(SimDate, {
    apply: () => new SimDate().toString(),
  });
  globalThis.Date = DateProxy as DateConstructor;

  installed = {
    now,
    advanceTo(ms) {
      offset = Math.max(offset, Math.ceil(ms) - RealDate.now());
    },
    uninstall() {
      globalThis.Date = RealDate;
      installed = undefined;
    },
  };
  return installed;
}
