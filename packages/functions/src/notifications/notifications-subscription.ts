import { OrderPaidContract, OrderPaymentFailedContract, PROCESSOR_SOURCE } from "@payment3/events";
import type { Subscription } from "../subscription";
import { createNotificationsFunction } from "./notifications-function";

/**
 * Customers hear about paid orders and declined payments, nothing else: the pattern does the
 * filtering (OrderPaid, or OrderPaymentFailed with reason PAYMENT_DECLINED and retryable false).
 */
export const notificationsSubscription = {
  name: "notifications",
  description:
    "Emails the customer (SES), publishes to the payment-notifications topic (SNS) and records the email log",
  eventPattern: {
    source: [PROCESSOR_SOURCE],
    $or: [
      { "detail-type": [OrderPaidContract.detailType] },
      {
        "detail-type": [OrderPaymentFailedContract.detailType],
        detail: { reason: ["PAYMENT_DECLINED"], retryable: [false] },
      },
    ],
  },
  handler: "packages/functions/src/notifications/handler.handler",
  timeoutSeconds: 30,
  retry: { maximumRetryAttempts: 8, maximumEventAgeSeconds: 6 * 3600 },
  deadLetterRetentionDays: 14,
  access: [
    { resource: "senderIdentity", actions: ["ses:SendEmail"] },
    // Every email names the stage's configuration set (its events reach the email-events subscriber); SESv2's
    // authorization lists the set as a resource of ses:SendEmail.
    { resource: "emailConfigurationSet", actions: ["ses:SendEmail"] },
    { resource: "paymentNotificationsTopic", actions: ["sns:Publish"] },
    { resource: "emailLogTable", actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"] },
    // Notes of attempts without effect (the notification protocol, step 5): written (an UpdateItem creating the
    // note) and read, never changed.
    { resource: "idempotencyTable", actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"] },
  ],
  create: createNotificationsFunction,
} as const satisfies Subscription;
