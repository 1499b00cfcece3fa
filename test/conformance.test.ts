import { describe, test } from "vitest";
import { allCases } from "./conformance/index.js";

describe("conformance (the cases the self-test bundle runs on every engine)", () => {
  for (const c of allCases()) test(c.name, () => c.run());
});
