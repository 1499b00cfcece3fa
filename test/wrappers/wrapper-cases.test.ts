import { describe, test } from "vitest";
import { wrapperCases } from "../conformance/wrapper-cases.js";

// The engine-neutral wrapper cases (also in the self-test bundle once test/conformance/index.ts includes them).
describe("wrappers (engine-neutral cases)", () => {
  for (const c of wrapperCases()) test(c.name, () => c.run());
});
