import type { Allocator, AllocatorStats } from "../allocator.js";
import type { BootHeap, Region } from "../heap/boot-heap.js";
import { DEBUG } from "../build-mode.js";
import { alignForward, assert, checkAlign, checkHeapRegion, checkLength, HEAP_SIZE_MAX, isWholeNumber, log2 } from "../heap/checks.js";
import { describe, fail } from "../heap/errors.js";
import { POOL_BUMP as S_BUMP, POOL_FIRST as S_FIRST, POOL_FREE_HEAD as S_FREE_HEAD, POOL_LIVE as S_LIVE, POOL_PEAK as S_PEAK, POOL_SLOT_SIZE as S_SLOT_SIZE, poolFreeSlots, poolGeometry, poolStats, poolStride } from "./state.js";
import { createView, destroyView, dupeMethod, remapMethod } from "./typed.js";
import type { TypedArray, TypedArrayConstructor } from "./typed.js";

/**
 * Fixed-size slots with an O(1) free list threaded through the free slots themselves
 * (Zig's MemoryPool). No per-slot header: the whole region is slots.
 *
 * Release builds keep the O(1) path: a double free while other slots are live goes unnoticed
 * there. Debug builds instrument pools (`instrument()`, and every firmware's pools): a bitmap of
 * live slots in a debug region of its own makes such a free throw InvalidFree.
 *
 * Invariants (asserted in debug builds): a slot handed out is an issued slot boundary inside the
 * region and (instrumented) not already live; the free-list head is 0 or an issued slot; the
 * live count never exceeds the issued slots (so it is never negative).
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
  /** Word index of the state words in the region's table entry. */
  private readonly stateWord: number;
  private readonly first: number;
  private readonly limit: number;
  /** Debug builds: byte offset of the live-slot bitmap once instrumented, else 0 (set by instrument()). */
  declare liveSlots: number;

  constructor(heap: BootHeap, region: Region, slotSizeBytes: number, align?: number) {
    checkHeapRegion(heap, region);
    if (!isWholeNumber(slotSizeBytes, HEAP_SIZE_MAX) || slotSizeBytes < 1) {
      fail("InvalidArgument", "slotSizeBytes must be a whole number of at least 1, got " + describe(slotSizeBytes));
    }
    const alignBytes = checkAlign(align, 8);
    const strideBytes = poolStride(slotSizeBytes, alignBytes);
    const first = alignForward(region.offset, alignBytes < 4 ? 4 : alignBytes);
    const slotCount = Math.floor((region.offset + region.sizeBytes - first) / strideBytes);
    if (slotCount < 1) {
      fail("InvalidArgument", "region " + describe(region.name) + " of " + region.sizeBytes + " bytes holds no " + strideBytes + "-byte slot");
    }
    this.stateWord = heap.claim(region, "pool") >> 2;
    this.heap = heap;
    this.region = region;
    this.slotSizeBytes = slotSizeBytes;
    this.strideBytes = strideBytes;
    this.alignBytes = alignBytes;
    this.slotCount = slotCount;
    this.u32 = heap.u32;
    this.first = first;
    this.limit = first + slotCount * strideBytes;
    if (DEBUG) this.liveSlots = 0;
    heap.u32[this.stateWord + S_SLOT_SIZE] = slotSizeBytes;
    heap.u32[this.stateWord + S_FIRST] = first | (log2(alignBytes) << 24);
    this.reset();
  }

  /** Bytes a region needs for `slotCount` slots of `slotSizeBytes` at `align`. */
  static regionBytes(slotSizeBytes: number, slotCount: number, align?: number): number {
    return slotCount * poolStride(slotSizeBytes, checkAlign(align, 8));
  }

  /**
   * With no arguments: a slot, or 0 when the pool is exhausted. With a typed-array
   * constructor and a count: a view in one slot (the typed helper every allocator has).
   */
  create(): number;
  create<T extends TypedArray>(ctor: TypedArrayConstructor<T>, count: number): T | null;
  create<T extends TypedArray>(ctor?: TypedArrayConstructor<T>, count?: number): number | T | null {
    if (ctor !== undefined) return createView(this, ctor, count as number);
    // The same few statements as alloc's (a second call would cost more than them on an interpreter).
    const u32 = this.u32;
    const s = this.stateWord;
    let slot = u32[s /* + S_FREE_HEAD (0) */];
    if (slot !== 0) {
      u32[s /* + S_FREE_HEAD (0) */] = u32[slot >> 2];
      u32[s + S_LIVE]++;
    } else {
      slot = u32[s + S_BUMP];
      if (slot >= this.limit) return 0;
      u32[s + S_BUMP] = slot + this.strideBytes;
      // A fresh slot is taken only when none is free, when the live count equals the slots issued:
      // the only time it can pass the peak.
      if (++u32[s + S_LIVE] > u32[s + S_PEAK]) u32[s + S_PEAK] = u32[s + S_LIVE];
    }
    if (DEBUG) assertSlot(this.heap, s, this.first, this.strideBytes, this.limit, this.liveSlots, this.region.name, slot, true);
    return slot;
  }

  /** Returns a slot (a pointer from create()) or a view from create(ctor, count) to the pool. */
  destroy(ptr: number | TypedArray): void {
    const u32 = this.u32;
    const s = this.stateWord;
    // One test for the valid case; the detailed checks and errors are out of line (releaseSlow).
    if (((ptr as number) >>> 0) !== ptr || ptr < this.first || ptr >= u32[s + S_BUMP] || (ptr - this.first) % this.strideBytes !== 0 || u32[s + S_LIVE] === 0) {
      this.releaseSlow(ptr, undefined);
      return;
    }
    if (DEBUG) assertSlot(this.heap, s, this.first, this.strideBytes, this.limit, this.liveSlots, this.region.name, ptr, false);
    u32[ptr >> 2] = u32[s /* + S_FREE_HEAD (0) */];
    u32[s /* + S_FREE_HEAD (0) */] = ptr;
    u32[s + S_LIVE]--;
  }

  /** The typed helper (one function for every allocator, given to the prototype below the class). */
  declare dupe: (bytes: ArrayLike<number>, align?: number) => number;

  alloc(len: number, align?: number): number {
    // One test for the usual call (a whole length that fits, no alignment asked); the rest is out of line.
    if ((len >>> 0) !== len || len > this.slotSizeBytes || align !== undefined) return this.allocSlow(len, align);
    const u32 = this.u32;
    const s = this.stateWord;
    let slot = u32[s /* + S_FREE_HEAD (0) */];
    if (slot !== 0) {
      u32[s /* + S_FREE_HEAD (0) */] = u32[slot >> 2];
      u32[s + S_LIVE]++;
    } else {
      slot = u32[s + S_BUMP];
      if (slot >= this.limit) return 0;
      u32[s + S_BUMP] = slot + this.strideBytes;
      if (++u32[s + S_LIVE] > u32[s + S_PEAK]) u32[s + S_PEAK] = u32[s + S_LIVE];
    }
    if (DEBUG) assertSlot(this.heap, s, this.first, this.strideBytes, this.limit, this.liveSlots, this.region.name, slot, true);
    return slot;
  }

  resize(ptr: number, len: number, newLen: number): boolean {
    if ((len >>> 0) !== len || len > this.slotSizeBytes) checkLength("len", len);
    if ((ptr >>> 0) !== ptr || ptr < this.first || ptr >= this.u32[this.stateWord + S_BUMP] || (ptr - this.first) % this.strideBytes !== 0) {
      fail("InvalidArgument", "ptr " + describe(ptr) + " is not a slot of pool " + describe(this.region.name));
    }
    if ((newLen >>> 0) !== newLen || newLen > HEAP_SIZE_MAX) checkLength("newLen", newLen);
    return newLen <= this.slotSizeBytes;
  }

  /** remapMethod (one function for every allocator, given to the prototype below the class). */
  declare remap: (ptr: number, len: number, newLen: number, align?: number) => number;

  free(ptr: number, len: number): void {
    const u32 = this.u32;
    const s = this.stateWord;
    // One test for the valid case (as destroy's, plus the length); the detailed errors are out of line.
    if ((len >>> 0) !== len || len > this.slotSizeBytes || (ptr >>> 0) !== ptr || ptr < this.first || ptr >= u32[s + S_BUMP] || (ptr - this.first) % this.strideBytes !== 0 || u32[s + S_LIVE] === 0) {
      this.releaseSlow(ptr, len);
      return;
    }
    if (DEBUG) assertSlot(this.heap, s, this.first, this.strideBytes, this.limit, this.liveSlots, this.region.name, ptr, false);
    u32[ptr >> 2] = u32[s /* + S_FREE_HEAD (0) */];
    u32[s /* + S_FREE_HEAD (0) */] = ptr;
    u32[s + S_LIVE]--;
  }

  /** Makes every slot free again in O(1). */
  reset(): void {
    const u32 = this.u32;
    const s = this.stateWord;
    u32[s + S_FREE_HEAD] = 0;
    u32[s + S_BUMP] = this.first;
    u32[s + S_LIVE] = 0;
    if (DEBUG && this.liveSlots !== 0) {
      for (let i = 0; i < (this.slotCount + 7) >> 3; i++) this.heap.u8[this.liveSlots + i] = 0;
    }
  }

  get liveCount(): number {
    return this.u32[this.stateWord + S_LIVE];
  }

  stats(): AllocatorStats {
    return poolStats(this.u32, this.stateWord, this.region.offset + this.region.sizeBytes);
  }

  /** Walks the free list (bounded by the slots issued) and checks every link and the counts. */
  check(): void {
    const u32 = this.u32;
    const s = this.stateWord;
    const name = describe(this.region.name);
    const geometry = poolGeometry(u32, s, this.region.offset + this.region.sizeBytes);
    const freeCount = poolFreeSlots(u32, s, geometry, name, null);
    const issued = (u32[s + S_BUMP] - this.first) / this.strideBytes;
    if (freeCount + u32[s + S_LIVE] !== issued) fail("Corrupt", "pool " + name + ": " + freeCount + " free + " + u32[s + S_LIVE] + " live slots != " + issued + " issued");
  }

  /** alloc's checks in full, when its one test failed: throws for a bad argument, else 0 or a slot. */
  private allocSlow(len: number, align: number | undefined): number {
    if ((len >>> 0) !== len || len > HEAP_SIZE_MAX) checkLength("len", len);
    const a = checkAlign(align, 1);
    if (len > this.slotSizeBytes || a > this.alignBytes) return 0;
    return this.create();
  }

  /**
   * The checks of destroy (`len` undefined) or free in full, when their one test failed: a view
   * goes back by its offset; else throws the error that names the bad argument. One function for
   * both: on Espruino every function defined holds JsVars.
   */
  private releaseSlow(ptr: number | TypedArray, len: number | undefined): void {
    if (len !== undefined) {
      if ((len >>> 0) !== len || len > HEAP_SIZE_MAX) checkLength("len", len);
      if (len > this.slotSizeBytes) {
        fail("InvalidFree", "len " + describe(len) + " cannot be an allocation of pool " + describe(this.region.name) + " (slots of " + this.slotSizeBytes + " bytes)");
      }
    } else if (typeof ptr !== "number") {
      destroyView(this, ptr);
      return;
    }
    // A view given to free() is no pointer: it fails the first test.
    const slot = ptr as number;
    if ((slot >>> 0) !== slot || slot < this.first || slot >= this.u32[this.stateWord + S_BUMP] || (slot - this.first) % this.strideBytes !== 0) {
      fail("InvalidFree", "ptr " + describe(slot) + " is not a slot of pool " + describe(this.region.name) + " (slots of " + this.strideBytes + " bytes from " + this.first + ")");
    }
    if (this.u32[this.stateWord + S_LIVE] === 0) fail("InvalidFree", "ptr " + slot + ": pool " + describe(this.region.name) + " has no live slot (double free)");
    // Unreachable: the one test in destroy and free passes whenever these checks do.
    this.destroy(slot);
  }
}

