import { ALIGN_DEFAULT, Allocator, AllocatorStats } from "../allocator.js";
import type { BootHeap } from "../heap/boot-heap.js";
import { checkAlign, checkLength, HEAP_SIZE_MAX, isWholeNumber } from "../heap/checks.js";
import { describe, fail } from "../heap/errors.js";
import { addWrapperHelpers, checkChild, ownershipTest, takeState } from "./common.js";
import type { WrapperHelpers } from "./common.js";

// State: a 16-byte block from options.state (default: the child).
//   0 u32 reserve pointer (0 when there is none or it was released)   8 u32 bytes granted by the last allocOrShrink
//   4 u32 reserve bytes                                               12 u32 times the child ran out (pressure events)
export const PRESSURE_STATE_BYTES = 16;
const W_RESERVE = 0;
const W_RESERVE_LEN = 1;
const W_GRANTED = 2;
const W_EVENTS = 3;

/** Called when the child cannot give `needBytes`: free something (reset an arena, evict a cache) and return. */
export type PressureHandler = (needBytes: number, allocator: PressureAllocator) => void;

export interface PressureOptions {
  /** Bytes taken from the child at construction and given back, once, when handlers were not enough. Default 0 (none). */
  reserveBytes?: number;
  /** Called once when the reserve is released: the program now runs on its last memory. */
  onReserveReleased?: (allocator: PressureAllocator) => void;
  /** The allocator that gives the 16 bytes of state (default: the child). */
  state?: Allocator;
}

/**
 * Out-of-memory handling for any allocator. When the child returns 0, the handlers registered
 * with `onPressure` run in order (the request is retried after each); then the emergency
 * reserve, if any, is released once and the request retried; only then does alloc return 0.
 * The fast path is the child's call plus one comparison: no garbage. Pressure handling itself
 * runs on the rare path. A handler that allocates from this allocator goes straight to the
 * child (no nested pressure handling).
 *
 * The reserve is given back with `child.free`, so it helps only with a child that reuses any
 * freed block (a pool, the general heap); on a stack it must be the last allocation to free.
 */
export class PressureAllocator implements Allocator {
  readonly heap: BootHeap;
  readonly child: Allocator;
  private readonly u32: Uint32Array;
  /** Word index of the state block. */
  private readonly stateWord: number;
  private readonly handlers: PressureHandler[];
  private readonly onReserveReleased: ((allocator: PressureAllocator) => void) | undefined;
  /** The child's ownership test, made once (ownsPtr, from addWrapperHelpers, answers with it). */
  readonly childOwns: ((ptr: number) => boolean) | null;
  private readonly state: number;
  private readonly stateFrom: Allocator;
  private busy: boolean;

  constructor(child: Allocator, options?: PressureOptions) {
    addWrapperHelpers(PressureAllocator.prototype);
    checkChild(child, "child");
    const o = options === undefined ? {} : options;
    const reserve = o.reserveBytes === undefined ? 0 : o.reserveBytes;
    if (!isWholeNumber(reserve, HEAP_SIZE_MAX)) fail("InvalidArgument", "options.reserveBytes must be a whole number of bytes, got " + describe(reserve));
    if (o.onReserveReleased !== undefined && typeof o.onReserveReleased !== "function") fail("InvalidArgument", "options.onReserveReleased must be a function, got " + describe(o.onReserveReleased));
    this.state = takeState(child, o.state, PRESSURE_STATE_BYTES, "PressureAllocator");
    this.stateFrom = o.state === undefined ? child : o.state;
    this.heap = child.heap;
    this.child = child;
    this.u32 = child.heap.u32;
    this.stateWord = this.state >> 2;
    this.handlers = [];
    this.onReserveReleased = o.onReserveReleased;
    this.childOwns = ownershipTest(child);
    this.busy = false;
    if (reserve > 0) {
      const ptr = child.alloc(reserve, 8);
      if (ptr === 0) {
        this.stateFrom.free(this.state, PRESSURE_STATE_BYTES);
        fail("OutOfMemory", "the child cannot give the " + reserve + "-byte emergency reserve");
      }
      this.u32[this.stateWord + W_RESERVE] = ptr;
      this.u32[this.stateWord + W_RESERVE_LEN] = reserve;
    }
  }

  /** Registers a handler (at boot: the list is a JS array). Handlers run in registration order. */
  onPressure(handler: PressureHandler): void {
    if (typeof handler !== "function") fail("InvalidArgument", "onPressure expects a function, got " + describe(handler));
    this.handlers.push(handler);
  }

  alloc(len: number, align?: number): number {
    const ptr = this.child.alloc(len, align);
    if (ptr !== 0 || this.busy) return ptr;
    return this.underPressure(len, align, 0, 0);
  }

  resize(ptr: number, len: number, newLen: number): boolean {
    return this.child.resize(ptr, len, newLen);
  }

