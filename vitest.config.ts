import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts", "host/**/*.test.ts", "firmware/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
