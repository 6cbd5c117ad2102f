/** The time now: every `now` dependency's default, which tests replace with a clock of their own. */
export const systemClock = (): Date => new Date();
