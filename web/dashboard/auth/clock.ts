// The clock of logins, sessions and their limits: real time in milliseconds since the epoch,
// read as the process's start time plus a monotonic counter. The sandbox's simulated Date
// (which jumps weeks ahead) and wall-clock steps do not move it within a run, and it still
// compares with the times stored by an earlier run.
export type Clock = () => number;

export const realTime: Clock = () => performance.timeOrigin + performance.now();
