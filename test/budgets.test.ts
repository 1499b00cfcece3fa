// Bytes we hold ourselves to (README "Sizes"). Minified sizes are deterministic for a given
// source and toolchain, so they are asserted; raise a budget only with the reason in the commit.
// Raised for issue 11 (hardening): argument checks that stay in release builds (remap's align,
// constructors' regions), bounded walks that throw Corrupt, one state decoder per allocator
// shared with inspection.
// Issue 13 (footprint): the minifier now flattens class IIFEs, inlines module-level constants,
// renames private members and writes a class's prototype through one variable, and a firmware's
// repeated strings are one variable each: the whole library, the firmware and most modules went
// down (logger 24.7 -> 23.7 KB, demo 40.2 -> 39.0 KB; the state decoders write their stats objects
// themselves, +40 bytes, one function and five parameters fewer). Six modules went up: their hot paths
// got one-test fast paths with the checks out of line (allocSlow/freeSlow/destroySlow, +300 to
// +700 bytes), and every module writes its shared helpers as `H.k || (H.k = function ...)` and
// calls them as `H.k(...)` (host/build/shared-helpers.ts, about 5% of a module's bytes), which
// is what lets a second module require'd on a board define none of the helpers the first one
// did (boot-heap + pool 504 -> 350 JsVars on the real interpreter). Then helpers that return an
// expression of their parameters were written into their calls (host/build/inline-helpers.ts) and
// pool's slow paths went from four functions to two: every budget down, boot-heap + pool 318 JsVars.
//
// The JsVars a module's code holds on the device follow from its functions and their parameters
// (plan/fit.ts, measured by bench/firmware-jsvars.ts), which the build decides as surely as bytes:
// STRUCTURE_BUDGETS holds them to the fit model's count.
import { existsSync, readFileSync, statSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { codeOf } from "../host/build/code-size.js";
import { structureBlocks } from "../plan/fit.js";

const BUDGETS: Record<string, number> = {
  "dist/espruino/bootheap.min.js": 59_150,
  "dist/espruino/modules/boot-heap.min.js": 3_900,
  "dist/espruino/modules/fixed-buffer.min.js": 4_950,
  "dist/espruino/modules/arena.min.js": 6_050,
  "dist/espruino/modules/pool.min.js": 6_550,
  "dist/espruino/modules/stack.min.js": 5_100,
  "dist/espruino/modules/tlsf.min.js": 11_750,
  "dist/espruino/modules/struct.min.js": 2_200,
  "dist/espruino/modules/debug.min.js": 14_350,
  "dist/espruino/modules/counting.min.js": 4_750,
  "dist/espruino/modules/failing.min.js": 4_450,
  "dist/espruino/modules/static.min.js": 3_300,
  "dist/espruino/modules/fallback.min.js": 3_650,
  "dist/espruino/modules/pressure.min.js": 5_700,
  "dist/espruino/modules/inspect.min.js": 6_800,
  "dist/firmware/ESPRUINOWIFI/logger.js": 23_650,
  "dist/firmware/ESPRUINOWIFI/demo.js": 38_950,
};

/** JsVars the fit model charges for a bundle's functions, parameters and outer variables. */
const STRUCTURE_BUDGETS: Record<string, number> = {
  "dist/espruino/modules/boot-heap.min.js": 135,
  "dist/espruino/modules/pool.min.js": 281,
  "dist/espruino/modules/tlsf.min.js": 389,
  "dist/firmware/ESPRUINOWIFI/logger.js": 1_135,
  "dist/firmware/ESPRUINOWIFI/demo.js": 1_659,
};

describe("structure budgets of the on-device bundles (JsVars of functions, as plan/fit.ts counts them)", () => {
  for (const [file, budget] of Object.entries(STRUCTURE_BUDGETS)) {
    test(`${file} <= ${budget}`, () => {
      expect(existsSync(file), "run npm run build first").toBe(true);
      expect(structureBlocks(codeOf(readFileSync(file, "latin1"), "flash"))).toBeLessThanOrEqual(budget);
    });
  }
});

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
