import { ALIGN_DEFAULT } from "../allocator.js";
import type { Allocator, AllocatorStats } from "../allocator.js";
import type { BootHeap, Region } from "../heap/boot-heap.js";
import { DEBUG } from "../build-mode.js";
import { assert, checkAlign, checkHeapRegion, checkLength, HEAP_SIZE_MAX } from "../heap/checks.js";
import { describe, fail } from "../heap/errors.js";
import { STACK_COUNT as S_COUNT, STACK_CURSOR as S_CURSOR, STACK_FRAME_BYTES, STACK_FRAMES as S_FRAMES, STACK_PEAK as S_PEAK, stackStats } from "./state.js";
import { addTypedHelpers } from "./typed.js";
import type { TypedHelpers } from "./typed.js";

export { STACK_FRAME_BYTES };

/**
 * LIFO allocator. The frame records, kept apart from the data, let `free` prove the pointer
 * is the top one: out-of-order or foreign frees throw InvalidFree and change nothing.
 *
 * Invariants (asserted in debug builds after alloc, resize and free): start <= cursor <=
 * frames <= limit; frames = limit - count * STACK_FRAME_BYTES (so the count is never negative);
 * the top frame's pointer lies between the cursor before it and the cursor.
 */
export class StackAllocator implements Allocator {
  readonly heap: BootHeap;
  readonly region: Region;
  private readonly u32: Uint32Array;
  /** Word index of the state words in the region's table entry. */
  private readonly stateWord: number;
  private readonly start: number;
  private readonly limit: number;

  constructor(heap: BootHeap, region: Region) {
    checkHeapRegion(heap, region);
    const limit = (region.offset + region.sizeBytes) & ~3;
    if (limit - region.offset < STACK_FRAME_BYTES + 1) {
      fail("InvalidArgument", "region " + describe(region.name) + " of " + region.sizeBytes + " bytes is too small for a stack");
    }
    this.stateWord = heap.claim(region, "stack") >> 2;
    this.heap = heap;
    this.region = region;
    this.u32 = heap.u32;
    this.start = region.offset;
    this.limit = limit;
    this.reset();
  }

  alloc(len: number, align?: number): number {
    // One test for the usual call (a whole length, the default alignment), notePeak written out; the
    // rest is out of line. A length above HEAP_SIZE_MAX cannot fit: allocSlow throws for it there.
    if ((len >>> 0) !== len || align !== undefined) return this.allocSlow(len, align);
    const u32 = this.u32;
    const s = this.stateWord;
    const cursor = u32[s /* + S_CURSOR (0) */];
    const ptr = (cursor + (ALIGN_DEFAULT - 1)) & -ALIGN_DEFAULT;
    const frames = u32[s + S_FRAMES] - STACK_FRAME_BYTES;
    if (ptr + len > frames) return len > HEAP_SIZE_MAX ? this.allocSlow(len, align) : 0;
    u32[frames >> 2] = ptr;
    u32[(frames >> 2) + 1] = cursor;
    u32[s /* + S_CURSOR (0) */] = ptr + len;
    u32[s + S_FRAMES] = frames;
    u32[s + S_COUNT]++;
    const used = this.limit - frames + ptr + len - this.start;
    if (used > u32[s + S_PEAK]) u32[s + S_PEAK] = used;
    if (DEBUG) assertTop(this.u32, this.stateWord, this.start, this.limit);
    return ptr;
  }

  /** alloc with its checks in full and any alignment. */
  private allocSlow(len: number, align: number | undefined): number {
    if ((len >>> 0) !== len || len > HEAP_SIZE_MAX) checkLength("len", len);
    const a = align === undefined ? ALIGN_DEFAULT : checkAlign(align, ALIGN_DEFAULT);
    const u32 = this.u32;
    const s = this.stateWord;
    const cursor = u32[s + S_CURSOR];
    const ptr = (cursor + a - 1) & -a;
    const frames = u32[s + S_FRAMES] - STACK_FRAME_BYTES;
    if (ptr + len > frames) return 0;
    u32[frames >> 2] = ptr;
    u32[(frames >> 2) + 1] = cursor;
    u32[s + S_CURSOR] = ptr + len;
    u32[s + S_FRAMES] = frames;
    u32[s + S_COUNT]++;
    this.notePeak();
    if (DEBUG) assertTop(this.u32, this.stateWord, this.start, this.limit);
    return ptr;
  }


  /** Only the top allocation can change size; others succeed only when the size stays. */
  resize(ptr: number, len: number, newLen: number): boolean {
    if ((newLen >>> 0) !== newLen || newLen > HEAP_SIZE_MAX) checkLength("newLen", newLen);
    if (!this.isTop(ptr, len)) {
      this.checkLive(ptr, "resize");
      return newLen === len;
    }
    if (ptr + newLen > this.u32[this.stateWord + S_FRAMES]) return false;
    this.u32[this.stateWord + S_CURSOR] = ptr + newLen;
    this.notePeak();
    if (DEBUG) assertTop(this.u32, this.stateWord, this.start, this.limit);
    return true;
  }

