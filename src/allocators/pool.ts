import { Allocator, AllocatorStats } from "../allocator.js";
import type { BootHeap, Region } from "../heap/boot-heap.js";
import { alignForward, checkAlign, checkLength, HEAP_SIZE_MAX, isWholeNumber } from "../heap/checks.js";
import { describe, fail } from "../heap/errors.js";
import { createView, destroyView, dupe, remapByMove, TypedArray, TypedArrayConstructor } from "./typed.js";

// State words in the region's table entry.
const S_FREE_HEAD = 0; // first slot of the free list, 0 when empty
const S_BUMP = 1; // next never-used slot: the pool hands out fresh slots lazily, so construction and reset are O(1)
const S_LIVE = 2;
const S_PEAK = 3;
const S_STRIDE = 4;
const S_FIRST = 5;

/**
 * Fixed-size slots with an O(1) free list threaded through the free slots themselves
 * (Zig's MemoryPool). No per-slot header: the whole region is slots.
 */
export class MemoryPool implements Allocator {
  readonly heap: BootHeap;
  readonly region: Region;
  readonly slotSizeBytes: number;
  /** Distance between slots: the slot size rounded up to the alignment (and to 4 for the link). */
  readonly strideBytes: number;
  readonly alignBytes: number;
  readonly slotCount: number;
  private readonly u32: Uint32Array;
  private readonly s: number;
  private readonly first: number;
  private readonly limit: number;

  constructor(heap: BootHeap, region: Region, slotSizeBytes: number, align?: number) {
    if (!isWholeNumber(slotSizeBytes, HEAP_SIZE_MAX) || slotSizeBytes < 1) {
      fail("InvalidArgument", "slotSizeBytes must be a whole number of at least 1, got " + describe(slotSizeBytes));
    }
    const alignBytes = checkAlign(align, 8);
    const strideBytes = alignForward(slotSizeBytes < 4 ? 4 : slotSizeBytes, alignBytes < 4 ? 4 : alignBytes);
    const first = alignForward(region.offset, alignBytes < 4 ? 4 : alignBytes);
    const slotCount = Math.floor((region.offset + region.sizeBytes - first) / strideBytes);
    if (slotCount < 1) {
      fail("InvalidArgument", "region " + describe(region.name) + " of " + region.sizeBytes + " bytes holds no " + strideBytes + "-byte slot");
    }
    this.s = heap.claim(region, "pool") >> 2;
    this.heap = heap;
    this.region = region;
    this.slotSizeBytes = slotSizeBytes;
    this.strideBytes = strideBytes;
    this.alignBytes = alignBytes;
    this.slotCount = slotCount;
    this.u32 = heap.u32;
    this.first = first;
    this.limit = first + slotCount * strideBytes;
    heap.u32[this.s + S_STRIDE] = strideBytes;
    heap.u32[this.s + S_FIRST] = first;
    this.reset();
  }

  /** Bytes a region needs for `slotCount` slots of `slotSizeBytes` at `align`. */
  static regionBytes(slotSizeBytes: number, slotCount: number, align?: number): number {
    const a = checkAlign(align, 8);
    return slotCount * alignForward(slotSizeBytes < 4 ? 4 : slotSizeBytes, a < 4 ? 4 : a);
  }

  /**
   * With no arguments: a slot, or 0 when the pool is exhausted. With a typed-array
   * constructor and a count: a view in one slot (the typed helper every allocator has).
   */
  create(): number;
  create<T extends TypedArray>(ctor: TypedArrayConstructor<T>, count: number): T | null;
  create<T extends TypedArray>(ctor?: TypedArrayConstructor<T>, count?: number): number | T | null {
    if (ctor !== undefined) return createView(this, ctor, count as number);
    const u32 = this.u32;
    const s = this.s;
    let slot = u32[s + S_FREE_HEAD];
    if (slot !== 0) {
      u32[s + S_FREE_HEAD] = u32[slot >> 2];
    } else {
      slot = u32[s + S_BUMP];
      if (slot >= this.limit) return 0;
      u32[s + S_BUMP] = slot + this.strideBytes;
    }
    const live = ++u32[s + S_LIVE];
    if (live > u32[s + S_PEAK]) u32[s + S_PEAK] = live;
    return slot;
  }

