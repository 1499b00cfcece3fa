import type { Allocator, AllocatorStats } from "../allocator.js";
import type { BootHeap } from "../heap/boot-heap.js";
import { addResizeTotals, addWrapperHelpers, COUNTERS_BYTES, COUNTERS_FIRST_WORD, TOTAL_ALLOCATED, TOTAL_FREED, checkChild, ownershipTest, printLine, takeState } from "./common.js";
import type { WrapperHelpers } from "./common.js";

// The counters: a 48-byte block taken once from options.state (default: the child).
//   0 f64 bytes allocated in total (grows include their growth)   16 u32 allocations      32 u32 live allocations
//   8 f64 bytes freed in total (shrinks include what they gave)    20 u32 frees            36 u32 live bytes
//                                                                  24 u32 resizes+remaps   40 u32 peak live bytes
//                                                                  28 u32 failed requests  44 u32 reserved
export const COUNTING_STATE_BYTES = COUNTERS_BYTES;
const W_ALLOCS = COUNTERS_FIRST_WORD;
const W_FREES = COUNTERS_FIRST_WORD + 1;
const W_RESIZES = COUNTERS_FIRST_WORD + 2;
const W_FAILS = COUNTERS_FIRST_WORD + 3;
const W_LIVE = COUNTERS_FIRST_WORD + 4;
const W_LIVE_BYTES = COUNTERS_FIRST_WORD + 5;
const W_PEAK = COUNTERS_FIRST_WORD + 6;

export interface CountingOptions {
  /** The allocator that gives the 48 bytes of counters (default: the child). */
  state?: Allocator;
}

export interface Counts {
  liveAllocations: number;
  liveBytes: number;
  peakBytes: number;
  allocations: number;
  frees: number;
  resizes: number;
  failed: number;
  totalAllocatedBytes: number;
  totalFreedBytes: number;
}

/**
 * Counts what passes through it: live allocations and bytes, peak bytes, totals and failed
 * requests, in the caller's lengths. Each operation is a few typed-array stores: no garbage.
 */
export class CountingAllocator implements Allocator {
  readonly heap: BootHeap;
  readonly child: Allocator;
  private readonly u32: Uint32Array;
  private readonly f64: Float64Array;
  /** Word index of the counter block, and its f64 index (the byte totals). */
  private readonly counters: number;
  private readonly totals: number;
  private readonly stateFrom: Allocator;
  private readonly state: number;
  /** The child's ownership test, made once (ownsPtr, from addWrapperHelpers, answers with it). */
  readonly childOwns: ((ptr: number) => boolean) | null;

  constructor(child: Allocator, options?: CountingOptions) {
    addWrapperHelpers(CountingAllocator.prototype);
    checkChild(child, "child");
    const from = options === undefined ? undefined : options.state;
    this.state = takeState(child, from, COUNTING_STATE_BYTES, "CountingAllocator");
    this.stateFrom = from === undefined ? child : from;
    this.heap = child.heap;
    this.child = child;
    this.u32 = child.heap.u32;
    this.f64 = child.heap.f64;
    this.counters = this.state >> 2;
    this.totals = this.state >> 3;
    this.childOwns = ownershipTest(child);
  }

  alloc(len: number, align?: number): number {
    const ptr = this.child.alloc(len, align);
    const u32 = this.u32;
    const w = this.counters;
    if (ptr === 0) {
      u32[w + W_FAILS]++;
      return 0;
    }
    u32[w + W_ALLOCS]++;
    u32[w + W_LIVE]++;
    const live = (u32[w + W_LIVE_BYTES] += len);
    if (live > u32[w + W_PEAK]) u32[w + W_PEAK] = live;
    this.f64[this.totals + TOTAL_ALLOCATED] += len;
    return ptr;
  }

