import { LogFormatter, LogItem, Logger } from "@aws-lambda-powertools/logger";
import type { LogAttributes, UnformattedAttributes } from "@aws-lambda-powertools/logger/types";

export type LocalLogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR" | "SILENT";

/**
 * Powertools' JSON lines, as the functions write them on Lambda, except that a logged error is its name, message
 * and plain attributes (code, reason, ...) without stack or code location, unless `withStacks`. A target that
 * fails every attempt then prints a short line per attempt instead of a stack each time; the local EventBridge
 * prints the full error once, when it gives the event up.
 */
export class LocalFunctionLogFormatter extends LogFormatter {
  constructor(private readonly withStacks: boolean) {
    super();
  }

  override formatAttributes(attributes: UnformattedAttributes, additionalLogAttributes: LogAttributes): LogItem {
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        function_name: attributes.lambdaContext?.functionName,
        function_request_id: attributes.lambdaContext?.awsRequestId,
      },
    }).addAttributes(additionalLogAttributes);
  }

  override formatError(error: Error): LogAttributes {
    if (this.withStacks) return super.formatError(error);
    const formatted: LogAttributes = { name: error.name, message: error.message };
    for (const [key, value] of Object.entries(error)) {
      if (key !== "stack" && ["string", "number", "boolean"].includes(typeof value))
        formatted[key] = value as string | number | boolean;
    }
    if (error.cause instanceof Error) formatted.cause = `${error.cause.name}: ${error.cause.message}`;
    return formatted;
  }
}

/** The logger the local runtime gives its in-process functions: stacks only at DEBUG. */
export function createLocalFunctionLogger(serviceName: string, logLevel: LocalLogLevel): Logger {
  return new Logger({ serviceName, logLevel, logFormatter: new LocalFunctionLogFormatter(logLevel === "DEBUG") });
}
