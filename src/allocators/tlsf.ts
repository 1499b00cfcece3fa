import type { Allocator } from "../allocator.js";
import type { BootHeap, Region } from "../heap/boot-heap.js";
import { DEBUG } from "../build-mode.js";
import { assert, checkAlign, checkHeapRegion, checkLength, HEAP_SIZE_MAX } from "../heap/checks.js";
import { describe, fail } from "../heap/errors.js";
import type { ErrorCode } from "../heap/errors.js";
import { copyBytes } from "../heap/memory.js";
import {
  TLSF_BLOCK_MIN_BYTES, TLSF_CONFIG as S_CONFIG, TLSF_COUNT as S_COUNT, TLSF_FIRST as S_FIRST, TLSF_FL as S_FL, TLSF_FREE as FREE,
  TLSF_PEAK as S_PEAK, TLSF_PREV_FREE as PREV_FREE, TLSF_SIZE_MASK as SIZE_MASK, TLSF_USED as S_USED, tlsfCheckBits, tlsfLast, tlsfStats,
} from "./state.js";
import type { TlsfStats } from "./state.js";
import { addTypedHelpers } from "./typed.js";
import type { TypedHelpers } from "./typed.js";

export { TLSF_BLOCK_MIN_BYTES };
export type { TlsfStats };

// A two-level segregated-fit heap (TLSF, Masmano et al. 2004) inside one region. Every
// operation is a fixed sequence of steps: no loop in alloc, free, resize (docs/TLSF.md).
//
// Region layout:
//   control block: flCount u32 second-level bitmaps, then flCount << slLog2 u32 list heads
//   blocks:        one after another from `first` to `last`; each starts with a 4-byte header
//   sentinel:      a used, zero-size block header at `last`, so every block has a next block
//
// A block's header address is 4 mod 8, so its payload (header + 4) is 8-aligned, and every
// block size (header included) is a multiple of 8, at least 16. Header word:
//   bits 0..23  size in bytes (bits 0..2 are zero in the size, reused as flags):
//     bit 0     FREE       this block is free
//     bit 1     PREV_FREE  the block before it is free (so the word before this header is
//                          that block's boundary tag: the address of its header)
//   bits 24..31 a check byte derived from the header's address and size: free() validates a
//               pointer from its own header in O(1), without searching.
// A free block also holds: +4 next free block, +8 previous free block (header addresses, 0 =
// none), and in its last word its own header address (the boundary tag the next block reads).
// A used block keeps only its 4-byte header.

// The state words, header bits and check byte are in state.ts (shared with inspection).
//
// Invariants (asserted in debug builds): `find` returns 0 or a free block of at least the size
// asked for that lies inside the blocks; after `link` the block heads its list, its list's
// bitmap bits are set and its boundary tag names it; after `unlink` the neighbours no longer
// name it and an emptied list has its bitmap bit clear; every free-list link is 0 or a block
// header inside [first, last); the used bytes and the allocation count never go negative.

/** Bytes of metadata a used block carries: its header. */
export const TLSF_BLOCK_HEADER_BYTES = 4;

/**
 * Worst-case number of steps per operation. A step is one call of a loop-free primitive:
 * `live` (validate a pointer), `find` (bitmap search), `unlink` / `link` (free-list removal /
 * insertion). alloc, free and resize contain no loops and call no other loop, so these bound
 * their whole work (test/tlsf-steps.test.ts proves both). remap adds the copy of
 * min(len, newLen) bytes when it has to move.
 */
export const TLSF_STEPS_MAX = { alloc: 4, free: 4, resize: 3, remap: 10 };

// msb of a byte (LOG2[0] is unused) and, for a power of two 2^k below 2^32, k from 2^k mod 37
// (37 is prime and 2 is a primitive root of it, so the 32 residues differ): find-first-set
// and find-last-set without Math.clz32, which Espruino lacks.
const LOG2 = new Uint8Array(256);
const LOWBIT = new Uint8Array(37);
for (let i = 2; i < 256; i++) LOG2[i] = LOG2[i >> 1] + 1;
for (let k = 0, p = 1; k < 32; k++, p *= 2) LOWBIT[p % 37] = k;

/** Index of the highest set bit of n (1 <= n < 2^24). */
function msb(n: number): number {
  return n >= 65536 ? 16 + LOG2[n >>> 16] : n >= 256 ? 8 + LOG2[n >>> 8] : LOG2[n];
}

