import { ALIGN_DEFAULT } from "../allocator.js";
import type { Allocator, AllocatorStats } from "../allocator.js";
import type { BootHeap } from "../heap/boot-heap.js";
import { DEBUG } from "../build-mode.js";
import { assert, checkAlign, checkLength, HEAP_SIZE_MAX } from "../heap/checks.js";
import { describe, fail } from "../heap/errors.js";
import { addTypedHelpers, remapMethod } from "./typed.js";
import type { TypedHelpers } from "./typed.js";

// The arena's state: a 24-byte block taken from the child at construction (a multiple of 8, so
// over a bump child the chunks that follow need no padding, and freeing them all gives back
// every byte).
const S_HEAD = 0; // newest chunk, 0 when none
const S_USED = 1; // bytes handed out (with padding) across chunks
const S_PEAK = 2;
const S_COUNT = 3;
const S_CHUNKS = 4; // chunks in the list: every walk over them stops there
const STATE_WORDS = 6; // the last word is reserved
/** Bytes the arena takes from its child for its state block (the first allocation it makes). */
export const ARENA_STATE_BYTES = STATE_WORDS * 4;
const STATE_BYTES = ARENA_STATE_BYTES;

// Each chunk starts with a header in the child's memory: u32 previous chunk, u32 chunk bytes
// (header included), u32 end (offset of the first free byte within the chunk).
const C_PREV = 0;
const C_SIZE = 1;
const C_END = 2;
export const ARENA_CHUNK_HEADER_BYTES = 16;
const CHUNK_BYTES_MIN = 64;
/**
 * The most chunks an arena holds: free and resize look the pointer's chunk up by walking them.
 * Chunks grow by half each time, so over a general heap the limit is far away; over a pool (one
 * slot per chunk) it is a real limit: past it `alloc` returns 0.
 */
export const ARENA_CHUNK_COUNT_MAX = 64;

/** Reset modes as numbers, compared without strings on every reset (the strings are accepted too). */
export const ARENA_FREE_ALL = 0;
export const ARENA_RETAIN_CAPACITY = 1;

export type ArenaResetMode = "free_all" | "retain_capacity" | typeof ARENA_FREE_ALL | typeof ARENA_RETAIN_CAPACITY | { retainWithLimit: number };

/**
 * Zig's ArenaAllocator: allocations come from chunks taken from any child allocator and
 * are all freed together by `reset`. Only the newest allocation can be freed or resized.
 *
 * Invariants (asserted in debug builds after each bump and chunk change): the newest chunk's
 * end lies between its header and its size; the chunk count is at most ARENA_CHUNK_COUNT_MAX
 * and the chain has exactly that many links; used bytes and the allocation count never go
 * negative. A chain that disagrees with the count (a stray write) throws Corrupt in every walk.
 */
export class ArenaAllocator implements Allocator {
  readonly heap: BootHeap;
  readonly child: Allocator;
  private readonly u32: Uint32Array;
  /** Byte offset of the state block in the child's memory, and its word index. */
  private readonly state: number;
  private readonly stateWord: number;

  /** Takes 24 bytes of state from `child`; throws code OutOfMemory if even that fails (boot-time). */
  constructor(child: Allocator) {
    if (child === null || typeof child !== "object" || typeof child.alloc !== "function") {
      fail("InvalidArgument", "child must be an allocator, got " + describe(child));
    }
    const state = child.alloc(STATE_BYTES, 4);
    if (state === 0) fail("OutOfMemory", "the child allocator cannot give the arena its " + STATE_BYTES + " bytes of state");
    this.heap = child.heap;
    this.child = child;
    this.u32 = child.heap.u32;
    this.state = state;
    this.stateWord = state >> 2;
    for (let i = 0; i < STATE_WORDS; i++) this.u32[this.stateWord + i] = 0;
  }

