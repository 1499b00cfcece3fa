import { defineConfig } from "vitest/config";

// BOOTHEAP_MODE=debug|release picks the build mode the tests run under (src/build-mode.ts), as
// rollup.config.js does for the bundles; unset, __DEBUG__ stays undefined and the mode is debug.
const mode = process.env.BOOTHEAP_MODE;
if (mode !== undefined && mode !== "debug" && mode !== "release") throw new Error("BOOTHEAP_MODE must be debug or release, got " + mode);

export default defineConfig({
  define: mode === undefined ? {} : { __DEBUG__: mode === "debug" ? "true" : "false" },
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts", "host/**/*.test.ts", "firmware/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