/** Index of the lowest set bit of x (x != 0, any 32-bit pattern). */
function ffs(x: number): number {
  return LOWBIT[((x & -x) >>> 0) % 37];
}

/** Second-level bits per first level for a region of `sizeBytes`: small regions spend less on lists. */
function slLog2For(sizeBytes: number): number {
  return sizeBytes < 16384 ? 3 : sizeBytes < 1048576 ? 4 : 5;
}

/** List index (fl << slLog2 | sl) of a block of `size` bytes. */
function listIndex(size: number, slLog2: number): number {
  if (size < 8 << slLog2) return size >>> 3;
  const m = msb(size);
  return (size >>> (m - slLog2)) + ((m - slLog2 - 3) << slLog2);
}

export interface TlsfLayout {
  slLog2: number;
  flCount: number;
  /** Bitmaps and list heads at the region start. */
  controlBytes: number;
  /** Header address of the first block and of the sentinel. */
  first: number;
  last: number;
}

/** Where the control block and blocks of a TLSF heap over [offset, offset + sizeBytes) go. */
export function tlsfLayout(offset: number, sizeBytes: number): TlsfLayout {
  const start = (offset + 3) & ~3;
  const end = offset + sizeBytes;
  const slLog2 = slLog2For(sizeBytes);
  const span = (end - start) & ~7;
  // The fewest first levels whose lists still cover the largest block that is left once the
  // control block is placed (a bigger control block leaves a smaller largest block).
  const upper = levelsFor(span, slLog2);
  for (let flCount = 1; flCount < upper; flCount++) {
    const fit = placeBlocks(start, end, flCount, slLog2);
    if (levelsFor(fit.last - fit.first, slLog2) <= flCount) return fit;
  }
  return placeBlocks(start, end, upper, slLog2);
}

function levelsFor(maxBlock: number, slLog2: number): number {
  return maxBlock < 8 << slLog2 ? 1 : (listIndex(maxBlock, slLog2) >> slLog2) + 1;
}

function placeBlocks(start: number, end: number, flCount: number, slLog2: number): TlsfLayout {
  const controlBytes = (flCount + (flCount << slLog2)) * 4;
  const first = ((start + controlBytes + 4 + 7) & ~7) - 4;
  const last = tlsfLast(first, end);
  return { slLog2: slLog2, flCount: flCount, controlBytes: controlBytes, first: first, last: last };
}

/**
 * General-purpose heap over one region: a two-level segregated fit allocator (TLSF) with
 * O(1) alloc, free and resize, immediate coalescing, a 4-byte header per used block and all
 * of its metadata inside the region. Frees in any order; a pointer that is not a live block
 * (double free, interior or foreign pointer) throws InvalidFree and changes nothing.
 */
export class TlsfAllocator implements Allocator {
  readonly heap: BootHeap;
  readonly region: Region;
  readonly slLog2: number;
  readonly flCount: number;
  readonly controlBytes: number;
  private readonly u32: Uint32Array;
  /** Word index of the state words in the region's table entry. */
  private readonly stateWord: number;
  /** Word index of the second-level bitmaps, and of the list heads that follow them. */
  private readonly slBitmaps: number;
  private readonly listHeads: number;
  private readonly first: number;
  private readonly last: number;
  /** Size of the largest block there can be (the whole heap free). */
  private readonly maxBlock: number;
  /** Blocks below this many bytes have one exact list per 8 bytes (first level 0). */
  private readonly small: number;

  constructor(heap: BootHeap, region: Region) {
    checkHeapRegion(heap, region);
    const layout = tlsfLayout(region.offset, region.sizeBytes);
    if (layout.last - layout.first < TLSF_BLOCK_MIN_BYTES) {
      fail("InvalidArgument", "region " + describe(region.name) + " of " + region.sizeBytes + " bytes is too small for a TLSF heap (control block " + layout.controlBytes + " bytes + a " + TLSF_BLOCK_MIN_BYTES + "-byte block + 4-byte sentinel)");
    }
    const stateWord = heap.claim(region, "tlsf") >> 2;
    // Hot fields first: Espruino finds a property by walking the object's property list.
    this.u32 = heap.u32;
    this.stateWord = stateWord;
    this.slBitmaps = ((region.offset + 3) & ~3) >> 2;
    this.listHeads = this.slBitmaps + layout.flCount;
    this.small = 8 << layout.slLog2;
    this.slLog2 = layout.slLog2;
    this.flCount = layout.flCount;
    this.first = layout.first;
    this.last = layout.last;
    this.maxBlock = layout.last - layout.first;
    this.heap = heap;
    this.region = region;
    this.controlBytes = layout.controlBytes;
    this.u32[this.stateWord + S_CONFIG] = layout.slLog2 | (layout.flCount << 8);
    this.u32[this.stateWord + S_FIRST] = layout.first;
    this.u32[this.stateWord + S_PEAK] = 0;
    this.u32[this.stateWord + S_FL] = 0;
    for (let i = this.slBitmaps; i < this.listHeads + (layout.flCount << layout.slLog2); i++) this.u32[i] = 0;
    this.reset();
  }

