// The default firmware: a sensor logger that shows every allocator at work on a heap sized to
// the board. Readings go into pool records, a general heap holds variable-size batches, each
// report is built in an arena that is reset afterwards, and a stack holds per-tick frames.
import type { App, Memory, Target } from "../../../src/app.js";
import type { MemoryPlan } from "../../../plan/plan.js";
import { ArenaAllocator } from "../../../src/allocators/arena.js";
import type { MemoryPool } from "../../../src/allocators/pool.js";
import type { StackAllocator } from "../../../src/allocators/stack.js";
import { struct } from "../../../src/layout/struct.js";

declare const setInterval: ((fn: () => void, ms: number) => unknown) | undefined;

export const Reading = struct({ sensor: "u16", flags: "u16", time: "u32", value: "f32" });
/** Readings kept at once; the oldest is dropped when the pool is full. */
const READING_SHARE = 0.25;
const TICK_MS = 1000;

export function demoPlan(target: Target): MemoryPlan {
  const budget = target.heapBudgetBytes;
  const slotCount = Math.max(8, Math.floor((budget * READING_SHARE) / Reading.sizeBytes));
  const rest = budget - slotCount * Reading.sizeBytes - 512;
  return {
    regions: [
      { name: "readings", kind: "pool", slotSizeBytes: Reading.sizeBytes, slotCount: slotCount, align: Reading.alignBytes },
      { name: "general", kind: "tlsf", sizeBytes: Math.max(1024, Math.floor(rest * 0.6) & ~7) },
      { name: "scratch", kind: "fixed", sizeBytes: Math.max(256, Math.floor(rest * 0.25) & ~7) },
      { name: "frames", kind: "stack", sizeBytes: Math.max(256, Math.floor(rest * 0.15) & ~7) },
    ],
  };
}

/** Batches in the general heap at once: replaced in a scattered order, so free space fragments and coalesces. */
const BATCH_COUNT = 24;

/**
 * One tick of work: a reading into the pool (the oldest dropped when full), a batch of varying
 * size in the general heap, a report in an arena reset afterwards, a frame on the stack. The
 * bookkeeping rings live in the heap too: after boot the tick asks the engine for nothing.
 */
export function makeTick(memory: Memory): () => number {
  const u32 = memory.heap.u32;
  const readings = memory.raw.readings as MemoryPool;
  const general = memory.allocators.general;
  const frames = memory.raw.frames as StackAllocator;
  const report = new ArenaAllocator(memory.allocators.scratch);
  const r = Reading.bind(memory.heap);
  const slots = readings.slotCount;
  const ring = general.alloc(slots * 4, 4) >> 2;
  const batches = general.alloc(BATCH_COUNT * 8, 4) >> 2;
  if (ring === 0 || batches === 0) throw new Error("demo: the general heap cannot hold the bookkeeping rings");
  for (let i = 0; i < BATCH_COUNT * 2; i++) u32[batches + i] = 0;
  let head = 0;
  let count = 0;
  let tick = 0;
  return function () {
    tick++;
    let p = readings.create();
    if (p === 0) {
      readings.destroy(u32[ring + head]);
      head = (head + 1) % slots;
      count--;
      p = readings.create();
    }
    r.set.sensor(p, tick & 7);
    r.set.time(p, tick);
    r.set.value(p, Math.sin(tick / 10) * 100);
    u32[ring + ((head + count) % slots)] = p;
    count++;
    const b = batches + ((tick * 7) % BATCH_COUNT) * 2;
    if (u32[b] !== 0) general.free(u32[b], u32[b + 1]);
    const len = 16 + ((tick * 37) & 127);
    const q = general.alloc(len);
    u32[b] = q;
    u32[b + 1] = q === 0 ? 0 : len;
    const frame = frames.alloc(64);
    const line = report.alloc(32 + (tick & 63));
    report.reset("retain_capacity");
    if (frame !== 0) frames.free(frame, 64);
    return line === 0 ? 0 : tick;
  };
}

const app: App = {
  name: "demo",
  plan: demoPlan,
  start: function (memory: Memory) {
    const tick = makeTick(memory);
    for (let i = 0; i < 40; i++) tick();
    if (typeof setInterval === "function") setInterval(tick, TICK_MS);
  },
};
export default app;
