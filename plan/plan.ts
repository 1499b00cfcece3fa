// A memory plan: the regions a firmware carves from its one buffer at boot, decided at build
// time. Portable: the build checks a plan against a board, and the boot code carves it.
import { alignForward } from "../src/heap/checks.js";
import { describe, fail } from "../src/heap/errors.js";
import { headerBytes } from "../src/heap/layout.js";
import { MemoryPool } from "../src/allocators/pool.js";
import type { MemoryPlan, RegionPlan } from "../src/app.js";

export type { MemoryPlan, RegionPlan };


const KINDS = ["fixed", "stack", "tlsf", "pool"];

/** Bytes the region takes in the heap (before alignment padding). */
export function regionPlanBytes(region: RegionPlan): number {
  if (region.kind === "pool") return MemoryPool.regionBytes(region.slotSizeBytes, region.slotCount, region.align);
  return region.sizeBytes;
}

export function regionAlign(region: RegionPlan): number {
  return region.align === undefined ? 8 : region.align;
}

/** Throws InvalidArgument naming the region and field of the first mistake. */
export function checkPlan(plan: MemoryPlan): void {
  if (plan === null || typeof plan !== "object" || !(plan.regions instanceof Array) || plan.regions.length === 0) {
    fail("InvalidArgument", "a memory plan needs a non-empty regions array, got " + describe(plan));
  }
  for (let i = 0; i < plan.regions.length; i++) {
    const r = plan.regions[i];
    const where = "plan region " + i + " (" + describe(r && r.name) + ")";
    if (KINDS.indexOf(r.kind) < 0) fail("InvalidArgument", where + ": kind must be one of " + KINDS.join(", ") + ", got " + describe(r.kind));
    if (r.kind === "pool") {
      if ((r.slotSizeBytes >>> 0) !== r.slotSizeBytes || r.slotSizeBytes < 1) fail("InvalidArgument", where + ": slotSizeBytes must be a whole number of at least 1, got " + describe(r.slotSizeBytes));
      if ((r.slotCount >>> 0) !== r.slotCount || r.slotCount < 1) fail("InvalidArgument", where + ": slotCount must be a whole number of at least 1, got " + describe(r.slotCount));
    } else if ((r.sizeBytes >>> 0) !== r.sizeBytes || r.sizeBytes < 16) {
      fail("InvalidArgument", where + ": sizeBytes must be a whole number of at least 16, got " + describe(r.sizeBytes));
    }
    for (let j = 0; j < i; j++) if (plan.regions[j].name === r.name) fail("InvalidArgument", where + ": the name is used twice");
  }
}

/** The heap size that holds the plan exactly: header, regions in order, alignment padding. */
export function planHeapBytes(plan: MemoryPlan): number {
  checkPlan(plan);
  let cursor = headerBytes(plan.regions.length);
  for (let i = 0; i < plan.regions.length; i++) {
    cursor = alignForward(cursor, regionAlign(plan.regions[i])) + regionPlanBytes(plan.regions[i]);
  }
  return alignForward(cursor, 8);
}
