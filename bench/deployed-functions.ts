import { SCHEDULED_FUNCTIONS, SUBSCRIPTIONS, type ScheduledFunction, type Subscription } from "@payment3/functions";

/**
 * Every function the stacks deploy from the registries, as stacks/wallet-events-stack.ts combines them: the
 * subscriptions and the scheduled functions (the uncertain-email sweep). Issue 19's bundle and cold-start goals apply
 * to each; a request any of them sends is counted under its name.
 */
export const DEPLOYED_FUNCTIONS: readonly (Subscription | ScheduledFunction)[] = [
  ...SUBSCRIPTIONS,
  ...SCHEDULED_FUNCTIONS,
];
