import { ALIGN_DEFAULT } from "../allocator.js";
import type { Allocator, AllocatorStats } from "../allocator.js";
import type { BootHeap, Region } from "../heap/boot-heap.js";
import { DEBUG } from "../build-mode.js";
import { assert, checkAlign, checkHeapRegion, checkLength, HEAP_SIZE_MAX } from "../heap/checks.js";
import { describe, fail } from "../heap/errors.js";
import { FIXED_COUNT as S_COUNT, FIXED_END as S_END, FIXED_PEAK as S_PEAK, FIXED_PINNED as S_PINNED, fixedBufferStats } from "./state.js";
import { addTypedHelpers, remapMethod } from "./typed.js";
import type { TypedHelpers } from "./typed.js";

/** savestate() packs the allocation count above the cursor. */
const STATE_COUNT_UNIT = 0x1000000;

/**
 * Bump allocator over one region (Zig's FixedBufferAllocator). Only the most recent
 * allocation can be freed or resized; freeing any other is a no-op. O(1), no metadata
 * per allocation.
 *
 * Checkpoints: `savestate()` pins every allocation live at that moment until a `restore` to an
 * earlier state or a `reset`. A pinned allocation behaves as a buried one: freeing it is a no-op
 * and it cannot grow. So `restore` never hands out bytes an allocation still owns.
 *
 * Invariants (asserted in debug builds): start <= cursor <= limit after every operation; the
 * peak is never below the cursor; the pinned count never exceeds the allocation count.
 */
export class FixedBufferAllocator implements Allocator {
  readonly heap: BootHeap;
  readonly region: Region;
  private readonly u32: Uint32Array;
  /** Word index of the state words in the region's table entry. */
  private readonly stateWord: number;
  private readonly start: number;
  private readonly limit: number;

  constructor(heap: BootHeap, region: Region) {
    checkHeapRegion(heap, region);
    this.heap = heap;
    this.region = region;
    this.stateWord = heap.claim(region, "fixed") >> 2;
    this.u32 = heap.u32;
    this.start = region.offset;
    this.limit = region.offset + region.sizeBytes;
    this.u32[this.stateWord + S_PEAK] = this.start;
    this.reset();
  }

  alloc(len: number, align?: number): number {
    // One test for the usual call (a whole length, the default alignment); the rest is out of line.
    // A length above HEAP_SIZE_MAX cannot fit (the region ends below it): allocSlow throws for it there.
    if ((len >>> 0) !== len || align !== undefined) return this.allocSlow(len, align);
    const u32 = this.u32;
    const s = this.stateWord;
    const ptr = (u32[s /* + S_END (0) */] + (ALIGN_DEFAULT - 1)) & -ALIGN_DEFAULT;
    const end = ptr + len;
    if (end > this.limit) return len > HEAP_SIZE_MAX ? this.allocSlow(len, align) : 0;
    u32[s /* + S_END (0) */] = end;
    if (end > u32[s + S_PEAK]) u32[s + S_PEAK] = end;
    u32[s + S_COUNT]++;
    if (DEBUG) assertState(u32, s, this.start, this.limit);
    return ptr;
  }

  /** alloc with its checks in full and any alignment. */
  private allocSlow(len: number, align: number | undefined): number {
    if ((len >>> 0) !== len || len > HEAP_SIZE_MAX) checkLength("len", len);
    const a = align === undefined ? ALIGN_DEFAULT : checkAlign(align, ALIGN_DEFAULT);
    const u32 = this.u32;
    const s = this.stateWord;
    const ptr = (u32[s + S_END] + a - 1) & -a;
    const end = ptr + len;
    if (end > this.limit) return 0;
    u32[s + S_END] = end;
    if (end > u32[s + S_PEAK]) u32[s + S_PEAK] = end;
    u32[s + S_COUNT]++;
    if (DEBUG) assertState(u32, s, this.start, this.limit);
    return ptr;
  }

  resize(ptr: number, len: number, newLen: number): boolean {
    this.checkOwned(ptr, len, "resize");
    if ((newLen >>> 0) !== newLen || newLen > HEAP_SIZE_MAX) checkLength("newLen", newLen);
    const u32 = this.u32;
    const s = this.stateWord;
    if (ptr + len !== u32[s + S_END] || u32[s + S_COUNT] <= u32[s + S_PINNED]) return newLen <= len;
    const end = ptr + newLen;
    if (end > this.limit) return false;
    u32[s + S_END] = end;
    if (end > u32[s + S_PEAK]) u32[s + S_PEAK] = end;
    if (DEBUG) assertState(u32, s, this.start, this.limit);
    return true;
  }

