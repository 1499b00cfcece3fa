// What the wrappers share. A wrapper is an allocator that holds another (composition, never
// `extends`: down-levelled inheritance breaks on Espruino). Its counters live in the buffer, in a
// small state block taken once from an allocator (the child by default), because on Espruino
// even `this.n++` on a JS number allocates a fresh value; a Uint32Array store does not.
import type { Allocator } from "../allocator.js";
import { describe, fail } from "../heap/errors.js";

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
