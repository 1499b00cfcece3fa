import type { Allocator, AllocatorStats } from "../allocator.js";
import type { BootHeap } from "../heap/boot-heap.js";
import { createView, destroyView, dupe } from "../allocators/typed.js";
import type { TypedArray, TypedArrayConstructor } from "../allocators/typed.js";
import { checkChild, ownershipTest, printLine, takeState } from "./common.js";

// The counters: a 48-byte block taken once from options.state (default: the child).
//   0 f64 bytes allocated in total (grows include their growth)   16 u32 allocations      32 u32 live allocations
//   8 f64 bytes freed in total (shrinks include what they gave)    20 u32 frees            36 u32 live bytes
//                                                                  24 u32 resizes+remaps   40 u32 peak live bytes
//                                                                  28 u32 failed requests  44 u32 reserved
export const COUNTING_STATE_BYTES = 48;
const F_ALLOCATED = 0;
const F_FREED = 1;
const W_ALLOCS = 4;
const W_FREES = 5;
const W_RESIZES = 6;
const W_FAILS = 7;
const W_LIVE = 8;
const W_LIVE_BYTES = 9;
const W_PEAK = 10;

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
  private readonly w: number;
  private readonly d: number;
  private readonly stateFrom: Allocator;
  private readonly state: number;
  private readonly childOwns: ((ptr: number) => boolean) | null;

  constructor(child: Allocator, options?: CountingOptions) {
    checkChild(child, "child");
    const from = options === undefined ? undefined : options.state;
    this.state = takeState(child, from, COUNTING_STATE_BYTES, "CountingAllocator");
    this.stateFrom = from === undefined ? child : from;
    this.heap = child.heap;
    this.child = child;
    this.u32 = child.heap.u32;
    this.f64 = child.heap.f64;
    this.w = this.state >> 2;
    this.d = this.state >> 3;
    this.childOwns = ownershipTest(child);
  }

  alloc(len: number, align?: number): number {
    const ptr = this.child.alloc(len, align);
    const u32 = this.u32;
    const w = this.w;
    if (ptr === 0) {
      u32[w + W_FAILS]++;
      return 0;
    }
    u32[w + W_ALLOCS]++;
    u32[w + W_LIVE]++;
    const live = (u32[w + W_LIVE_BYTES] += len);
    if (live > u32[w + W_PEAK]) u32[w + W_PEAK] = live;
    this.f64[this.d + F_ALLOCATED] += len;
    return ptr;
  }

  resize(ptr: number, len: number, newLen: number): boolean {
    if (!this.child.resize(ptr, len, newLen)) {
      this.u32[this.w + W_FAILS]++;
      return false;
    }
    this.u32[this.w + W_RESIZES]++;
    this.changed(len, newLen);
    return true;
  }

  remap(ptr: number, len: number, newLen: number, align?: number): number {
    const moved = this.child.remap(ptr, len, newLen, align);
    if (moved === 0) {
      this.u32[this.w + W_FAILS]++;
      return 0;
    }
    this.u32[this.w + W_RESIZES]++;
    this.changed(len, newLen);
    return moved;
  }

  free(ptr: number, len: number): void {
    this.child.free(ptr, len);
    const u32 = this.u32;
    const w = this.w;
    u32[w + W_FREES]++;
    u32[w + W_LIVE]--;
    u32[w + W_LIVE_BYTES] -= len;
    this.f64[this.d + F_FREED] += len;
  }

  liveAllocations(): number {
    return this.u32[this.w + W_LIVE];
  }

  liveBytes(): number {
    return this.u32[this.w + W_LIVE_BYTES];
  }

  peakBytes(): number {
    return this.u32[this.w + W_PEAK];
  }

  /** Every counter as one object (allocates: for reports, not hot paths). */
  counts(): Counts {
    const u32 = this.u32;
    const w = this.w;
    return {
      liveAllocations: u32[w + W_LIVE],
      liveBytes: u32[w + W_LIVE_BYTES],
      peakBytes: u32[w + W_PEAK],
      allocations: u32[w + W_ALLOCS],
      frees: u32[w + W_FREES],
      resizes: u32[w + W_RESIZES],
      failed: u32[w + W_FAILS],
      totalAllocatedBytes: this.f64[this.d + F_ALLOCATED],
      totalFreedBytes: this.f64[this.d + F_FREED],
    };
  }

  /** Zeroes the totals and the peak (live counts stay: they describe memory still held). */
  resetCounts(): void {
    const u32 = this.u32;
    const w = this.w;
    u32[w + W_ALLOCS] = 0;
    u32[w + W_FREES] = 0;
    u32[w + W_RESIZES] = 0;
    u32[w + W_FAILS] = 0;
    u32[w + W_PEAK] = u32[w + W_LIVE_BYTES];
    this.f64[this.d + F_ALLOCATED] = 0;
    this.f64[this.d + F_FREED] = 0;
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

  ownsPtr(ptr: number): boolean {
    return this.childOwns === null ? false : this.childOwns(ptr);
  }

  /**
   * The child's numbers, so peakBytes >= usedBytes (both count what the child spends, padding
   * and headers included); allocationCount is the caller's live allocations. The caller's
   * bytes are in counts() and peakBytes().
   */
  stats(): AllocatorStats {
    const s = this.child.stats();
    s.allocationCount = this.u32[this.w + W_LIVE];
    return s;
  }

  create<T extends TypedArray>(ctor: TypedArrayConstructor<T>, count: number): T | null {
    return createView(this, ctor, count);
  }

  destroy(view: TypedArray): void {
    destroyView(this, view);
  }

  dupe(bytes: ArrayLike<number>, align?: number): number {
    return dupe(this, bytes, align);
  }

  private changed(len: number, newLen: number): void {
    const u32 = this.u32;
    const w = this.w;
    if (newLen > len) {
      const live = (u32[w + W_LIVE_BYTES] += newLen - len);
      if (live > u32[w + W_PEAK]) u32[w + W_PEAK] = live;
      this.f64[this.d + F_ALLOCATED] += newLen - len;
    } else {
      u32[w + W_LIVE_BYTES] -= len - newLen;
      this.f64[this.d + F_FREED] += len - newLen;
    }
  }
}
