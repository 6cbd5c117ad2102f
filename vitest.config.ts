import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["events/**/*.test.ts", "packages/**/*.test.ts", "stacks/**/*.test.ts", "bench/**/*.test.ts"],
    exclude: ["**/node_modules/**", ".sst/**", "cdk.out/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      AWS_REGION: "ap-southeast-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      POWERTOOLS_LOG_LEVEL: "WARN",
    },
  },
});