  alloc(len: number, align?: number): number {
    // One test for the usual call (a whole length, the default alignment) and the bump in the newest
    // chunk written out (a chunk is 8-aligned: the child gives it with align 8); the rest is out of line.
    // A length above HEAP_SIZE_MAX does not fit a chunk: allocSlow throws for it.
    if ((len >>> 0) !== len || align !== undefined) return this.allocSlow(len, align);
    const u32 = this.u32;
    const s = this.stateWord;
    const chunk = u32[s /* + S_HEAD (0) */];
    if (chunk !== 0) {
      const c = chunk >> 2;
      const old = u32[c + C_END];
      const end = ((old + (ALIGN_DEFAULT - 1)) & -ALIGN_DEFAULT) + len;
      if (end <= u32[c + C_SIZE]) {
        u32[c + C_END] = end;
        const used = (u32[s + S_USED] += end - old);
        if (used > u32[s + S_PEAK]) u32[s + S_PEAK] = used;
        u32[s + S_COUNT]++;
        if (DEBUG) assertHead(u32, s);
        return chunk + end - len;
      }
    }
    return this.allocSlow(len, align);
  }

  /** alloc with its checks in full, any alignment, and a new chunk when the newest is full. */
  private allocSlow(len: number, align: number | undefined): number {
    if ((len >>> 0) !== len || len > HEAP_SIZE_MAX) checkLength("len", len);
    const a = align === undefined ? ALIGN_DEFAULT : checkAlign(align, ALIGN_DEFAULT);
    const u32 = this.u32;
    const s = this.stateWord;
    let chunk = u32[s + S_HEAD];
    if (chunk !== 0) {
      const c = chunk >> 2;
      const ptr = (chunk + u32[c + C_END] + a - 1) & -a;
      if (ptr + len <= chunk + u32[c + C_SIZE]) return this.bump(chunk, ptr, len);
    }
    chunk = this.addChunk(len + a - 1 + ARENA_CHUNK_HEADER_BYTES);
    if (chunk === 0) return 0;
    return this.bump(chunk, (chunk + ARENA_CHUNK_HEADER_BYTES + a - 1) & -a, len);
  }

  resize(ptr: number, len: number, newLen: number): boolean {
    if ((newLen >>> 0) !== newLen || newLen > HEAP_SIZE_MAX) checkLength("newLen", newLen);
    const chunk = this.findChunk(ptr, len, "resize");
    const u32 = this.u32;
    const c = chunk >> 2;
    if (chunk !== u32[this.stateWord + S_HEAD] || ptr + len !== chunk + u32[c + C_END]) return newLen <= len;
    if (ptr + newLen > chunk + u32[c + C_SIZE]) return false;
    u32[c + C_END] = ptr + newLen - chunk;
    this.addUsed(newLen - len);
    return true;
  }

  /** remapMethod (one function for every allocator, given to the prototype below the class). */
  declare remap: (ptr: number, len: number, newLen: number, align?: number) => number;

  /** Frees only the newest allocation; any other is released by `reset`. */
  free(ptr: number, len: number): void {
    const chunk = this.findChunk(ptr, len, "free");
    const u32 = this.u32;
    const c = chunk >> 2;
    if (chunk === u32[this.stateWord + S_HEAD] && ptr + len === chunk + u32[c + C_END]) {
      u32[c + C_END] = ptr - chunk;
      this.addUsed(-len);
      u32[this.stateWord + S_COUNT]--;
      if (DEBUG) assertHead(this.u32, this.stateWord);
    }
  }

  /**
   * Frees every allocation. `free_all` returns every chunk to the child; `retain_capacity`
   * keeps the current capacity as one chunk; `{ retainWithLimit: n }` keeps at most n bytes.
   * Returns false when the child could not give back the capacity asked to retain.
   */
  reset(mode?: ArenaResetMode): boolean {
    const retainBytes = this.retainBytes(mode === undefined ? ARENA_RETAIN_CAPACITY : mode);
    const u32 = this.u32;
    const s = this.stateWord;
    u32[s + S_USED] = 0;
    u32[s + S_COUNT] = 0;
    const head = u32[s + S_HEAD];
    if (head !== 0 && u32[(head >> 2) + C_PREV] === 0 && u32[(head >> 2) + C_SIZE] - ARENA_CHUNK_HEADER_BYTES === retainBytes) {
      u32[(head >> 2) + C_END] = ARENA_CHUNK_HEADER_BYTES;
      return true;
    }
    this.freeChunks();
    if (retainBytes === 0) return true;
    return this.addChunk(retainBytes + ARENA_CHUNK_HEADER_BYTES) !== 0;
  }