  /** Bytes of control block (bitmaps and list heads) a region of `sizeBytes` spends. */
  static controlBytes(sizeBytes: number): number {
    return tlsfLayout(0, sizeBytes).controlBytes;
  }

  alloc(len: number, align?: number): number {
    // One test for the usual call (a whole length whose block can exist, no alignment or 8); the
    // checks in full and aligned blocks are out of line. (len + 11) & ~7 exceeds maxBlock, a
    // multiple of 8, exactly when len > maxBlock - 4.
    if ((len >>> 0) !== len || len > this.maxBlock - 4 || (align !== undefined && align !== 8)) return this.allocSlow(len, align);
    const n = len < 5 ? TLSF_BLOCK_MIN_BYTES : (len + 11) & ~7;
    let h = this.find(n);
    if (h === 0) return 0;
    const u32 = this.u32;
    if (DEBUG) {
      assert((u32[h >> 2] & FREE) !== 0 && (u32[h >> 2] & SIZE_MASK) >= n, "tlsf find returns a free block of the size asked");
      assertLink(h, this.first, this.last);
    }
    let size = u32[h >> 2] & SIZE_MASK;
    this.unlink(h, size);
    if (size - n >= TLSF_BLOCK_MIN_BYTES) {
      this.link(h + n, size - n);
      size = n;
    } else {
      u32[(h + size) >> 2] &= ~PREV_FREE;
    }
    // The header with its check byte (tlsfCheckBits, written out: a call costs more on an interpreter).
    u32[h >> 2] = size | ((((h >>> 3) ^ (size >>> 3) ^ (size >>> 11) ^ 0xb7) & 255) << 24);
    const s = this.stateWord;
    const used = (u32[s + S_USED] += size);
    if (used > u32[s + S_PEAK]) u32[s + S_PEAK] = used;
    u32[s + S_COUNT]++;
    return h + 4;
  }

  /** alloc with its checks in full and any alignment (alloc's one test sends the rest here). */
  private allocSlow(len: number, align: number | undefined): number {
    if ((len >>> 0) !== len || len > HEAP_SIZE_MAX) checkLength("len", len);
    const a = align === undefined || align === 8 ? 8 : checkAlign(align, 8);
    let n = (len + 11) & ~7;
    if (n < TLSF_BLOCK_MIN_BYTES) n = TLSF_BLOCK_MIN_BYTES;
    const want = a > 8 ? n + a + TLSF_BLOCK_MIN_BYTES : n;
    if (want > this.maxBlock) return 0;
    let h = this.find(want);
    if (h === 0) return 0;
    const u32 = this.u32;
    if (DEBUG) {
      assert((u32[h >> 2] & FREE) !== 0 && (u32[h >> 2] & SIZE_MASK) >= want, "tlsf find returns a free block of the size asked");
      assertLink(h, this.first, this.last);
    }
    let size = u32[h >> 2] & SIZE_MASK;
    this.unlink(h, size);
    let prevFree = 0;
    if (a > 8) {
      // Split the front off so the payload lands on the alignment; the gap is a free block.
      let gap = ((h + 4 + a - 1) & -a) - (h + 4);
      if (gap !== 0) {
        if (gap < TLSF_BLOCK_MIN_BYTES) gap += a;
        this.link(h, gap);
        h += gap;
        size -= gap;
        prevFree = PREV_FREE;
      }
    }
    if (size - n >= TLSF_BLOCK_MIN_BYTES) {
      this.link(h + n, size - n);
      size = n;
    } else {
      u32[(h + size) >> 2] &= ~PREV_FREE;
    }
    u32[h >> 2] = size | prevFree | tlsfCheckBits(h, size);
    const s = this.stateWord;
    const used = (u32[s + S_USED] += size);
    if (used > u32[s + S_PEAK]) u32[s + S_PEAK] = used;
    u32[s + S_COUNT]++;
    return h + 4;
  }

