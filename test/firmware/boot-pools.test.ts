// Issue 11, defect 13: a plan of pools only boots in a debug build too (its pools get live-slot
// bitmaps; there is no counter region to carve when nothing is wrapped in a CountingAllocator).
import { describe, expect, test } from "vitest";
import { boot } from "../../firmware/boot.js";
import { make as makePool } from "../../firmware/makers/pool.js";
import type { App, Memory } from "../../src/app.js";
import { DEBUG } from "../../src/build-mode.js";
import type { MemoryPool } from "../../src/allocators/pool.js";

describe("boot of a plan with only pool regions", () => {
  test("boots (debug and release), and the pools hand out and take back slots", () => {
    let memory: Memory | null = null;
    const app: App = {
      name: "pools",
      plan: function () {
        return { regions: [{ name: "a", kind: "pool", slotSizeBytes: 16, slotCount: 8 }, { name: "b", kind: "pool", slotSizeBytes: 32, slotCount: 4 }] };
      },
      start: function (m: Memory) {
        memory = m;
      },
    };
    const result = boot(app, { board: "TEST", heapBudgetBytes: 4096 }, { pool: makePool });
    expect(result).not.toBeNull();
    expect(memory).not.toBeNull();
    const pool = (memory as unknown as Memory).allocators.a as MemoryPool;
    const slot = pool.create();
    expect(slot).toBeGreaterThan(0);
    pool.destroy(slot);
    expect((result as NonNullable<typeof result>).mem.reports().map((r) => r.name)).toEqual(DEBUG ? ["a", "b", "dbg-a", "dbg-b"] : ["a", "b"]);
  });
});