  resize(ptr: number, len: number, newLen: number): boolean {
    if (!this.child.resize(ptr, len, newLen)) {
      this.u32[this.counters + W_FAILS]++;
      return false;
    }
    this.u32[this.counters + W_RESIZES]++;
    this.changed(len, newLen);
    return true;
  }

  remap(ptr: number, len: number, newLen: number, align?: number): number {
    const moved = this.child.remap(ptr, len, newLen, align);
    if (moved === 0) {
      this.u32[this.counters + W_FAILS]++;
      return 0;
    }
    this.u32[this.counters + W_RESIZES]++;
    this.changed(len, newLen);
    return moved;
  }

  free(ptr: number, len: number): void {
    this.child.free(ptr, len);
    const u32 = this.u32;
    const w = this.counters;
    u32[w + W_FREES]++;
    u32[w + W_LIVE]--;
    u32[w + W_LIVE_BYTES] -= len;
    this.f64[this.totals + TOTAL_FREED] += len;
  }

  liveAllocations(): number {
    return this.u32[this.counters + W_LIVE];
  }

  liveBytes(): number {
    return this.u32[this.counters + W_LIVE_BYTES];
  }

  peakBytes(): number {
    return this.u32[this.counters + W_PEAK];
  }

  /** Every counter as one object (allocates: for reports, not hot paths). */
  counts(): Counts {
    const u32 = this.u32;
    const w = this.counters;
    return {
      liveAllocations: u32[w + W_LIVE],
      liveBytes: u32[w + W_LIVE_BYTES],
      peakBytes: u32[w + W_PEAK],
      allocations: u32[w + W_ALLOCS],
      frees: u32[w + W_FREES],
      resizes: u32[w + W_RESIZES],
      failed: u32[w + W_FAILS],
      totalAllocatedBytes: this.f64[this.totals + TOTAL_ALLOCATED],
      totalFreedBytes: this.f64[this.totals + TOTAL_FREED],
    };
  }

  /** Zeroes the totals and the peak (live counts stay: they describe memory still held). */
  resetCounts(): void {
    const u32 = this.u32;
    const w = this.counters;
    u32[w + W_ALLOCS] = 0;
    u32[w + W_FREES] = 0;
    u32[w + W_RESIZES] = 0;
    u32[w + W_FAILS] = 0;
    u32[w + W_PEAK] = u32[w + W_LIVE_BYTES];
    this.f64[this.totals + TOTAL_ALLOCATED] = 0;
    this.f64[this.totals + TOTAL_FREED] = 0;
  }

  /** Prints the counters, one line, through `print` (default console.log). */
  printStats(print?: (line: string) => void): string {
    const c = this.counts();
    const line = "live " + c.liveAllocations + " allocations / " + c.liveBytes + " bytes, peak " + c.peakBytes + " bytes; " +
      c.allocations + " allocs, " + c.frees + " frees, " + c.resizes + " resizes, " + c.failed + " failed; " +
      c.totalAllocatedBytes + " bytes allocated, " + c.totalFreedBytes + " freed in total";
    (print === undefined ? printLine : print)(line);
    return line;
  }

  /** Gives the 48 bytes of counters back to where they came from. */
  deinit(): void {
    this.stateFrom.free(this.state, COUNTING_STATE_BYTES);
  }

  /**
   * The child's numbers, so peakBytes >= usedBytes (both count what the child spends, padding
   * and headers included); allocationCount is the caller's live allocations. The caller's
   * bytes are in counts() and peakBytes().
   */
  stats(): AllocatorStats {
    const s = this.child.stats();
    s.allocationCount = this.u32[this.counters + W_LIVE];
    return s;
  }

  private changed(len: number, newLen: number): void {
    const u32 = this.u32;
    const w = this.counters;
    addResizeTotals(this.f64, this.totals, len, newLen);
    const live = (u32[w + W_LIVE_BYTES] += newLen - len);
    if (live > u32[w + W_PEAK]) u32[w + W_PEAK] = live;
  }
}
export interface CountingAllocator extends WrapperHelpers {}