  resize(ptr: number, len: number, newLen: number): boolean {
    const h = this.live(ptr, len, "InvalidArgument", "resize");
    if ((newLen >>> 0) !== newLen || newLen > HEAP_SIZE_MAX) checkLength("newLen", newLen);
    const u32 = this.u32;
    const w = u32[h >> 2];
    const size = w & SIZE_MASK;
    let n = (newLen + 11) & ~7;
    if (n < TLSF_BLOCK_MIN_BYTES) n = TLSF_BLOCK_MIN_BYTES;
    const next = h + size;
    const nw = u32[next >> 2];
    if (n <= size) {
      if (n === size) return true;
      let rest = size - n;
      // Give the tail back (merged with a free next block), so the block stays tight to its length.
      if ((nw & FREE) !== 0) {
        const nsize = nw & SIZE_MASK;
        this.unlink(next, nsize);
        u32[next >> 2] = 0;
        rest += nsize;
      } else if (rest < TLSF_BLOCK_MIN_BYTES) {
        return true;
      }
      this.link(h + n, rest);
      u32[h >> 2] = n | (w & PREV_FREE) | tlsfCheckBits(h, n);
      u32[this.stateWord + S_USED] -= size - n;
      return true;
    }
    if ((nw & FREE) === 0) return false;
    const nsize = nw & SIZE_MASK;
    let total = size + nsize;
    if (total < n) return false;
    this.unlink(next, nsize);
    u32[next >> 2] = 0;
    if (total - n >= TLSF_BLOCK_MIN_BYTES) {
      this.link(h + n, total - n);
      total = n;
    } else {
      u32[(h + total) >> 2] &= ~PREV_FREE;
    }
    u32[h >> 2] = total | (w & PREV_FREE) | tlsfCheckBits(h, total);
    const s = this.stateWord;
    const used = (u32[s + S_USED] += total - size);
    if (used > u32[s + S_PEAK]) u32[s + S_PEAK] = used;
    return true;
  }

  /**
   * In place when it can (shrink, or grow into a free next block); otherwise moves and copies
   * to a new block; and when no block is free for that, slides down into a free previous block
   * (with the free next block too) if together they hold `newLen`.
   */
  remap(ptr: number, len: number, newLen: number, align?: number): number {
    const a = align === undefined ? 8 : checkAlign(align, 8);
    if ((ptr & (a - 1)) === 0 && this.resize(ptr, len, newLen)) return ptr;
    const h = this.live(ptr, len, "InvalidArgument", "remap");
    if ((newLen >>> 0) !== newLen || newLen > HEAP_SIZE_MAX) checkLength("newLen", newLen);
    const keep = len < newLen ? len : newLen;
    const moved = this.alloc(newLen, a);
    if (moved !== 0) {
      copyBytes(this.heap, moved, ptr, keep);
      this.free(ptr, len);
      return moved;
    }
    const u32 = this.u32;
    const w = u32[h >> 2];
    if ((w & PREV_FREE) === 0) return 0;
    const prev = u32[(h >> 2) - 1];
    if (((prev + 4) & (a - 1)) !== 0) return 0;
    const size = w & SIZE_MASK;
    const psize = u32[prev >> 2] & SIZE_MASK;
    const next = h + size;
    const nw = u32[next >> 2];
    const nsize = (nw & FREE) !== 0 ? nw & SIZE_MASK : 0;
    let total = psize + size + nsize;
    let n = (newLen + 11) & ~7;
    if (n < TLSF_BLOCK_MIN_BYTES) n = TLSF_BLOCK_MIN_BYTES;
    if (total < n) return 0;
    this.unlink(prev, psize);
    if (nsize !== 0) {
      this.unlink(next, nsize);
      u32[next >> 2] = 0;
    }
    copyBytes(this.heap, prev + 4, ptr, keep);
    // The old header, unless the data now covers it, must not pass for a live block.
    if (prev + 4 + keep <= h) u32[h >> 2] = 0;
    if (total - n >= TLSF_BLOCK_MIN_BYTES) {
      this.link(prev + n, total - n);
      total = n;
    } else {
      u32[(prev + total) >> 2] &= ~PREV_FREE;
    }
    u32[prev >> 2] = total | tlsfCheckBits(prev, total);
    const s = this.stateWord;
    const used = (u32[s + S_USED] += total - size);
    if (used > u32[s + S_PEAK]) u32[s + S_PEAK] = used;
    return prev + 4;
  }