  /** Bytes the arena's chunks can hold without asking the child again. */
  queryCapacity(): number {
    const u32 = this.u32;
    const count = this.chunkCount();
    let capacity = 0;
    let chunk = u32[this.stateWord + S_HEAD];
    for (let i = 0; i < count; i++) {
      capacity += u32[(chunk >> 2) + C_SIZE] - ARENA_CHUNK_HEADER_BYTES;
      chunk = u32[(chunk >> 2) + C_PREV];
    }
    return capacity;
  }

  /** Returns every chunk and the arena's state to the child. */
  deinit(): void {
    this.freeChunks();
    this.child.free(this.state, STATE_BYTES);
  }

  stats(): AllocatorStats {
    const u32 = this.u32;
    const head = u32[this.stateWord + S_HEAD];
    const inHead = head === 0 ? 0 : u32[(head >> 2) + C_SIZE] - u32[(head >> 2) + C_END];
    const fromChild = this.child.stats().largestFreeBytes - ARENA_CHUNK_HEADER_BYTES;
    return {
      capacityBytes: this.queryCapacity(),
      usedBytes: u32[this.stateWord + S_USED],
      peakBytes: u32[this.stateWord + S_PEAK],
      allocationCount: u32[this.stateWord + S_COUNT],
      largestFreeBytes: inHead > fromChild ? inHead : fromChild > 0 ? fromChild : 0,
    };
  }

  private bump(chunk: number, ptr: number, len: number): number {
    const u32 = this.u32;
    const c = chunk >> 2;
    this.addUsed(ptr + len - chunk - u32[c + C_END]);
    u32[c + C_END] = ptr + len - chunk;
    u32[this.stateWord + S_COUNT]++;
    if (DEBUG) assertHead(this.u32, this.stateWord);
    return ptr;
  }

  private addUsed(delta: number): void {
    const u32 = this.u32;
    const used = u32[this.stateWord + S_USED] + delta;
    u32[this.stateWord + S_USED] = used;
    if (used > u32[this.stateWord + S_PEAK]) u32[this.stateWord + S_PEAK] = used;
  }

  /** Takes a chunk of at least `minBytes` (header included): 1.5x the newest, else just enough. */
  private addChunk(minBytes: number): number {
    const u32 = this.u32;
    if (u32[this.stateWord + S_CHUNKS] >= ARENA_CHUNK_COUNT_MAX) return 0;
    const head = u32[this.stateWord + S_HEAD];
    let bytes = head === 0 ? CHUNK_BYTES_MIN : u32[(head >> 2) + C_SIZE] + (u32[(head >> 2) + C_SIZE] >> 1);
    if (bytes < minBytes) bytes = minBytes;
    bytes = (bytes + 7) & ~7;
    let chunk = this.child.alloc(bytes, 8);
    if (chunk === 0 && bytes > minBytes) {
      bytes = (minBytes + 7) & ~7;
      chunk = this.child.alloc(bytes, 8);
    }
    if (chunk === 0) return 0;
    const c = chunk >> 2;
    u32[c + C_PREV] = head;
    u32[c + C_SIZE] = bytes;
    u32[c + C_END] = ARENA_CHUNK_HEADER_BYTES;
    u32[this.stateWord + S_HEAD] = chunk;
    u32[this.stateWord + S_CHUNKS]++;
    return chunk;
  }

