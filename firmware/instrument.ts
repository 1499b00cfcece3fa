// Debug builds wrap each allocator a firmware hands its app in CountingAllocator(DebugAllocator)
// (src/wrappers/instrument.ts); release builds compile all of this away (DEBUG is false there).
// Pools stay unwrapped (apps use them through create()/destroy(), and a slot has no room for
// canaries) but get a live-slot bitmap, so a double free throws.
import type { Allocator } from "../src/allocator.js";
import type { BootHeap } from "../src/heap/boot-heap.js";
import { alignForward } from "../src/heap/checks.js";
import { REGION_ENTRY_BYTES } from "../src/heap/layout.js";
import { FixedBufferAllocator } from "../src/allocators/fixed-buffer.js";
import { COUNTING_STATE_BYTES } from "../src/wrappers/counting.js";
import { DebugAllocator } from "../src/wrappers/debug.js";
import { debugAllocatorOf, instrument, poolBitmapBytes } from "../src/wrappers/instrument.js";
import { say } from "./device.js";
import type { MemoryPlan } from "../plan/plan.js";

/** Allocations each debug table tracks at once (live and quarantined). */
export const DEBUG_RECORDS = 64;
const STATE_REGION = "dbg-counters";

/** The regions wrapped in CountingAllocator(DebugAllocator): all but the pools. */
function wrapped(plan: MemoryPlan): string[] {
  return plan.regions.filter(function (r) { return r.kind !== "pool"; }).map(function (r) { return r.name; });
}

/** Regions a debug build adds to `plan`: a table or live-slot bitmap per region, and one for the counters when anything is wrapped. */
export function debugRegionCount(plan: MemoryPlan): number {
  return plan.regions.length + (wrapped(plan).length > 0 ? 1 : 0);
}

/** Heap bytes a debug build adds to `plan`: table entries, tables, bitmaps, counters, alignment. */
export function debugHeapBytes(plan: MemoryPlan): number {
  const n = wrapped(plan).length;
  let bytes = debugRegionCount(plan) * (REGION_ENTRY_BYTES + 8) + n * alignForward(DebugAllocator.regionBytes(DEBUG_RECORDS), 8) + n * COUNTING_STATE_BYTES;
  for (let i = 0; i < plan.regions.length; i++) {
    const r = plan.regions[i];
    if (r.kind === "pool") bytes += poolBitmapBytes(r.slotCount);
  }
  return bytes;
}

/** Instruments each region's allocator (see instrument()); call before sealing. */
export function instrumentAll(heap: BootHeap, plan: MemoryPlan, raw: { [name: string]: Allocator }): { [name: string]: Allocator } {
  const n = wrapped(plan).length;
  // A plan of pools only has no counters to keep (and a region cannot be empty).
  const counters = n === 0 ? undefined : new FixedBufferAllocator(heap, heap.carve(n * COUNTING_STATE_BYTES, 8, STATE_REGION));
  const out: { [name: string]: Allocator } = {};
  for (let i = 0; i < plan.regions.length; i++) {
    const name = plan.regions[i].name;
    out[name] = instrument(heap, raw[name], "dbg-" + name.substring(0, 8), { records: DEBUG_RECORDS, state: counters });
  }
  return out;
}

/** Prints the live allocations of every instrumented allocator, grouped by tag; returns how many groups. */
export function printLeaks(allocators: { [name: string]: Allocator }): number {
  const names = Object.keys(allocators);
  let groups = 0;
  for (let i = 0; i < names.length; i++) {
    const debug = debugAllocatorOf(allocators[names[i]]);
    if (debug === null) continue;
    const leaks = debug.leaks();
    for (let j = 0; j < leaks.length; j++) say(names[i] + ": " + leaks[j].message);
    groups += leaks.length;
  }
  say(groups === 0 ? "no live allocations in the instrumented regions" : groups + " groups of live allocations");
  return groups;
}