  free(ptr: number, len: number): void {
    let h = this.live(ptr, len, "InvalidFree", "free");
    const u32 = this.u32;
    const w = u32[h >> 2];
    let size = w & SIZE_MASK;
    const s = this.stateWord;
    if (DEBUG) assert(u32[s + S_USED] >= size && u32[s + S_COUNT] > 0, "tlsf used bytes and count stay at or above zero");
    u32[s + S_USED] -= size;
    u32[s + S_COUNT]--;
    const next = h + size;
    const nw = u32[next >> 2];
    if ((nw & FREE) !== 0) {
      const nsize = nw & SIZE_MASK;
      this.unlink(next, nsize);
      u32[next >> 2] = 0;
      size += nsize;
    }
    if ((w & PREV_FREE) !== 0) {
      const prev = u32[(h >> 2) - 1];
      const psize = u32[prev >> 2] & SIZE_MASK;
      this.unlink(prev, psize);
      u32[h >> 2] = 0;
      h = prev;
      size += psize;
    }
    this.link(h, size);
  }

  /** Usable bytes of the live allocation at `ptr` (at least the length asked for). */
  sizeOf(ptr: number): number {
    const h = this.live(ptr, 0, "InvalidArgument", "sizeOf");
    return (this.u32[h >> 2] & SIZE_MASK) - 4;
  }

  /** True when `ptr` is the payload of a live block of this heap (the O(1) test free uses). */
  isLive(ptr: number): boolean {
    return this.liveHeader(ptr) !== 0;
  }

  /**
   * Frees everything: one free block over the whole heap (the peak stays). Clears only the
   * list heads the bitmaps mark non-empty: O(free blocks), not O(control block).
   */
  reset(): void {
    const u32 = this.u32;
    const s = this.stateWord;
    let flBitmap = u32[s + S_FL];
    while (flBitmap !== 0) {
      const fl = ffs(flBitmap);
      let slBitmap = u32[this.slBitmaps + fl];
      while (slBitmap !== 0) {
        u32[this.listHeads + (fl << this.slLog2) + ffs(slBitmap)] = 0;
        slBitmap &= slBitmap - 1;
      }
      u32[this.slBitmaps + fl] = 0;
      flBitmap &= flBitmap - 1;
    }
    u32[s + S_FL] = 0;
    u32[s + S_USED] = 0;
    u32[s + S_COUNT] = 0;
    u32[this.last >> 2] = (PREV_FREE | tlsfCheckBits(this.last, 0)) >>> 0;
    this.link(this.first, this.last - this.first);
  }

  stats(): TlsfStats {
    return tlsfStats(this.u32, this.stateWord, this.region.offset + this.region.sizeBytes, describe(this.region.name), null);
  }

