import { defineConfig } from "vitest/config";
import base from "./vitest.config.ts";

/**
 * `npm run test:browser`: the tests that drive Debian's chromium headless (`*.browser-test.ts`); plain `npm test`
 * does not include them, so it needs no browser.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: ["packages/**/*.browser-test.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The flow settles in well under a second, but CI shares its two cores: every poll gets room.
    expect: { poll: { timeout: 15_000, interval: 50 } },
  },
});
