// One maker per region kind, each in its own file: the build's firmware entry imports only the
// makers of the kinds its app's plan uses, so a firmware carries only the allocators it needs
// (a shared file would keep them all: each allocator module has top-level side effects).
import type { Allocator } from "../../src/allocator.js";
import type { BootHeap, Region } from "../../src/heap/boot-heap.js";
import { regionAlign, regionPlanBytes, RegionPlan } from "../../plan/plan.js";

export type Maker = (heap: BootHeap, plan: RegionPlan) => Allocator;
export type Makers = { [kind: string]: Maker };

/** The region kinds that have a maker, each in firmware/makers/<kind>.ts exporting `make`. */
export const MAKER_KINDS = ["fixed", "pool", "stack", "tlsf"];

export function carve(heap: BootHeap, plan: RegionPlan): Region {
  return heap.carve(regionPlanBytes(plan), regionAlign(plan), plan.name);
}