  /**
   * Walks every block and every free list and checks headers, check bytes, boundary tags,
   * coalescing, list links, bitmaps and counters; throws code Corrupt naming the first bad block.
   */
  check(): void {
    const u32 = this.u32;
    const s = this.stateWord;
    const name = "tlsf " + describe(this.region.name);
    const bad = function (h: number, what: string): never {
      return fail("Corrupt", name + ": block at " + h + ": " + what);
    };
    if (u32[s + S_FIRST] !== this.first || u32[s + S_CONFIG] !== (this.slLog2 | (this.flCount << 8))) bad(this.first, "state words overwritten");
    let h = this.first;
    let prevFree = false;
    let freeBlocks = 0;
    let used = 0;
    let count = 0;
    while (h < this.last) {
      const w = u32[h >> 2];
      const size = w & SIZE_MASK;
      if (w >>> 24 !== tlsfCheckBits(h, size) >>> 24) bad(h, "bad check byte in header " + w);
      if ((w & 4) !== 0) bad(h, "reserved bit 2 set");
      if (size < TLSF_BLOCK_MIN_BYTES || h + size > this.last) bad(h, "size " + size + " out of range");
      if (((w & PREV_FREE) !== 0) !== prevFree) bad(h, "prev-free bit wrong");
      if ((w & FREE) !== 0) {
        if (prevFree) bad(h, "free after free (not coalesced)");
        if (u32[((h + size) >> 2) - 1] !== h) bad(h, "boundary tag " + u32[((h + size) >> 2) - 1] + " wrong");
        const index = listIndex(size, this.slLog2);
        if (index >= this.flCount << this.slLog2) bad(h, "size " + size + " has no free list");
        let found = false;
        let steps = 0;
        for (let f = u32[this.listHeads + index]; f !== 0 && steps <= freeBlocks + (this.maxBlock >> 4); f = u32[(f >> 2) + 1], steps++) {
          if (f === h) {
            found = true;
            break;
          }
        }
        if (!found) bad(h, "free block not on its list " + index);
        freeBlocks++;
        prevFree = true;
      } else {
        used += size;
        count++;
        prevFree = false;
      }
      h += size;
    }
    if (h !== this.last) bad(h, "blocks overrun the sentinel at " + this.last);
    const sw = u32[h >> 2];
    if ((sw & (SIZE_MASK | FREE | 4)) !== 0 || sw >>> 24 !== tlsfCheckBits(h, 0) >>> 24) bad(h, "sentinel overwritten: " + sw);
    if (((sw & PREV_FREE) !== 0) !== prevFree) bad(h, "sentinel prev-free bit wrong");
    if (used !== u32[s + S_USED]) bad(this.first, "used bytes " + used + ", counter " + u32[s + S_USED]);
    if (count !== u32[s + S_COUNT]) bad(this.first, count + " used blocks, counter " + u32[s + S_COUNT]);
    // Every list: links both ways, members free and of the list's size class, bitmaps exact.
    let listed = 0;
    const flBitmap = u32[s + S_FL];
    for (let fl = 0; fl < 32; fl++) {
      const slBitmap = fl < this.flCount ? u32[this.slBitmaps + fl] : 0;
      if (((flBitmap >>> fl) & 1) !== (slBitmap !== 0 ? 1 : 0)) bad(this.first, "first-level bit " + fl + " wrong");
      if (fl >= this.flCount) continue;
      for (let sl = 0; sl < 1 << this.slLog2; sl++) {
        const index = (fl << this.slLog2) | sl;
        let f = u32[this.listHeads + index];
        if (((slBitmap >>> sl) & 1) !== (f !== 0 ? 1 : 0)) bad(f, "second-level bit wrong for list " + index);
        let back = 0;
        while (f !== 0) {
          if (f < this.first || f >= this.last || (f & 7) !== 4) bad(f, "list " + index + " links outside the blocks");
          const w = u32[f >> 2];
          if ((w & FREE) === 0) bad(f, "used block on free list " + index);
          if (listIndex(w & SIZE_MASK, this.slLog2) !== index) bad(f, "on the wrong free list " + index);
          if (u32[(f >> 2) + 2] !== back) bad(f, "back link " + u32[(f >> 2) + 2] + " should be " + back);
          if (++listed > freeBlocks) bad(f, "free lists longer than the free blocks (cycle?)");
          back = f;
          f = u32[(f >> 2) + 1];
        }
      }
    }
    if (listed !== freeBlocks) bad(this.first, listed + " listed, " + freeBlocks + " free blocks");
  }

  /**
   * Step: finds a free block of at least `n` bytes (still on its list) or returns 0. First the
   * first two blocks of the request's own size class (a closer fit, which measurably lowers
   * fragmentation, and the only way to a block in the highest non-empty class); then good fit by bitmaps: the
   * request rounded up to the next class, so that any block in a non-empty list at or above it
   * fits. (msb, listIndex and ffs are written out inline in the primitives: a call costs more
   * than the arithmetic on an interpreter.)
   */
  private find(n: number): number {
    const u32 = this.u32;
    const sl = this.slLog2;
    let index: number;
    if (n < this.small) {
      index = n >>> 3;
    } else {
      const m = n < 256 ? LOG2[n] : n < 65536 ? 8 + LOG2[n >>> 8] : 16 + LOG2[n >>> 16];
      const h1 = u32[this.listHeads + (n >>> (m - sl)) + ((m - sl - 3) << sl)];
      if (h1 !== 0) {
        if ((u32[h1 >> 2] & SIZE_MASK) >= n) return h1;
        const h2 = u32[(h1 >> 2) + 1];
        if (h2 !== 0 && (u32[h2 >> 2] & SIZE_MASK) >= n) return h2;
      }
      const r = n + (1 << (m - sl)) - 1;
      const mr = r >>> (m + 1) !== 0 ? m + 1 : m;
      index = (r >>> (mr - sl)) + ((mr - sl - 3) << sl);
    }
    let fl = index >> sl;
    if (fl < this.flCount) {
      let slBitmap = u32[this.slBitmaps + fl] & (-1 << (index & ((1 << sl) - 1)));
      if (slBitmap === 0) {
        const flBitmap = u32[this.stateWord + S_FL] & (-2 << fl);
        if (flBitmap !== 0) {
          fl = LOWBIT[((flBitmap & -flBitmap) >>> 0) % 37];
          slBitmap = u32[this.slBitmaps + fl];
        }
      }
      if (slBitmap !== 0) return u32[this.listHeads + (fl << sl) + LOWBIT[((slBitmap & -slBitmap) >>> 0) % 37]];
    }
    return 0;
  }

