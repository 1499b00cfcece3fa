import { ALIGN_DEFAULT, Allocator, AllocatorStats } from "../allocator.js";
import type { BootHeap, Region } from "../heap/boot-heap.js";
import { checkAlign, checkLength, HEAP_SIZE_MAX } from "../heap/checks.js";
import { describe, fail } from "../heap/errors.js";
import { addTypedHelpers, remapByMove, TypedHelpers } from "./typed.js";

// State words in the region's table entry.
const S_END = 0;
const S_PEAK = 1;
const S_COUNT = 2;
/** savestate() packs the allocation count above the cursor. */
const STATE_COUNT_UNIT = 0x1000000;

/**
 * Bump allocator over one region (Zig's FixedBufferAllocator). Only the most recent
 * allocation can be freed or resized; freeing any other is a no-op. O(1), no metadata
 * per allocation.
 */
export class FixedBufferAllocator implements Allocator {
  readonly heap: BootHeap;
  readonly region: Region;
  private readonly u32: Uint32Array;
  /** Word index of the state in the heap header. */
  private readonly s: number;
  private readonly start: number;
  private readonly limit: number;

  constructor(heap: BootHeap, region: Region) {
    this.heap = heap;
    this.region = region;
    this.s = heap.claim(region, "fixed") >> 2;
    this.u32 = heap.u32;
    this.start = region.offset;
    this.limit = region.offset + region.sizeBytes;
    this.u32[this.s + S_PEAK] = this.start;
    this.reset();
  }

  alloc(len: number, align?: number): number {
    if ((len >>> 0) !== len || len > HEAP_SIZE_MAX) checkLength("len", len);
    const a = align === undefined ? ALIGN_DEFAULT : checkAlign(align, ALIGN_DEFAULT);
    const u32 = this.u32;
    const s = this.s;
    const ptr = (u32[s + S_END] + a - 1) & -a;
    const end = ptr + len;
    if (end > this.limit) return 0;
    u32[s + S_END] = end;
    if (end > u32[s + S_PEAK]) u32[s + S_PEAK] = end;
    u32[s + S_COUNT]++;
    return ptr;
  }

  resize(ptr: number, len: number, newLen: number): boolean {
    this.checkOwned(ptr, len, "resize");
    if ((newLen >>> 0) !== newLen || newLen > HEAP_SIZE_MAX) checkLength("newLen", newLen);
    const u32 = this.u32;
    const s = this.s;
    if (ptr + len !== u32[s + S_END]) return newLen <= len;
    const end = ptr + newLen;
    if (end > this.limit) return false;
    u32[s + S_END] = end;
    if (end > u32[s + S_PEAK]) u32[s + S_PEAK] = end;
    return true;
  }

  remap(ptr: number, len: number, newLen: number, align?: number): number {
    return remapByMove(this, ptr, len, newLen, align);
  }

  free(ptr: number, len: number): void {
    this.checkOwned(ptr, len, "free");
    const u32 = this.u32;
    const s = this.s;
    if (ptr + len === u32[s + S_END]) {
      u32[s + S_END] = ptr;
      u32[s + S_COUNT]--;
    }
  }

  /** Frees everything; peakBytes stays the high-water mark since construction. */
  reset(): void {
    this.u32[this.s + S_END] = this.start;
    this.u32[this.s + S_COUNT] = 0;
  }

  /** True when `ptr` lies in this allocator's region. */
  ownsPtr(ptr: number): boolean {
    return ptr >= this.start && ptr < this.limit;
  }

  isLastAllocation(ptr: number, len: number): boolean {
    return ptr + len === this.u32[this.s + S_END];
  }

  /**
   * A checkpoint: `restore(state)` frees everything allocated after it. The state is one number
   * (no object per call): the allocation count times 2^24 plus the cursor (pointers are below 2^24).
   */
  savestate(): number {
    return this.u32[this.s + S_COUNT] * STATE_COUNT_UNIT + this.u32[this.s + S_END];
  }

  restore(state: number): void {
    const end = state % STATE_COUNT_UNIT;
    const count = (state - end) / STATE_COUNT_UNIT;
    if (typeof state !== "number" || state % 1 !== 0 || end < this.start || end > this.u32[this.s + S_END] || count > this.u32[this.s + S_COUNT]) {
      fail("InvalidArgument", "state must be a value from savestate() no later than now (end " + this.u32[this.s + S_END] + "), got " + describe(state));
    }
    this.u32[this.s + S_END] = end;
    this.u32[this.s + S_COUNT] = count;
  }

  stats(): AllocatorStats {
    const u32 = this.u32;
    const end = u32[this.s + S_END];
    return {
      capacityBytes: this.limit - this.start,
      usedBytes: end - this.start,
      peakBytes: u32[this.s + S_PEAK] - this.start,
      allocationCount: u32[this.s + S_COUNT],
      largestFreeBytes: this.limit - end,
    };
  }

  /** Walks nothing (a bump allocator has no structure to corrupt) but checks the cursor. */
  check(): void {
    const end = this.u32[this.s + S_END];
    if (end < this.start || end > this.limit) fail("Corrupt", "fixed-buffer " + describe(this.region.name) + ": end " + end + " is outside " + this.start + ".." + this.limit);
  }

  private checkOwned(ptr: number, len: number, what: string): void {
    if ((len >>> 0) !== len || len > HEAP_SIZE_MAX) checkLength("len", len);
    // A zero-length allocation owns no bytes: a rollback of the one before it may leave it past the cursor.
    if ((ptr >>> 0) !== ptr || ptr < this.start || ptr + len > (len === 0 ? this.limit : this.u32[this.s + S_END])) {
      fail(what === "free" ? "InvalidFree" : "InvalidArgument", what + ": ptr " + describe(ptr) + " with len " + len + " is not an allocation of fixed-buffer " + describe(this.region.name));
    }
  }
}
export interface FixedBufferAllocator extends TypedHelpers {}
addTypedHelpers(FixedBufferAllocator.prototype);