  remap(ptr: number, len: number, newLen: number, align?: number): number {
    const moved = this.child.remap(ptr, len, newLen, align);
    if (moved !== 0 || this.busy || newLen <= len) return moved;
    return this.underPressure(newLen, align, ptr, len);
  }

  free(ptr: number, len: number): void {
    this.child.free(ptr, len);
  }

  /**
   * Asks for `len` bytes, halving the request down to `minLen` while the child cannot give it;
   * pressure handlers and the reserve are used only for the last, `minLen`, request. Returns the
   * pointer (0 when even `minLen` failed); `grantedBytes` tells how many bytes it holds.
   */
  allocOrShrink(len: number, minLen: number, align?: number): number {
    if ((len >>> 0) !== len || len > HEAP_SIZE_MAX) checkLength("len", len);
    if ((minLen >>> 0) !== minLen || minLen > len) fail("InvalidArgument", "minLen must be a whole number from 0 to len (" + len + "), got " + describe(minLen));
    const a = align === undefined ? ALIGN_DEFAULT : checkAlign(align, ALIGN_DEFAULT);
    const u32 = this.u32;
    let n = len;
    while (n > minLen) {
      const ptr = this.child.alloc(n, a);
      if (ptr !== 0) {
        u32[this.stateWord + W_GRANTED] = n;
        return ptr;
      }
      n = n >>> 1;
      if (n < minLen) n = minLen;
    }
    const ptr = this.alloc(minLen, a);
    u32[this.stateWord + W_GRANTED] = ptr === 0 ? 0 : minLen;
    return ptr;
  }

  /** Bytes held by the pointer the last allocOrShrink returned (0 when it returned 0). */
  grantedBytes(): number {
    return this.u32[this.stateWord + W_GRANTED];
  }

  /** Times the child ran out and the handlers or the reserve were called on. */
  pressureEvents(): number {
    return this.u32[this.stateWord + W_EVENTS];
  }

  reserveBytes(): number {
    return this.u32[this.stateWord + W_RESERVE_LEN];
  }

  /** True while the emergency reserve is held (false once released, or when there is none). */
  reserveHeld(): boolean {
    return this.u32[this.stateWord + W_RESERVE] !== 0;
  }

  /** After pressure has passed, takes the reserve back from the child; false if it cannot (yet). */
  restoreReserve(): boolean {
    const u32 = this.u32;
    if (u32[this.stateWord + W_RESERVE] !== 0 || u32[this.stateWord + W_RESERVE_LEN] === 0) return u32[this.stateWord + W_RESERVE] !== 0;
    const ptr = this.child.alloc(u32[this.stateWord + W_RESERVE_LEN], 8);
    u32[this.stateWord + W_RESERVE] = ptr;
    return ptr !== 0;
  }

  /** Gives back the reserve (if held) and the state block. */
  deinit(): void {
    const u32 = this.u32;
    if (u32[this.stateWord + W_RESERVE] !== 0) {
      this.child.free(u32[this.stateWord + W_RESERVE], u32[this.stateWord + W_RESERVE_LEN]);
      u32[this.stateWord + W_RESERVE] = 0;
    }
    this.stateFrom.free(this.state, PRESSURE_STATE_BYTES);
  }

  stats(): AllocatorStats {
    return this.child.stats();
  }

  /** The rare path: handlers, then the reserve. For a remap (`oldPtr` nonzero) the retry is a remap. */
  private underPressure(len: number, align: number | undefined, oldPtr: number, oldLen: number): number {
    this.u32[this.stateWord + W_EVENTS]++;
    this.busy = true;
    let ptr = 0;
    // No return inside try (older Espruino builds mishandle it); a throwing handler still clears busy.
    try {
      ptr = this.relieve(len, align, oldPtr, oldLen);
    } catch (e) {
      this.busy = false;
      throw e;
    }
    this.busy = false;
    return ptr;
  }

  private relieve(len: number, align: number | undefined, oldPtr: number, oldLen: number): number {
    const u32 = this.u32;
    for (let i = 0; i < this.handlers.length; i++) {
      this.handlers[i](len, this);
      const ptr = oldPtr === 0 ? this.child.alloc(len, align) : this.child.remap(oldPtr, oldLen, len, align);
      if (ptr !== 0) return ptr;
    }
    const reserve = u32[this.stateWord + W_RESERVE];
    if (reserve === 0) return 0;
    u32[this.stateWord + W_RESERVE] = 0;
    this.child.free(reserve, u32[this.stateWord + W_RESERVE_LEN]);
    if (this.onReserveReleased !== undefined) this.onReserveReleased(this);
    return oldPtr === 0 ? this.child.alloc(len, align) : this.child.remap(oldPtr, oldLen, len, align);
  }
}
export interface PressureAllocator extends WrapperHelpers {}
