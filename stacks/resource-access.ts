import { ArnFormat, aws_iam as iam, type Stack } from "aws-cdk-lib";
import type { ResourceAccess, ResourceRole } from "@payment3/functions";
import { constructId } from "./resource-names";

/** The real ARNs behind each role a subscription's `access` list names. */
export type ResourceArns = { readonly [Role in ResourceRole]: readonly string[] };

/** The shared order table, referenced by name: this stack never creates, changes or deletes it. */
export function orderTableArn(stack: Stack, orderTableName: string): string {
  return stack.formatArn({ service: "dynamodb", resource: "table", resourceName: orderTableName });
}

/** The calculate-cost function, given by name (as the config holds it) or by full ARN. */
export function calculateCostFunctionArn(stack: Stack, functionNameOrArn: string): string {
  if (functionNameOrArn.startsWith("arn:")) return functionNameOrArn;
  return stack.formatArn({
    service: "lambda",
    resource: "function",
    resourceName: functionNameOrArn,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/**
 * The SES identities mail from `senderEmail` is authorised against: SES checks the address's
 * identity when the address itself is verified and the domain's identity when only the domain
 * is, so both are listed (and nothing else can be sent from).
 */
export function senderIdentityArns(stack: Stack, senderEmail: string): string[] {
  const domain = senderEmail.slice(senderEmail.lastIndexOf("@") + 1);
  return [senderEmail, domain].map((identity) =>
    stack.formatArn({ service: "ses", resource: "identity", resourceName: identity }),
  );
}

/**
 * One IAM statement per entry of a subscription's `access` list: exactly its actions on the
 * resource its role maps to. A wildcard action is refused rather than deployed.
 */
export function accessStatements(
  subscriptionName: string,
  access: readonly ResourceAccess[],
  arns: ResourceArns,
): iam.PolicyStatement[] {
  return access.map(({ resource, actions, conditions }) => {
    const wildcard = actions.find((action) => action.includes("*"));
    if (wildcard !== undefined) {
      throw new Error(
        `subscription "${subscriptionName}" asks for the wildcard action "${wildcard}" on ${resource}; list the exact actions it needs`,
      );
    }
    if (actions.length === 0)
      throw new Error(
        `subscription "${subscriptionName}" lists ${resource} with no actions; remove the entry or name the actions`,
      );
    return new iam.PolicyStatement({
      sid: constructId(resource),
      effect: iam.Effect.ALLOW,
      actions: [...actions],
      resources: [...arns[resource]],
      ...(conditions ? { conditions: structuredClone(conditions) as Record<string, Record<string, unknown>> } : {}),
    });
  });
}