  /** Step: takes the free block at `h` of `size` bytes off its list. */
  private unlink(h: number, size: number): void {
    const u32 = this.u32;
    const i = h >> 2;
    const next = u32[i + 1];
    const prev = u32[i + 2];
    if (DEBUG) {
      assertLink(next, this.first, this.last);
      assertLink(prev, this.first, this.last);
    }
    if (next !== 0) u32[(next >> 2) + 2] = prev;
    if (prev !== 0) {
      u32[(prev >> 2) + 1] = next;
      return;
    }
    const sl = this.slLog2;
    let index: number;
    if (size < this.small) {
      index = size >>> 3;
    } else {
      const m = size < 256 ? LOG2[size] : size < 65536 ? 8 + LOG2[size >>> 8] : 16 + LOG2[size >>> 16];
      index = (size >>> (m - sl)) + ((m - sl - 3) << sl);
    }
    u32[this.listHeads + index] = next;
    if (next !== 0) return;
    const fl = index >> sl;
    if ((u32[this.slBitmaps + fl] &= ~(1 << (index & ((1 << sl) - 1)))) === 0) u32[this.stateWord + S_FL] &= ~(1 << fl);
    if (DEBUG) assert((u32[this.slBitmaps + fl] & (1 << (index & ((1 << sl) - 1)))) === 0, "tlsf unlink clears the bit of an emptied list");
  }

  /**
   * Step: makes [h, h + size) a free block: header (its prev-free bit clear: the block
   * before a free block is never free), boundary tag, the next block's prev-free bit, and
   * the head of its list.
   */
  private link(h: number, size: number): void {
    const u32 = this.u32;
    const sl = this.slLog2;
    let index: number;
    if (size < this.small) {
      index = size >>> 3;
    } else {
      const m = size < 256 ? LOG2[size] : size < 65536 ? 8 + LOG2[size >>> 8] : 16 + LOG2[size >>> 16];
      index = (size >>> (m - sl)) + ((m - sl - 3) << sl);
    }
    const i = h >> 2;
    const e = (h + size) >> 2;
    const at = this.listHeads + index;
    const head = u32[at];
    u32[i] = size | FREE | ((((h >>> 3) ^ (size >>> 3) ^ (size >>> 11) ^ 0xb7) & 255) << 24);
    u32[i + 1] = head;
    u32[i + 2] = 0;
    u32[e - 1] = h;
    u32[e] |= PREV_FREE;
    if (head !== 0) u32[(head >> 2) + 2] = h;
    u32[at] = h;
    const fl = index >> sl;
    u32[this.slBitmaps + fl] |= 1 << (index & ((1 << sl) - 1));
    u32[this.stateWord + S_FL] |= 1 << fl;
    if (DEBUG) {
      assertLink(h, this.first, this.last);
      assertLink(head, this.first, this.last);
      assert(size >= TLSF_BLOCK_MIN_BYTES && h + size <= this.last && u32[e - 1] === h, "tlsf link writes a block inside the heap with its boundary tag");
      assert((u32[this.stateWord + S_FL] & (1 << fl)) !== 0 && (u32[this.slBitmaps + fl] & (1 << (index & ((1 << sl) - 1)))) !== 0, "tlsf link sets its list's bitmap bits");
    }
  }


