// The state blocks of the region allocators: one layout and one decoder each, used both by the
// allocator itself (its stats() and check()) and by inspection (src/inspect/regions.ts), which
// reads a live heap or a dumped image from the bytes alone. A region's state is REGION_STATE_WORDS
// u32 words in its table entry (src/heap/layout.ts); `state` below is the word index of the first.
// No side effects in this module: the inspect bundle takes the decoders without the allocators.
import type { AllocatorStats } from "../allocator.js";
import { fail } from "../heap/errors.js";

// Each decoder writes its stats object itself: a helper for it would cost the interpreter a
// function and five parameters (JsVars) for a few bytes of text saved.

// ---- FixedBufferAllocator ----
/** The cursor: end of the newest allocation. */
export const FIXED_END = 0;
/** The highest cursor since construction. */
export const FIXED_PEAK = 1;
/** Allocations since the last reset, less rollbacks. */
export const FIXED_COUNT = 2;
/** The allocation count at the newest savestate: allocations up to it are pinned (never rolled back or grown). */
export const FIXED_PINNED = 3;

export function fixedBufferStats(u32: Uint32Array, state: number, start: number, limit: number): AllocatorStats {
  const end = u32[state + FIXED_END];
  return { capacityBytes: limit - start, usedBytes: end - start, peakBytes: u32[state + FIXED_PEAK] - start, allocationCount: u32[state + FIXED_COUNT], largestFreeBytes: limit - end };
}

// ---- StackAllocator ----
/** End of the top allocation; data grows up from the region start. */
export const STACK_CURSOR = 0;
/** Lowest frame record; records grow down from the region end. */
export const STACK_FRAMES = 1;
/** Highest cursor + frame bytes ever in use. */
export const STACK_PEAK = 2;
export const STACK_COUNT = 3;
/** Each live allocation has an 8-byte frame record at the region's top end: u32 ptr, u32 cursor before it. */
export const STACK_FRAME_BYTES = 8;

/** `limit` is the region end rounded down to 4 (where the frame records start). */
export function stackStats(u32: Uint32Array, state: number, start: number, limit: number): AllocatorStats {
  const cursor = u32[state + STACK_CURSOR];
  const frames = u32[state + STACK_FRAMES];
  const free = frames - cursor - STACK_FRAME_BYTES;
  return { capacityBytes: limit - start, usedBytes: limit - start - (frames - cursor), peakBytes: u32[state + STACK_PEAK], allocationCount: u32[state + STACK_COUNT], largestFreeBytes: free > 0 ? free : 0 };
}

// ---- MemoryPool ----
/** First slot of the free list, 0 when empty. */
export const POOL_FREE_HEAD = 0;
/** Next never-used slot: fresh slots are handed out lazily, so construction and reset are O(1). */
export const POOL_BUMP = 1;
export const POOL_LIVE = 2;
export const POOL_PEAK = 3;
/** The slot size as asked (bytes a slot can hold). */
export const POOL_SLOT_SIZE = 4;
/** Offset of the first slot in bits 0..23, log2 of the slot alignment in bits 24..31. */
export const POOL_FIRST = 5;

/** Distance between slots: the slot size rounded up to the alignment (and to 4, for the free-list link). */
export function poolStride(slotSizeBytes: number, alignBytes: number): number {
  const a = alignBytes < 4 ? 4 : alignBytes;
  return ((slotSizeBytes < 4 ? 4 : slotSizeBytes) + a - 1) & -a;
}

/** A pool's geometry, decoded from its state words and region. */
export interface PoolGeometry {
  slotSizeBytes: number;
  strideBytes: number;
  first: number;
  slotCount: number;
}

export function poolGeometry(u32: Uint32Array, state: number, regionEnd: number): PoolGeometry {
  const slotSize = u32[state + POOL_SLOT_SIZE];
  const firstWord = u32[state + POOL_FIRST];
  const first = firstWord & 0xffffff;
  const stride = poolStride(slotSize, 1 << (firstWord >>> 24));
  return { slotSizeBytes: slotSize, strideBytes: stride, first: first, slotCount: Math.floor((regionEnd - first) / stride) };
}

export function poolStats(u32: Uint32Array, state: number, regionEnd: number): AllocatorStats {
  const g = poolGeometry(u32, state, regionEnd);
  const live = u32[state + POOL_LIVE];
  return { capacityBytes: g.slotCount * g.strideBytes, usedBytes: live * g.strideBytes, peakBytes: u32[state + POOL_PEAK] * g.strideBytes, allocationCount: live, largestFreeBytes: live < g.slotCount ? g.slotSizeBytes : 0 };
}