  /** A stack cannot move an allocation (its old place could not be freed out of order): in place or 0. */
  remap(ptr: number, len: number, newLen: number, align?: number): number {
    const a = align === undefined ? 1 : checkAlign(align, ALIGN_DEFAULT);
    if ((ptr & (a - 1)) !== 0) {
      // It would have to move to meet the alignment; check the call all the same.
      this.resize(ptr, len, len);
      checkLength("newLen", newLen);
      return 0;
    }
    return this.resize(ptr, len, newLen) ? ptr : 0;
  }

  free(ptr: number, len: number): void {
    const u32 = this.u32;
    const s = this.stateWord;
    const frames = u32[s + S_FRAMES];
    // isTop's test in one (a length above HEAP_SIZE_MAX cannot end at the cursor); the errors out of line.
    if ((len >>> 0) !== len || u32[s + S_COUNT] === 0 || ptr !== u32[frames >> 2] || ptr + len !== u32[s /* + S_CURSOR (0) */]) {
      this.freeSlow(ptr, len);
      return;
    }
    u32[s /* + S_CURSOR (0) */] = u32[(frames >> 2) + 1];
    u32[s + S_FRAMES] = frames + STACK_FRAME_BYTES;
    u32[s + S_COUNT]--;
    if (DEBUG) assertTop(this.u32, this.stateWord, this.start, this.limit);
  }

  /** free's checks in full, when its one test failed (isTop's test is the same, so this throws). */
  private freeSlow(ptr: number, len: number): void {
    if (!this.isTop(ptr, len)) {
      const u32 = this.u32;
      const frames = u32[this.stateWord + S_FRAMES];
      const top = u32[this.stateWord + S_COUNT] === 0 ? "the stack is empty" : "the top is ptr " + u32[frames >> 2] + " with len " + (u32[this.stateWord + S_CURSOR] - u32[frames >> 2]);
      fail("InvalidFree", "free(" + describe(ptr) + ", " + describe(len) + ") is out of order on stack " + describe(this.region.name) + ": " + top);
    }
  }



  /** The top allocation's pointer, or 0 when the stack is empty. */
  top(): number {
    return this.u32[this.stateWord + S_COUNT] === 0 ? 0 : this.u32[this.u32[this.stateWord + S_FRAMES] >> 2];
  }

  /** Frees everything; peakBytes stays the high-water mark since construction. */
  reset(): void {
    const u32 = this.u32;
    u32[this.stateWord + S_CURSOR] = this.start;
    u32[this.stateWord + S_FRAMES] = this.limit;
    u32[this.stateWord + S_COUNT] = 0;
  }

  stats(): AllocatorStats {
    return stackStats(this.u32, this.stateWord, this.start, this.limit);
  }

  /** Walks the frame records (bounded by the count) and checks that they nest. */
  check(): void {
    const u32 = this.u32;
    const s = this.stateWord;
    const name = describe(this.region.name);
    const count = u32[s + S_COUNT];
    const frames = u32[s + S_FRAMES];
    if (frames !== this.limit - count * STACK_FRAME_BYTES) fail("Corrupt", "stack " + name + ": " + count + " frames but records start at " + frames);
    let above = u32[s + S_CURSOR];
    for (let f = frames; f < this.limit; f += STACK_FRAME_BYTES) {
      const ptr = u32[f >> 2];
      const before = u32[(f >> 2) + 1];
      if (ptr < before || ptr > above || before < this.start) fail("Corrupt", "stack " + name + ": frame at " + f + " (ptr " + ptr + ", cursor before " + before + ") does not nest");
      above = before;
    }
    if (above !== this.start) fail("Corrupt", "stack " + name + ": the bottom frame does not start at the region start");
  }

  private isTop(ptr: number, len: number): boolean {
    if ((len >>> 0) !== len || len > HEAP_SIZE_MAX) checkLength("len", len);
    const u32 = this.u32;
    return u32[this.stateWord + S_COUNT] !== 0 && ptr === u32[u32[this.stateWord + S_FRAMES] >> 2] && ptr + len === u32[this.stateWord + S_CURSOR];
  }

  private checkLive(ptr: number, what: string): void {
    const u32 = this.u32;
    for (let f = u32[this.stateWord + S_FRAMES]; f < this.limit; f += STACK_FRAME_BYTES) {
      if (u32[f >> 2] === ptr) return;
    }
    fail("InvalidArgument", what + ": ptr " + describe(ptr) + " is not a live allocation of stack " + describe(this.region.name));
  }

  private notePeak(): void {
    const u32 = this.u32;
    const used = this.limit - u32[this.stateWord + S_FRAMES] + u32[this.stateWord + S_CURSOR] - this.start;
    if (used > u32[this.stateWord + S_PEAK]) u32[this.stateWord + S_PEAK] = used;
  }
}
export interface StackAllocator extends TypedHelpers {}
addTypedHelpers(StackAllocator.prototype);

/** Debug builds: the invariants in the class comment (a function, so release bundles drop it whole). */
function assertTop(u32: Uint32Array, s: number, start: number, limit: number): void {
  const cursor = u32[s + S_CURSOR];
  const frames = u32[s + S_FRAMES];
  assert(cursor >= start && cursor <= frames && frames <= limit, "stack cursor and frame records inside the region, apart");
  assert(frames === limit - u32[s + S_COUNT] * STACK_FRAME_BYTES, "stack frame count matches the records");
  assert(frames === limit || (u32[frames >> 2] >= u32[(frames >> 2) + 1] && u32[frames >> 2] <= cursor), "stack top frame nests");
}
