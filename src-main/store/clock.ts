// Where the store's timestamps come from: Unix milliseconds, injectable so tests can pin time.
export type Clock = () => number

export const systemClock: Clock = () => Date.now()
