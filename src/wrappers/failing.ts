import type { Allocator, AllocatorStats } from "../allocator.js";
import type { BootHeap } from "../heap/boot-heap.js";
import { HEAP_SIZE_MAX, isWholeNumber } from "../heap/checks.js";
import { describe, fail } from "../heap/errors.js";
import { addResizeTotals, addWrapperHelpers, COUNTERS_BYTES, COUNTERS_FIRST_WORD, TOTAL_ALLOCATED, TOTAL_FREED, checkChild, ownershipTest, takeState } from "./common.js";
import type { WrapperHelpers } from "./common.js";

// Zig's std.testing.FailingAllocator. Its counters: a 48-byte block from options.state (default: the child).
//   0 f64 bytes allocated (grows included)   16 u32 alloc index       28 u32 resize fail index   40 u32 induced failure (0/1)
//   8 f64 bytes freed (shrinks included)     20 u32 resize index      32 u32 allocations         44 u32 reserved
//                                            24 u32 fail index        36 u32 frees
export const FAILING_STATE_BYTES = COUNTERS_BYTES;
/** "Never fail": the index no run reaches. */
export const NEVER = 0xffffffff;
const W_ALLOC_INDEX = COUNTERS_FIRST_WORD;
const W_RESIZE_INDEX = COUNTERS_FIRST_WORD + 1;
const W_FAIL_INDEX = COUNTERS_FIRST_WORD + 2;
const W_RESIZE_FAIL_INDEX = COUNTERS_FIRST_WORD + 3;
const W_ALLOCATIONS = COUNTERS_FIRST_WORD + 4;
const W_FREES = COUNTERS_FIRST_WORD + 5;
const W_INDUCED = COUNTERS_FIRST_WORD + 6;

export interface FailingOptions {
  /** The alloc with this index (0-based) fails, and so does every alloc after it. Default: never. */
  failIndex?: number;
  /** The resize or remap with this index fails (and, since the index stops there, every one after it). Default: never. */
  resizeFailIndex?: number;
  /** The allocator that gives the 48 bytes of counters (default: the child). */
  state?: Allocator;
}

/**
 * Fails allocations on purpose so tests can walk every out-of-memory path: allocation number
 * `failIndex` returns 0, as do all later ones. Counts bytes allocated and freed so a test can
 * prove a failure path freed what it took. Garbage-free per operation.
 */
export class FailingAllocator implements Allocator {
  readonly heap: BootHeap;
  readonly child: Allocator;
  private readonly u32: Uint32Array;
  private readonly f64: Float64Array;
  /** Word index of the counter block, and its f64 index (the byte totals). */
  private readonly counters: number;
  private readonly totals: number;
  private readonly state: number;
  private readonly stateFrom: Allocator;
  /** The child's ownership test, made once (ownsPtr, from addWrapperHelpers, answers with it). */
  readonly childOwns: ((ptr: number) => boolean) | null;

  constructor(child: Allocator, options?: FailingOptions) {
    addWrapperHelpers(FailingAllocator.prototype);
    checkChild(child, "child");
    const o = options === undefined ? {} : options;
    const failIndex = checkIndex("failIndex", o.failIndex);
    const resizeFailIndex = checkIndex("resizeFailIndex", o.resizeFailIndex);
    this.state = takeState(child, o.state, FAILING_STATE_BYTES, "FailingAllocator");
    this.stateFrom = o.state === undefined ? child : o.state;
    this.heap = child.heap;
    this.child = child;
    this.u32 = child.heap.u32;
    this.f64 = child.heap.f64;
    this.counters = this.state >> 2;
    this.totals = this.state >> 3;
    this.u32[this.counters + W_FAIL_INDEX] = failIndex;
    this.u32[this.counters + W_RESIZE_FAIL_INDEX] = resizeFailIndex;
    this.childOwns = ownershipTest(child);
  }

  alloc(len: number, align?: number): number {
    const u32 = this.u32;
    const w = this.counters;
    if (u32[w + W_ALLOC_INDEX] === u32[w + W_FAIL_INDEX]) {
      u32[w + W_INDUCED] = 1;
      return 0;
    }
    const ptr = this.child.alloc(len, align);
    if (ptr === 0) return 0;
    this.f64[this.totals + TOTAL_ALLOCATED] += len;
    u32[w + W_ALLOCATIONS]++;
    u32[w + W_ALLOC_INDEX]++;
    return ptr;
  }

  resize(ptr: number, len: number, newLen: number): boolean {
    const u32 = this.u32;
    const w = this.counters;
    if (u32[w + W_RESIZE_INDEX] === u32[w + W_RESIZE_FAIL_INDEX]) {
      u32[w + W_INDUCED] = 1;
      return false;
    }
    if (!this.child.resize(ptr, len, newLen)) return false;
    addResizeTotals(this.f64, this.totals, len, newLen);
    u32[w + W_RESIZE_INDEX]++;
    return true;
  }

  remap(ptr: number, len: number, newLen: number, align?: number): number {
    const u32 = this.u32;
    const w = this.counters;
    if (u32[w + W_RESIZE_INDEX] === u32[w + W_RESIZE_FAIL_INDEX]) {
      u32[w + W_INDUCED] = 1;
      return 0;
    }
    const moved = this.child.remap(ptr, len, newLen, align);
    if (moved === 0) return 0;
    addResizeTotals(this.f64, this.totals, len, newLen);
    u32[w + W_RESIZE_INDEX]++;
    return moved;
  }

  free(ptr: number, len: number): void {
    this.child.free(ptr, len);
    this.f64[this.totals + TOTAL_FREED] += len;
    this.u32[this.counters + W_FREES]++;
  }

  /** Allocations that succeeded: after a run without failures, the N of checkAllAllocationFailures. */
  allocIndex(): number {
    return this.u32[this.counters + W_ALLOC_INDEX];
  }

  resizeIndex(): number {
    return this.u32[this.counters + W_RESIZE_INDEX];
  }

  failIndex(): number {
    return this.u32[this.counters + W_FAIL_INDEX];
  }

  /** True once an alloc, resize or remap failed on purpose. */
  hasInducedFailure(): boolean {
    return this.u32[this.counters + W_INDUCED] !== 0;
  }

  allocatedBytes(): number {
    return this.f64[this.totals + TOTAL_ALLOCATED];
  }

  freedBytes(): number {
    return this.f64[this.totals + TOTAL_FREED];
  }

  allocations(): number {
    return this.u32[this.counters + W_ALLOCATIONS];
  }

  deallocations(): number {
    return this.u32[this.counters + W_FREES];
  }

  /** Gives the counters' 48 bytes back to where they came from. */
  deinit(): void {
    this.stateFrom.free(this.state, FAILING_STATE_BYTES);
  }

  stats(): AllocatorStats {
    return this.child.stats();
  }
}

function checkIndex(what: string, value: unknown): number {
  if (value === undefined) return NEVER;
  if (!isWholeNumber(value, HEAP_SIZE_MAX)) fail("InvalidArgument", "options." + what + " must be a whole number (0-based), got " + describe(value));
  return value as number;
}
export interface FailingAllocator extends WrapperHelpers {}
