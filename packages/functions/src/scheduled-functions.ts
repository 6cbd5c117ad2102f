import { emailSweepFunction } from "./email-sweep/email-sweep-function";
import type { ScheduledFunction } from "./scheduled-function";

/** Every function the system runs on a schedule (see {@link ScheduledFunction}). */
export const SCHEDULED_FUNCTIONS: readonly ScheduledFunction[] = [emailSweepFunction];
