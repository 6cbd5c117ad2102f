import { auditLogSubscription } from "./audit-log/audit-log-subscription";
import { emailEventsSubscription } from "./email-events/email-events-subscription";
import { notificationsSubscription } from "./notifications/notifications-subscription";
import { processorSubscription } from "./processor/processor-subscription";
import type { Subscription } from "./subscription";
// new subscription imports go above this line (npm run new:subscriber)

/**
 * Every consumer of the bus. Adding a subscriber = one handler folder and one entry here;
 * the processor is not touched. See docs/adding-a-subscriber.md.
 */
export const SUBSCRIPTIONS: readonly Subscription[] = [
  processorSubscription,
  auditLogSubscription,
  notificationsSubscription,
  emailEventsSubscription,
  // new subscriptions go above this line (npm run new:subscriber)
];
