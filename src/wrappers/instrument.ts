import type { Allocator } from "../allocator.js";
import type { BootHeap } from "../heap/boot-heap.js";
import { DEBUG } from "../build-mode.js";
import { HEADER_FIXED_BYTES, R_STATE, REGION_ENTRY_BYTES } from "../heap/layout.js";
import type { MemoryPool } from "../allocators/pool.js";
import { poolFreeSlots, poolGeometry, POOL_BUMP } from "../allocators/state.js";
import { CountingAllocator } from "./counting.js";
import { DebugAllocator, DebugReport } from "./debug.js";

export interface InstrumentOptions {
  /** Records in the debug table (default 64): the most allocations live (and quarantined) at once. */
  records?: number;
  quarantineBytes?: number;
  canaryBytes?: number;
  captureStack?: boolean;
  memoryLimitBytes?: number;
  onReport?: ((report: DebugReport) => void) | "throw";
  /** Gives the CountingAllocator its 48 bytes of counters (default: `allocator`, outside the debug table). */
  state?: Allocator;
}

/** Bytes of the live-slot bitmap `instrument` carves for a pool of `slotCount` slots. */
export function poolBitmapBytes(slotCount: number): number {
  return (((slotCount + 7) >> 3) + 7) & ~7;
}

/**
 * What a firmware wraps each of its allocators in. Debug builds: carves a region `name` for a
 * DebugAllocator's table and returns CountingAllocator(DebugAllocator(allocator)), so every
 * bug is reported and `printStats()` counts the caller's bytes. A MemoryPool stays itself (its
 * users call create() and destroy(), and a slot has no room for canaries): the region `name`
 * (poolBitmapBytes(slotCount) bytes) holds a bitmap of its live slots, and a double free throws
 * InvalidFree. Release builds: returns `allocator` unchanged and the bundler removes all of this
 * (DEBUG is the constant false there). Call it at boot, before `heap.seal()`; a debug build needs
 * the extra region in its memory plan.
 */
export function instrument(heap: BootHeap, allocator: Allocator, name: string, options?: InstrumentOptions): Allocator {
  if (DEBUG) {
    const pool = allocator as MemoryPool;
    if (typeof pool.slotCount === "number" && typeof pool.create === "function") {
      trackLiveSlots(heap, pool, name);
      return pool;
    }
    const o = options === undefined ? {} : options;
    const region = heap.carve(DebugAllocator.regionBytes(o.records === undefined ? 64 : o.records), 8, name);
    const debug = new DebugAllocator(allocator, {
      region: region,
      quarantineBytes: o.quarantineBytes,
      canaryBytes: o.canaryBytes,
      captureStack: o.captureStack,
      memoryLimitBytes: o.memoryLimitBytes,
      onReport: o.onReport,
    });
    return new CountingAllocator(debug, { state: o.state === undefined ? allocator : o.state });
  }
  return allocator;
}

/** The DebugAllocator inside an allocator made by `instrument` (walking `.child`), or null (always null in release builds). */
export function debugAllocatorOf(allocator: Allocator): DebugAllocator | null {
  if (DEBUG) {
    let a = allocator as Allocator & { child?: Allocator };
    for (let depth = 0; depth < 16 && a !== null && typeof a === "object"; depth++) {
      if (a instanceof DebugAllocator) return a;
      a = a.child as Allocator & { child?: Allocator };
    }
  }
  return null;
}

/** Debug builds: gives `pool` a live-slot bitmap in a region of its own, marking the slots live now. */
function trackLiveSlots(heap: BootHeap, pool: MemoryPool, name: string): void {
  const region = heap.carve(poolBitmapBytes(pool.slotCount), 8, name);
  heap.claim(region, "debug");
  const u8 = heap.u8;
  const u32 = heap.u32;
  const state = (HEADER_FIXED_BYTES + pool.region.index * REGION_ENTRY_BYTES + R_STATE) >> 2;
  const geometry = poolGeometry(u32, state, pool.region.offset + pool.region.sizeBytes);
  const issued = (u32[state + POOL_BUMP] - geometry.first) / geometry.strideBytes;
  for (let i = 0; i < region.sizeBytes; i++) u8[region.offset + i] = 0;
  for (let i = 0; i < issued; i++) u8[region.offset + (i >> 3)] |= 1 << (i & 7);
  poolFreeSlots(u32, state, geometry, name, function (slot: number) {
    const index = (slot - geometry.first) / geometry.strideBytes;
    u8[region.offset + (index >> 3)] &= ~(1 << (index & 7));
  });
  pool.liveSlots = region.offset;
}