  /**
   * The header address of the live block whose payload is `ptr`, or 0: range, alignment,
   * the block's own header (used, check byte, size inside the heap) and its next block's
   * header (valid, and agreeing that this block is used). O(1): nothing is searched.
   */
  private liveHeader(ptr: number): number {
    if ((ptr >>> 0) !== ptr || (ptr & 7) !== 0 || ptr <= this.first || ptr >= this.last) return 0;
    const u32 = this.u32;
    const h = ptr - 4;
    const w = u32[h >> 2];
    const size = w & SIZE_MASK;
    if ((w & (FREE | 4)) !== 0 || w >>> 24 !== tlsfCheckBits(h, size) >>> 24 || size < TLSF_BLOCK_MIN_BYTES || h + size > this.last) return 0;
    const n = h + size;
    const nw = u32[n >> 2];
    const nsize = nw & SIZE_MASK;
    if ((nw & (PREV_FREE | 4)) !== 0 || nw >>> 24 !== tlsfCheckBits(n, nsize) >>> 24) return 0;
    return h;
  }

  /**
   * Step: validates `ptr` and `len` for an operation on a live allocation and returns its
   * header address; throws `code` (nothing changed) when `ptr` is not a live block of this
   * heap, or `len` cannot be its length (longer than the block, or so much shorter that the
   * block would have been split).
   */
  private live(ptr: number, len: number, code: ErrorCode, what: string): number {
    // liveHeader's tests, written out with the check bytes (tlsfCheckBits, salt 0xb7), then the length's:
    // one test for the valid call, the errors out of line.
    const u32 = this.u32;
    const h = ptr - 4;
    let w = 0;
    let size = 0;
    let n = 0;
    let nw = 0;
    if (
      (ptr >>> 0) !== ptr || (ptr & 7) !== 0 || ptr <= this.first || ptr >= this.last ||
      ((w = u32[h >> 2]) & (FREE | 4)) !== 0 || w >>> 24 !== (((h >>> 3) ^ ((size = w & SIZE_MASK) >>> 3) ^ (size >>> 11) ^ 0xb7) & 255) ||
      size < TLSF_BLOCK_MIN_BYTES || (n = h + size) > this.last ||
      ((nw = u32[n >> 2]) & (PREV_FREE | 4)) !== 0 || nw >>> 24 !== (((n >>> 3) ^ ((nw & SIZE_MASK) >>> 3) ^ ((nw & SIZE_MASK) >>> 11) ^ 0xb7) & 255) ||
      (len >>> 0) !== len || ((len > size - 4 || len + 11 + TLSF_BLOCK_MIN_BYTES < size) && what !== "sizeOf")
    ) {
      this.liveFail(ptr, len, code, what);
    }
    return h;
  }

  /** Throws the error for an operation on `ptr` with `len` that live() refused, naming the bad value. */
  private liveFail(ptr: number, len: number, code: ErrorCode, what: string): void {
    if ((len >>> 0) !== len || len > HEAP_SIZE_MAX) checkLength("len", len);
    const h = this.liveHeader(ptr);
    if (h === 0) {
      fail(code, what + ": ptr " + describe(ptr) + " is not a live allocation of tlsf " + describe(this.region.name) + " (" + this.whyNotLive(ptr) + ")");
    }
    const size = this.u32[h >> 2] & SIZE_MASK;
    fail(code, what + ": len " + len + " does not match the allocation at " + ptr + " of tlsf " + describe(this.region.name) + " (its block holds " + (size - 4) + " bytes)");
  }

  /** Words for an error message: why liveHeader refused `ptr` (error path only). */
  private whyNotLive(ptr: number): string {
    if ((ptr >>> 0) !== ptr) return "not a whole number";
    if (ptr <= this.first || ptr >= this.last) return "outside " + (this.first + 4) + ".." + this.last;
    if ((ptr & 7) !== 0) return "not 8-aligned";
    const w = this.u32[(ptr - 4) >> 2];
    if ((w & FREE) !== 0 && w >>> 24 === tlsfCheckBits(ptr - 4, w & SIZE_MASK) >>> 24) return "the block is free: double free?";
    return "no live block header before it: interior, freed or foreign pointer";
  }
}
export interface TlsfAllocator extends TypedHelpers {}
addTypedHelpers(TlsfAllocator.prototype);

/** Debug builds: a free-list link is 0 or the header of a block inside [first, last) (a function, so release bundles drop it whole). */
function assertLink(h: number, first: number, last: number): void {
  assert(h === 0 || (h >= first && h < last && (h & 7) === 4), "tlsf free-list link inside the heap");
}
