import { describe, fail } from "./errors.js";

/** Espruino caps an ArrayBuffer at 0xFFFFFF bytes; no pointer or length can exceed it. */
export const HEAP_SIZE_MAX = 0xfffff8;
export const ALIGN_MAX = 4096;
/** Espruino throws for a typed-array view whose byteOffset is above this (ESPRUINO.md). */
export const VIEW_OFFSET_MAX = 65535;

export function isPowerOfTwo(n: number): boolean {
  return (n >>> 0) === n && n > 0 && (n & (n - 1)) === 0;
}

/** Rounds `n` up to a multiple of `align` (a power of two); exact for n below 2^31. */
export function alignForward(n: number, align: number): number {
  return (n + align - 1) & ~(align - 1);
}

export function isWholeNumber(value: unknown, max: number): boolean {
  return typeof value === "number" && value >= 0 && value <= max && value % 1 === 0;
}

/** A byte count: a whole number from 0 to HEAP_SIZE_MAX. */
export function checkLength(what: string, value: unknown): number {
  if (!isWholeNumber(value, HEAP_SIZE_MAX)) {
    fail("InvalidArgument", what + " must be a whole number of bytes from 0 to " + HEAP_SIZE_MAX + ", got " + describe(value));
  }
  return value as number;
}

/** An alignment: undefined means `fallback`; otherwise a power of two from 1 to ALIGN_MAX. */
export function checkAlign(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !isPowerOfTwo(value) || value > ALIGN_MAX) {
    fail("InvalidArgument", "align must be a power of two from 1 to " + ALIGN_MAX + ", got " + describe(value));
  }
  return value as number;
}

/** A pointer argument: a whole number, nonzero, inside the heap. Ownership is the allocator's to check. */
export function checkPointer(value: unknown, heapSizeBytes: number): number {
  if (!isWholeNumber(value, heapSizeBytes - 1) || value === 0) {
    fail("InvalidArgument", "ptr must be a nonzero byte offset inside the " + heapSizeBytes + "-byte heap, got " + describe(value));
  }
  return value as number;
}

/** log2 of a power of two (a loop: Espruino has no Math.log2 or Math.clz32). */
export function log2(powerOfTwo: number): number {
  let n = 0;
  while (powerOfTwo > 1) {
    powerOfTwo >>= 1;
    n++;
  }
  return n;
}

/**
 * The first arguments of every region allocator's constructor: a BootHeap and a region object.
 * Checked before anything reads them, so a wrong value gets a coded error and the heap is
 * unchanged (the heap's claim() then checks the region against its table).
 */
export function checkHeapRegion(heap: unknown, region: unknown): void {
  const h = heap as { claim?: unknown } | null;
  const r = region as { offset?: unknown; sizeBytes?: unknown } | null;
  const heapBad = h === null || typeof h !== "object" || typeof h.claim !== "function";
  if (heapBad || r === null || typeof r !== "object" || !isWholeNumber(r.offset, HEAP_SIZE_MAX) || !isWholeNumber(r.sizeBytes, HEAP_SIZE_MAX)) {
    fail("InvalidArgument", heapBad ? "heap must be a BootHeap, got " + describe(heap) : "region must come from heap.carve(), got " + describe(region));
  }
}

/**
 * A debug-build assertion on an internal invariant: write `if (DEBUG) assert(...)` so release
 * bundles drop the call and its condition. `what` is a constant string (no garbage per call).
 */
export function assert(condition: boolean, what: string): void {
  if (!condition) fail("Corrupt", "assertion failed: " + what);
}
