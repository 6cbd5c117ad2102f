import { TargetInvocationError, type TargetInvoker } from "../eventbridge/index";
import { createLambdaContext } from "./lambda-context";
import { functionNameOf, type LocalFunction } from "./lambda-invoke-service";
import { DEFAULT_LOCAL_REGION } from "../local-account";

/**
 * Delivers rule targets to in-process functions, the way EventBridge invokes Lambda
 * asynchronously: the target's input is the payload and a throw is a failed attempt (retried,
 * then dead-lettered). A target ARN with no function behind it fails with NO_RESOURCE and is
 * not retried, as on AWS.
 */
export function createLambdaTargetInvoker(
  functions: ReadonlyMap<string, LocalFunction>,
  region = DEFAULT_LOCAL_REGION,
): TargetInvoker {
  return async (target, input) => {
    const name = functionNameOf(target.targetArn);
    const fn = functions.get(name);
    if (!fn) {
      throw new TargetInvocationError(
        `no local function ${name} for target ${target.targetId} (${target.targetArn}) of rule ${target.ruleArn}`,
        {
          errorCode: "NO_RESOURCE",
          retryable: false,
        },
      );
    }
    await fn(input, createLambdaContext(name, { region }));
  };
}
