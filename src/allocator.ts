import type { BootHeap } from "./heap/boot-heap.js";

export interface AllocatorStats {
  capacityBytes: number;
  /** Bytes not available to others: live data, alignment padding and per-allocation metadata. */
  usedBytes: number;
  peakBytes: number;
  /** Live allocations (for bump allocators: allocations since the last reset, less rollbacks). */
  allocationCount: number;
  /** The largest request `alloc(n, 1)` could satisfy right now, at most. */
  largestFreeBytes: number;
}

/**
 * The interface of every allocator, after Zig's std.mem.Allocator. A pointer is a byte offset
 * into `heap`; 0 means out of memory. The caller passes the length back to `free`, `resize`
 * and `remap`. Alignment is a power of two up to 4096 and defaults to 8.
 */
export interface Allocator {
  readonly heap: BootHeap;
  alloc(len: number, align?: number): number;
  /** Grows or shrinks in place; false means it cannot, and nothing changed. */
  resize(ptr: number, len: number, newLen: number): boolean;
  /** Resizes in place or moves and copies; 0 means it cannot, and nothing changed. */
  remap(ptr: number, len: number, newLen: number, align?: number): number;
  free(ptr: number, len: number): void;
  stats(): AllocatorStats;
}

export const ALIGN_DEFAULT = 8;
