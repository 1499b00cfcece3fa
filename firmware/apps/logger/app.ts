// The smallest useful firmware, for every board: a pool of readings and a line buffer, no
// general heap. Samples a value each second into the pool (the oldest dropped when full) and
// formats the newest reading in the scratch buffer, reset after every line.
import type { App, Memory, Target } from "../../../src/app.js";
import type { MemoryPlan } from "../../../plan/plan.js";
import type { FixedBufferAllocator } from "../../../src/allocators/fixed-buffer.js";
import type { MemoryPool } from "../../../src/allocators/pool.js";
import { struct } from "../../../src/layout/struct.js";

declare const setInterval: ((fn: () => void, ms: number) => unknown) | undefined;

const Sample = struct({ time: "u32", value: "f32" });
const LINE_BYTES = 64;
const SAMPLE_MS = 1000;

export function loggerPlan(target: Target): MemoryPlan {
  const slotCount = Math.max(16, Math.floor((target.heapBudgetBytes / 2 - LINE_BYTES * 2) / Sample.sizeBytes));
  return {
    regions: [
      { name: "samples", kind: "pool", slotSizeBytes: Sample.sizeBytes, slotCount: slotCount, align: Sample.alignBytes },
      { name: "line", kind: "fixed", sizeBytes: LINE_BYTES * 2 + 4 * slotCount },
    ],
  };
}

export function makeSampler(memory: Memory): () => number {
  const u32 = memory.heap.u32;
  const samples = memory.raw.samples as MemoryPool;
  const line = memory.raw.line as FixedBufferAllocator;
  const s = Sample.bind(memory.heap);
  // The ring of live samples lives at the start of the line region, for the life of the program.
  const ring = line.alloc(4 * samples.slotCount, 4) >> 2;
  const lineStart = line.savestate();
  let head = 0;
  let count = 0;
  let time = 0;
  return function () {
    time++;
    let p = samples.create();
    if (p === 0) {
      samples.destroy(u32[ring + head]);
      head = (head + 1) % samples.slotCount;
      count--;
      p = samples.create();
    }
    s.set.time(p, time);
    s.set.value(p, Math.round(Math.sin(time / 8) * 1000) / 10);
    u32[ring + ((head + count) % samples.slotCount)] = p;
    count++;
    const text = line.alloc(LINE_BYTES, 1);
    line.restore(lineStart);
    return text === 0 ? 0 : count;
  };
}

const app: App = {
  name: "logger",
  plan: loggerPlan,
  start: function (memory: Memory) {
    const sample = makeSampler(memory);
    for (let i = 0; i < 20; i++) sample();
    if (typeof setInterval === "function") setInterval(sample, SAMPLE_MS);
  },
};
export default app;
