// What every stand-in records for the tests that drive it: spec violations (also printed, so a
// failing run says why), the request log, and the faults and stalls queued for its next requests.

export interface Instrumentation<Entry, Fault, Stall> {
  violations: string[];
  requests: Entry[];
  faults: Fault[];
  stalls: Stall[];
  /** Records violations; they never alter a response. */
  report(found: string[]): void;
}

export function instrumentation<Entry, Fault, Stall>(name: string): Instrumentation<Entry, Fault, Stall> {
  const violations: string[] = [];
  return {
    violations,
    requests: [],
    faults: [],
    stalls: [],
    report(found) {
      for (const v of found) {
        violations.push(v);
        process.stderr.write(`[${name}] schema violation: ${v}\n`);
      }
    },
  };
}
