/** The clock seam: core code asks it for the time, tests pass a fake. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