  /** remapMethod (one function for every allocator, given to the prototype below the class). */
  declare remap: (ptr: number, len: number, newLen: number, align?: number) => number;

  free(ptr: number, len: number): void {
    this.checkOwned(ptr, len, "free");
    const u32 = this.u32;
    const s = this.stateWord;
    if (ptr + len === u32[s + S_END] && u32[s + S_COUNT] > u32[s + S_PINNED]) {
      u32[s + S_END] = ptr;
      u32[s + S_COUNT]--;
      if (DEBUG) assertState(u32, s, this.start, this.limit);
    }
  }

  /** Frees everything and drops every checkpoint; peakBytes stays the high-water mark since construction. */
  reset(): void {
    const s = this.stateWord;
    this.u32[s + S_END] = this.start;
    this.u32[s + S_COUNT] = 0;
    this.u32[s + S_PINNED] = 0;
  }

  /** True when `ptr` lies in this allocator's region. */
  ownsPtr(ptr: number): boolean {
    return ptr >= this.start && ptr < this.limit;
  }

  isLastAllocation(ptr: number, len: number): boolean {
    return ptr + len === this.u32[this.stateWord + S_END];
  }

  /**
   * A checkpoint: `restore(state)` frees everything allocated after it, and the allocations live
   * now are pinned until then (see the class comment). The state is one number (no object per
   * call): the allocation count times 2^24 plus the cursor (pointers are below 2^24).
   */
  savestate(): number {
    const u32 = this.u32;
    const s = this.stateWord;
    u32[s + S_PINNED] = u32[s + S_COUNT];
    return u32[s + S_COUNT] * STATE_COUNT_UNIT + u32[s + S_END];
  }

  restore(state: number): void {
    const u32 = this.u32;
    const s = this.stateWord;
    const end = state % STATE_COUNT_UNIT;
    const count = (state - end) / STATE_COUNT_UNIT;
    if (typeof state !== "number" || state % 1 !== 0 || end < this.start || end > u32[s + S_END] || count > u32[s + S_COUNT]) {
      fail("InvalidArgument", "state must be a value from savestate() no later than now (end " + u32[s + S_END] + "), got " + describe(state));
    }
    u32[s + S_END] = end;
    u32[s + S_COUNT] = count;
    u32[s + S_PINNED] = count;
  }

  stats(): AllocatorStats {
    return fixedBufferStats(this.u32, this.stateWord, this.start, this.limit);
  }

  /** Walks nothing (a bump allocator has no structure to corrupt) but checks the cursor and counts. */
  check(): void {
    const u32 = this.u32;
    const s = this.stateWord;
    const end = u32[s + S_END];
    if (end < this.start || end > this.limit || u32[s + S_PEAK] < end || u32[s + S_PINNED] > u32[s + S_COUNT]) {
      fail("Corrupt", "fixed-buffer " + describe(this.region.name) + ": state words " + end + "," + u32[s + S_PEAK] + "," + u32[s + S_COUNT] + "," + u32[s + S_PINNED]);
    }
  }

  private checkOwned(ptr: number, len: number, what: string): void {
    if ((len >>> 0) !== len || len > HEAP_SIZE_MAX) checkLength("len", len);
    // A zero-length allocation owns no bytes: a rollback of the one before it may leave it past the cursor.
    if ((ptr >>> 0) !== ptr || ptr < this.start || ptr + len > (len === 0 ? this.limit : this.u32[this.stateWord + S_END])) {
      fail(what === "free" ? "InvalidFree" : "InvalidArgument", what + ": ptr " + describe(ptr) + " with len " + len + " is not an allocation of fixed-buffer " + describe(this.region.name));
    }
  }
}
export interface FixedBufferAllocator extends TypedHelpers {}

/** Debug builds: the invariants in the class comment (a function, so release bundles drop it whole). */
function assertState(u32: Uint32Array, s: number, start: number, limit: number): void {
  assert(u32[s + S_END] >= start && u32[s + S_END] <= limit, "fixed-buffer cursor inside its region");
  assert(u32[s + S_PEAK] >= u32[s + S_END], "fixed-buffer peak at or above the cursor");
  assert(u32[s + S_PINNED] <= u32[s + S_COUNT] && u32[s + S_COUNT] < 0x80000000, "fixed-buffer count at or above the pinned count, not negative");
}
addTypedHelpers(FixedBufferAllocator.prototype);
FixedBufferAllocator.prototype.remap = remapMethod;