  /** Newest first, so a bump child (fixed buffer, stack) gets all of its memory back. */
  private freeChunks(): void {
    const u32 = this.u32;
    const count = this.chunkCount();
    let chunk = u32[this.stateWord + S_HEAD];
    for (let i = 0; i < count; i++) {
      const prev = u32[(chunk >> 2) + C_PREV];
      this.child.free(chunk, u32[(chunk >> 2) + C_SIZE]);
      chunk = prev;
    }
    u32[this.stateWord + S_HEAD] = 0;
    u32[this.stateWord + S_CHUNKS] = 0;
  }

  /**
   * The chunk count, once the chain is proved to have exactly that many links (at most
   * ARENA_CHUNK_COUNT_MAX steps): a walk over the chunks then needs no check of its own.
   * Throws code Corrupt, before anything changed, when a stray write broke the chain.
   */
  private chunkCount(): number {
    const u32 = this.u32;
    const count = u32[this.stateWord + S_CHUNKS];
    let chunk = u32[this.stateWord + S_HEAD];
    let walked = 0;
    while (chunk !== 0 && walked <= count && walked <= ARENA_CHUNK_COUNT_MAX) {
      chunk = u32[(chunk >> 2) + C_PREV];
      walked++;
    }
    if (walked !== count || chunk !== 0) fail("Corrupt", "arena: the chunk chain does not have the " + count + " chunks its state block counts");
    return count;
  }

  private retainBytes(mode: ArenaResetMode): number {
    if (mode === ARENA_FREE_ALL || mode === "free_all") return 0;
    const capacity = this.queryCapacity();
    if (mode === ARENA_RETAIN_CAPACITY || mode === "retain_capacity") return capacity;
    if (mode !== null && typeof mode === "object" && (mode.retainWithLimit >>> 0) === mode.retainWithLimit) {
      return mode.retainWithLimit < capacity ? mode.retainWithLimit : capacity;
    }
    return fail("InvalidArgument", "reset mode must be ARENA_FREE_ALL, ARENA_RETAIN_CAPACITY (or their names \"free_all\", \"retain_capacity\") or { retainWithLimit: bytes }, got " + describe(mode));
  }

  /** The chunk holding [ptr, ptr + len) among those in use, or throws (bounded walk). */
  private findChunk(ptr: number, len: number, what: string): number {
    if ((len >>> 0) !== len || len > HEAP_SIZE_MAX) checkLength("len", len);
    const u32 = this.u32;
    const count = u32[this.stateWord + S_CHUNKS];
    let chunk = u32[this.stateWord + S_HEAD];
    for (let i = 0; i < count && chunk !== 0; i++) {
      // A zero-length allocation owns no bytes: a rollback of the one before it may leave it past the end.
      const end = chunk + u32[(chunk >> 2) + (len === 0 ? C_SIZE : C_END)];
      if (ptr >= chunk + ARENA_CHUNK_HEADER_BYTES && ptr + len <= end) return chunk;
      chunk = u32[(chunk >> 2) + C_PREV];
    }
    this.chunkCount();
    return fail(what === "free" ? "InvalidFree" : "InvalidArgument", what + ": ptr " + describe(ptr) + " with len " + describe(len) + " is not an allocation of this arena");
  }
}
export interface ArenaAllocator extends TypedHelpers {}
addTypedHelpers(ArenaAllocator.prototype);
ArenaAllocator.prototype.remap = remapMethod;

/** Debug builds: the newest chunk's bounds and the counts (a function, so release bundles drop it whole). */
function assertHead(u32: Uint32Array, s: number): void {
  const head = u32[s + S_HEAD];
  assert(u32[s + S_CHUNKS] <= ARENA_CHUNK_COUNT_MAX && (head === 0) === (u32[s + S_CHUNKS] === 0), "arena chunk count matches its head");
  assert(head === 0 || (u32[(head >> 2) + C_END] >= ARENA_CHUNK_HEADER_BYTES && u32[(head >> 2) + C_END] <= u32[(head >> 2) + C_SIZE]), "arena bump pointer inside the newest chunk");
  assert(u32[s + S_USED] < 0x80000000 && u32[s + S_COUNT] < 0x80000000, "arena used bytes and count not negative");
}