  /** Returns a slot (a pointer from create()) or a view from create(ctor, count) to the pool. */
  destroy(ptr: number | TypedArray): void {
    if (typeof ptr !== "number") {
      destroyView(this, ptr);
      return;
    }
    const u32 = this.u32;
    const s = this.s;
    if ((ptr >>> 0) !== ptr || ptr < this.first || ptr >= u32[s + S_BUMP] || (ptr - this.first) % this.strideBytes !== 0) {
      fail("InvalidFree", "ptr " + describe(ptr) + " is not a slot of pool " + describe(this.region.name) + " (slots of " + this.strideBytes + " bytes from " + this.first + ")");
    }
    if (u32[s + S_LIVE] === 0) fail("InvalidFree", "ptr " + ptr + ": pool " + describe(this.region.name) + " has no live slot (double free)");
    u32[ptr >> 2] = u32[s + S_FREE_HEAD];
    u32[s + S_FREE_HEAD] = ptr;
    u32[s + S_LIVE]--;
  }

  dupe(bytes: ArrayLike<number>, align?: number): number {
    return dupe(this, bytes, align);
  }

  alloc(len: number, align?: number): number {
    if ((len >>> 0) !== len || len > HEAP_SIZE_MAX) checkLength("len", len);
    const a = align === undefined ? 1 : checkAlign(align, 1);
    if (len > this.slotSizeBytes || a > this.alignBytes) return 0;
    return this.create();
  }

  resize(ptr: number, len: number, newLen: number): boolean {
    this.checkSlot(ptr, len);
    if ((newLen >>> 0) !== newLen || newLen > HEAP_SIZE_MAX) checkLength("newLen", newLen);
    return newLen <= this.slotSizeBytes;
  }

  remap(ptr: number, len: number, newLen: number, align?: number): number {
    return remapByMove(this, ptr, len, newLen, align);
  }

  free(ptr: number, len: number): void {
    if ((len >>> 0) !== len || len > HEAP_SIZE_MAX) checkLength("len", len);
    if (len > this.slotSizeBytes) {
      fail("InvalidFree", "len " + describe(len) + " cannot be an allocation of pool " + describe(this.region.name) + " (slots of " + this.slotSizeBytes + " bytes)");
    }
    this.destroy(ptr);
  }

  /** Makes every slot free again in O(1). */
  reset(): void {
    const u32 = this.u32;
    const s = this.s;
    u32[s + S_FREE_HEAD] = 0;
    u32[s + S_BUMP] = this.first;
    u32[s + S_LIVE] = 0;
  }

  get liveCount(): number {
    return this.u32[this.s + S_LIVE];
  }

  stats(): AllocatorStats {
    const u32 = this.u32;
    const live = u32[this.s + S_LIVE];
    return {
      capacityBytes: this.slotCount * this.strideBytes,
      usedBytes: live * this.strideBytes,
      peakBytes: u32[this.s + S_PEAK] * this.strideBytes,
      allocationCount: live,
      largestFreeBytes: live < this.slotCount ? this.slotSizeBytes : 0,
    };
  }

  /** Walks the free list (bounded by the slot count) and checks every link and the counts. */
  check(): void {
    const u32 = this.u32;
    const s = this.s;
    const bump = u32[s + S_BUMP];
    const name = describe(this.region.name);
    if (bump < this.first || bump > this.limit || (bump - this.first) % this.strideBytes !== 0) fail("Corrupt", "pool " + name + ": bump cursor " + bump + " is not a slot boundary");
    const issued = (bump - this.first) / this.strideBytes;
    let freeCount = 0;
    for (let slot = u32[s + S_FREE_HEAD]; slot !== 0; slot = u32[slot >> 2]) {
      if (slot < this.first || slot >= bump || (slot - this.first) % this.strideBytes !== 0) fail("Corrupt", "pool " + name + ": free-list link " + slot + " is not an issued slot");
      if (++freeCount > issued) fail("Corrupt", "pool " + name + ": the free list has a cycle");
    }
    if (freeCount + u32[s + S_LIVE] !== issued) fail("Corrupt", "pool " + name + ": " + freeCount + " free + " + u32[s + S_LIVE] + " live slots != " + issued + " issued");
  }

  private checkSlot(ptr: number, len: number): void {
    if ((len >>> 0) !== len || len > this.slotSizeBytes) checkLength("len", len);
    const bump = this.u32[this.s + S_BUMP];
    if ((ptr >>> 0) !== ptr || ptr < this.first || ptr >= bump || (ptr - this.first) % this.strideBytes !== 0) {
      fail("InvalidArgument", "ptr " + describe(ptr) + " is not a slot of pool " + describe(this.region.name));
    }
  }
}
