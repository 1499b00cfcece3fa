import type { Allocator } from "../allocator.js";
import type { BootHeap } from "../heap/boot-heap.js";
import { DEBUG } from "../build-mode.js";
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

/**
 * What a firmware wraps each of its allocators in. Debug builds: carves a region `name` for a
 * DebugAllocator's table and returns CountingAllocator(DebugAllocator(allocator)), so every
 * bug is reported and `printStats()` counts the caller's bytes. Release builds: returns
 * `allocator` unchanged and the bundler removes both wrappers (DEBUG is the constant false
 * there). Call it at boot, before `heap.seal()`; a debug build needs the extra region
 * (DebugAllocator.regionBytes(records) bytes) in its memory plan.
 */
export function instrument(heap: BootHeap, allocator: Allocator, name: string, options?: InstrumentOptions): Allocator {
  if (DEBUG) {
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
