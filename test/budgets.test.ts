// Bytes we hold ourselves to (README "Sizes"). Minified sizes are deterministic for a given
// source and toolchain, so they are asserted; raise a budget only with the reason in the commit.
// Raised for issue 11 (hardening): argument checks that stay in release builds (remap's align,
// constructors' regions), bounded walks that throw Corrupt, one state decoder per allocator
// shared with inspection, and longer private field names, which the minifier does not shorten
// (issue 13's property mangling is the way back under the old budgets).
import { existsSync, statSync } from "node:fs";
import { describe, expect, test } from "vitest";

const BUDGETS: Record<string, number> = {
  "dist/espruino/bootheap.min.js": 62_500,
  "dist/espruino/modules/boot-heap.min.js": 4_000,
  "dist/espruino/modules/fixed-buffer.min.js": 4_900,
  "dist/espruino/modules/arena.min.js": 6_200,
  "dist/espruino/modules/pool.min.js": 6_100,
  "dist/espruino/modules/stack.min.js": 5_000,
  "dist/espruino/modules/tlsf.min.js": 11_400,
  "dist/espruino/modules/struct.min.js": 2_100,
  "dist/espruino/modules/debug.min.js": 15_000,
  "dist/espruino/modules/counting.min.js": 4_800,
  "dist/espruino/modules/failing.min.js": 4_500,
  "dist/espruino/modules/static.min.js": 3_400,
  "dist/espruino/modules/fallback.min.js": 3_800,
  "dist/espruino/modules/pressure.min.js": 5_900,
  "dist/espruino/modules/inspect.min.js": 6_800,
  "dist/firmware/ESPRUINOWIFI/logger.js": 25_200,
  "dist/firmware/ESPRUINOWIFI/demo.js": 40_800,
};

describe("size budgets of the on-device bundles (bytes)", () => {
  for (const [file, budget] of Object.entries(BUDGETS)) {
    test(`${file} <= ${budget}`, () => {
      expect(existsSync(file), "run npm run build first").toBe(true);
      expect(statSync(file).size).toBeLessThanOrEqual(budget);
    });
  }

  test("a release firmware drops the debug wrappers: logger.js is smaller than logger.debug.js by the wrappers' size", () => {
    const release = statSync("dist/firmware/ESPRUINOWIFI/logger.js").size;
    const debug = statSync("dist/firmware/ESPRUINOWIFI/logger.debug.js").size;
    expect(debug - release).toBeGreaterThan(10_000);
  });
});
