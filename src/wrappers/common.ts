// What the wrappers share. A wrapper is an allocator that holds another (composition, never
// `extends`: down-levelled inheritance breaks on Espruino). Its counters live in the buffer, in a
// small state block taken once from an allocator (the child by default), because on Espruino
// even `this.n++` on a JS number allocates a fresh value; a Uint32Array store does not.
import type { Allocator } from "../allocator.js";
import { describe, fail } from "../heap/errors.js";
import { addTypedHelpers } from "../allocators/typed.js";
import type { TypedHelpers } from "../allocators/typed.js";

export function checkChild(child: unknown, what: string): Allocator {
  const c = child as Allocator;
  if (c === null || typeof c !== "object" || typeof c.alloc !== "function" || typeof c.free !== "function" || c.heap === undefined) {
    fail("InvalidArgument", what + " must be an allocator, got " + describe(child));
  }
  return c;
}

/**
 * Takes a `bytes`-byte, 8-aligned, zeroed state block from `from` (the child when undefined).
 * Construction happens at boot, so running out here throws code OutOfMemory.
 */
export function takeState(child: Allocator, from: Allocator | undefined, bytes: number, who: string): number {
  const source = from === undefined ? child : checkChild(from, "options.state");
  if (source.heap !== child.heap) fail("InvalidArgument", "options.state must allocate from the same heap as the child");
  const ptr = source.alloc(bytes, 8);
  if (ptr === 0) fail("OutOfMemory", who + " needs " + bytes + " bytes of state and its allocator has none left");
  const u32 = child.heap.u32;
  for (let i = 0; i < bytes >> 2; i++) u32[(ptr >> 2) + i] = 0;
  return ptr;
}

/**
 * A test for "is this pointer one of `allocator`'s", made once at construction: the
 * allocator's own `ownsPtr`, else its region's bounds, else its child's test (an arena or a
 * wrapper). Null when none of these exist.
 */
export function ownershipTest(allocator: Allocator): ((ptr: number) => boolean) | null {
  const a = allocator as Allocator & { ownsPtr?: (ptr: number) => boolean; region?: { offset: number; sizeBytes: number }; child?: Allocator };
  if (typeof a.ownsPtr === "function") {
    return function (ptr: number) { return (a.ownsPtr as (ptr: number) => boolean)(ptr); };
  }
  const region = a.region;
  if (region !== null && typeof region === "object" && typeof region.offset === "number") {
    const start = region.offset;
    const end = region.offset + region.sizeBytes;
    return function (ptr: number) { return ptr >= start && ptr < end; };
  }
  if (a.child !== null && typeof a.child === "object") return ownershipTest(a.child);
  return null;
}

/** Text for a report or a stats line; the default sink for wrappers that print. */
export function printLine(line: string): void {
  // console exists on every target engine (Espruino, Duktape's duk, Node).
  console.log(line);
}

/** What every wrapper forwards the same way: the typed helpers, and ownership to its child. */
export interface WrapperHelpers extends TypedHelpers {
  /** True when `ptr` is inside memory the child owns (for FallbackAllocator and friends). */
  ownsPtr(ptr: number): boolean;
}

/**
 * Gives a wrapper class's prototype the typed helpers and `ownsPtr`, which answers with the
 * ownership test the wrapper made of its child at construction (its `childOwns` field). One
 * copy for the wrappers instead of one each. Each wrapper's constructor calls it (it installs
 * once): a call at the top of the module would be a side effect that keeps the class in release
 * bundles whose `if (DEBUG)` branches were its only users.
 */
export function addWrapperHelpers(proto: object): void {
  if (typeof (proto as WrapperHelpers).ownsPtr === "function") return;
  addTypedHelpers(proto);
  (proto as WrapperHelpers).ownsPtr = ownsPtrMethod;
}

/** `ownsPtr` of every wrapper (one function for all; `this` is the wrapper). */
function ownsPtrMethod(this: { childOwns: ((ptr: number) => boolean) | null }, ptr: number): boolean {
  return this.childOwns === null ? false : this.childOwns(ptr);
}

// The counter block CountingAllocator and FailingAllocator share: 48 bytes taken once from
// options.state (default: the child), two f64 byte totals first, then u32 words of the
// wrapper's own (from word COUNTERS_FIRST_WORD).
export const COUNTERS_BYTES = 48;
/** f64 index (from the block's f64 index) of the bytes allocated in total, grows included. */
export const TOTAL_ALLOCATED = 0;
/** f64 index of the bytes freed in total, shrinks included. */
export const TOTAL_FREED = 1;
export const COUNTERS_FIRST_WORD = 4;

/** Adds a resize from `len` to `newLen` to the totals of the block at f64 index `totals`. */
export function addResizeTotals(f64: Float64Array, totals: number, len: number, newLen: number): void {
  if (newLen > len) f64[totals + TOTAL_ALLOCATED] += newLen - len;
  else f64[totals + TOTAL_FREED] += len - newLen;
}