/**
 * Walks the free list, at most one step per issued slot, and returns its length; throws code
 * Corrupt at a link that is not an issued slot or when the list is longer than the slots issued
 * (a cycle). `visit` sees each free slot.
 */
export function poolFreeSlots(u32: Uint32Array, state: number, g: PoolGeometry, name: string, visit: ((slot: number) => void) | null): number {
  const bump = u32[state + POOL_BUMP];
  const stride = g.strideBytes;
  const issued = (bump - g.first) / stride;
  let count = 0;
  let slot = u32[state + POOL_FREE_HEAD];
  // A cursor off the slots, a link that is not an issued slot, or more links than slots (a cycle).
  while (issued % 1 === 0 && issued >= 0 && issued <= g.slotCount && count <= issued && (slot === 0 || (slot >= g.first && slot < bump && (slot - g.first) % stride === 0))) {
    if (slot === 0) return count;
    count++;
    if (visit !== null) visit(slot);
    slot = u32[slot >> 2];
  }
  return fail("Corrupt", "pool " + name + ": free list broken at " + slot + " (bump cursor " + bump + ", " + count + " links walked)");
}

// ---- TlsfAllocator (the header word and the blocks are described in tlsf.ts) ----
/** First-level bitmap: bit f set when some second-level list of f is non-empty. */
export const TLSF_FL = 0;
/** Bytes in used blocks, headers included. */
export const TLSF_USED = 1;
export const TLSF_PEAK = 2;
/** Live allocations. */
export const TLSF_COUNT = 3;
/** slLog2 | flCount << 8. */
export const TLSF_CONFIG = 4;
/** Header address of the first block. */
export const TLSF_FIRST = 5;

export const TLSF_FREE = 1;
export const TLSF_PREV_FREE = 2;
export const TLSF_SIZE_MASK = 0xfffff8;
const TLSF_CHECK_SALT = 0xb7;
/** Smallest block (header + two free-list links + boundary tag). */
export const TLSF_BLOCK_MIN_BYTES = 16;

/**
 * The check byte (bits 24..31 of a header) of a header at address h for a block of `size`
 * bytes, already shifted into place: free() validates a pointer from its own header in O(1).
 */
export function tlsfCheckBits(h: number, size: number): number {
  return (((h >>> 3) ^ (size >>> 3) ^ (size >>> 11) ^ TLSF_CHECK_SALT) & 255) << 24;
}

/** The sentinel's header address for a TLSF heap whose first block is at `first`, in a region ending at `regionEnd`. */
export function tlsfLast(first: number, regionEnd: number): number {
  return regionEnd - 4 - first >= 0 ? first + ((regionEnd - 4 - first) & ~7) : first;
}

export interface TlsfStats extends AllocatorStats {
  /** Free blocks (after immediate coalescing no two are neighbours). */
  freeBlockCount: number;
  /** 1 - largest free block / free bytes: 0 when the free space is one block. */
  fragmentation: number;
}

/**
 * Walks the blocks from the first to the sentinel (each at least 16 bytes, so at most one step
 * per 16 bytes of the region) and adds up the free ones; throws code Corrupt at a block whose
 * size is out of range. `visit` sees each block's header address, size and whether it is free.
 */
export function tlsfStats(u32: Uint32Array, state: number, regionEnd: number, name: string, visit: ((h: number, size: number, free: boolean) => void) | null): TlsfStats {
  const first = u32[state + TLSF_FIRST];
  const last = tlsfLast(first, regionEnd);
  let freeBlocks = 0;
  let freeBytes = 0;
  let largest = 0;
  let h = first;
  while (h < last) {
    const w = u32[h >> 2];
    const size = w & TLSF_SIZE_MASK;
    if (size < TLSF_BLOCK_MIN_BYTES || h + size > last) fail("Corrupt", "tlsf " + name + ": block at " + h + ": size " + size + " out of range");
    const free = (w & TLSF_FREE) !== 0;
    if (free) {
      freeBlocks++;
      freeBytes += size;
      if (size > largest) largest = size;
    }
    if (visit !== null) visit(h, size, free);
    h += size;
  }
  return {
    capacityBytes: last - first,
    usedBytes: u32[state + TLSF_USED],
    peakBytes: u32[state + TLSF_PEAK],
    allocationCount: u32[state + TLSF_COUNT],
    largestFreeBytes: largest === 0 ? 0 : largest - 4,
    freeBlockCount: freeBlocks,
    fragmentation: freeBytes === 0 ? 0 : 1 - largest / freeBytes,
  };
}