MemoryPool.prototype.dupe = dupeMethod;
MemoryPool.prototype.remap = remapMethod;

/**
 * Debug builds: the invariants of a slot being handed out (`live`) or given back (see the class
 * comment) and, once instrumented (`liveSlots` != 0), its bit in the live-slot bitmap: a slot given
 * back that is not live is a double free, InvalidFree before anything changed. A function, so
 * release bundles drop it whole.
 */
function assertSlot(heap: BootHeap, s: number, first: number, stride: number, limit: number, liveSlots: number, name: string, slot: number, live: boolean): void {
  const u32 = heap.u32;
  assert(slot >= first && slot < limit && (slot - first) % stride === 0, "pool slot is a slot boundary inside the region");
  assert(u32[s + S_FREE_HEAD] === 0 || (u32[s + S_FREE_HEAD] >= first && u32[s + S_FREE_HEAD] < u32[s + S_BUMP]), "pool free-list head is an issued slot");
  assert(u32[s + S_LIVE] <= (u32[s + S_BUMP] - first) / stride, "pool live count within the issued slots");
  if (liveSlots === 0) return;
  const index = (slot - first) / stride;
  const at = liveSlots + (index >> 3);
  const bit = 1 << (index & 7);
  const u8 = heap.u8;
  if (live) {
    assert((u8[at] & bit) === 0, "pool slot handed out is not live");
    u8[at] |= bit;
  } else {
    if ((u8[at] & bit) === 0) fail("InvalidFree", "ptr " + slot + " is not a live slot of pool " + describe(name) + " (double free)");
    u8[at] &= ~bit;
  }
}
