/**
 * What the stacks add to SST v2's esbuild options for every function (SST spreads
 * `nodejs.esbuild` over its own); the benchmark bundles with the same, so it measures what is
 * deployed. `charset: "utf8"` writes non-ASCII text as it is, not as `\uXXXX` escapes: the Thai
 * email copy takes 3 bytes a character instead of 6 (1.3 KB of the notifications bundle). Node
 * reads an ES module as UTF-8 whatever it holds.
 */
export const FUNCTION_ESBUILD_OVERRIDES = { charset: "utf8" } as const;
