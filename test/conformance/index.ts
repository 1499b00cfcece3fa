import { allocatorCases } from "./allocator-cases.js";
import type { Case } from "./harness.js";
import { hardeningCases } from "./hardening-cases.js";
import { heapCases } from "./heap-cases.js";
import { specificCases } from "./specific-cases.js";
import { structCases } from "./struct-cases.js";
import { subjectFactories } from "./subjects.js";
import { wrapperCases } from "./wrapper-cases.js";

/** Every engine-neutral case: what vitest runs and what dist/selftest/selftest.js runs. */
export function allCases(): Case[] {
  let cases: Case[] = heapCases();
  for (let i = 0; i < subjectFactories.length; i++) cases = cases.concat(allocatorCases(subjectFactories[i]));
  return cases.concat(specificCases(), structCases(), wrapperCases(), hardeningCases());
}
