import { describe, test } from "vitest";
import { allCases } from "../conformance/index.js";
import { wrapperCases } from "../conformance/wrapper-cases.js";

// The engine-neutral wrapper cases. Once test/conformance/index.ts includes wrapperCases(),
// test/conformance.test.ts runs them (and the self-test bundle carries them); this file then
// stands down instead of running them twice.
const cases = wrapperCases();
const included = allCases().some((c) => c.name === cases[0].name);

describe("wrappers (engine-neutral cases)", () => {
  if (included) {
    test.skip("run by test/conformance.test.ts (allCases includes wrapperCases)", () => {});
  } else {
    for (const c of cases) test(c.name, () => c.run());
  }
});
