import type { Allocator } from "../allocator.js";
import { checkAlign, checkLength, VIEW_OFFSET_MAX } from "../heap/checks.js";
import { copyBytes } from "../heap/memory.js";
import { describe, fail } from "../heap/errors.js";

export type TypedArray =
  | Uint8Array | Int8Array | Uint8ClampedArray | Uint16Array | Int16Array
  | Uint32Array | Int32Array | Float32Array | Float64Array;

export interface TypedArrayConstructor<T extends TypedArray> {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
}

/** Element size of a typed-array constructor; Espruino has no BYTES_PER_ELEMENT. */
export function bytesPerElement(ctor: unknown): number {
  if (ctor === Uint8Array || ctor === Int8Array || ctor === Uint8ClampedArray) return 1;
  if (ctor === Uint16Array || ctor === Int16Array) return 2;
  if (ctor === Uint32Array || ctor === Int32Array || ctor === Float32Array) return 4;
  if (ctor === Float64Array) return 8;
  return fail("InvalidArgument", "expected a typed-array constructor such as Float32Array, got " + describe(ctor));
}

/**
 * Allocates `count` elements aligned to the element size and returns a view on them, or
 * null when out of memory. Views are the one place a helper allocates a JS object. A view
 * past byte 65535 throws on Espruino, so every engine refuses one (code ViewLimit, nothing
 * left allocated) and code tested on the host behaves the same on the board.
 */
export function createView<T extends TypedArray>(allocator: Allocator, ctor: TypedArrayConstructor<T>, count: number): T | null {
  const elementBytes = bytesPerElement(ctor);
  if ((count >>> 0) !== count) fail("InvalidArgument", "count must be a whole number, got " + describe(count));
  const len = count * elementBytes;
  const ptr = allocator.alloc(len, elementBytes);
  if (ptr === 0) return null;
  if (ptr > VIEW_OFFSET_MAX) {
    allocator.free(ptr, len);
    fail("ViewLimit", "the allocation landed at byte " + ptr + "; a typed-array view above byte " + VIEW_OFFSET_MAX + " throws on Espruino: use the heap's whole-heap views with the pointer instead");
  }
  return new ctor(allocator.heap.buffer, ptr, count);
}

export function destroyView(allocator: Allocator, view: TypedArray): void {
  if (view === null || typeof view !== "object" || view.buffer !== allocator.heap.buffer) {
    fail("InvalidFree", "destroy expects a view made by create() on this heap, got " + describe(view));
  }
  allocator.free(view.byteOffset, view.byteLength);
}

/** Copies `bytes` (a view on this heap or on any buffer) into a new allocation; 0 when out of memory. */
export function dupe(allocator: Allocator, bytes: ArrayLike<number>, align?: number): number {
  return dupeMethod.call(allocator, bytes, align);
}

/** `dupe` as a method (`this` is the allocator): the typed helper every allocator has. */
export function dupeMethod(this: Allocator, bytes: ArrayLike<number>, align?: number): number {
  const len = bytes.length;
  const ptr = this.alloc(len, align);
  if (ptr === 0) return 0;
  const u8 = this.heap.u8;
  for (let i = 0; i < len; i++) u8[ptr + i] = bytes[i];
  return ptr;
}

/**
 * `remap` for any allocator, as a method (`this` is the allocator; one function for every
 * class that uses it): in place if it can (and `ptr` has the alignment asked for), else
 * allocate, copy, free. Every argument is checked before anything changes: `align` here, the
 * pointer and lengths by a same-length resize (which changes nothing) when it cannot stay.
 */
export function remapMethod(this: Allocator, ptr: number, len: number, newLen: number, align?: number): number {
  const a = align === undefined ? 1 : checkAlign(align, 1);
  if ((ptr & (a - 1)) === 0) {
    if (this.resize(ptr, len, newLen)) return ptr;
  } else {
    this.resize(ptr, len, len);
    checkLength("newLen", newLen);
  }
  const moved = this.alloc(newLen, align);
  if (moved === 0) return 0;
  copyBytes(this.heap, moved, ptr, len < newLen ? len : newLen);
  this.free(ptr, len);
  return moved;
}

export interface TypedHelpers {
  create<T extends TypedArray>(ctor: TypedArrayConstructor<T>, count: number): T | null;
  destroy(view: TypedArray): void;
  dupe(bytes: ArrayLike<number>, align?: number): number;
}

// The typed helpers as methods (`this` is the allocator): one function each for every class,
// so a prototype costs the interpreter a property per helper, not a new function (each function
// costs Espruino a few JsVars, one more per parameter).
function createMethod<T extends TypedArray>(this: Allocator, ctor: TypedArrayConstructor<T>, count: number): T | null {
  return createView(this, ctor, count);
}

function destroyMethod(this: Allocator, view: TypedArray): void {
  destroyView(this, view);
}

/** Gives a class's prototype the typed helpers, so each allocator has them without a base class. */
export function addTypedHelpers(proto: object): void {
  const p = proto as TypedHelpers;
  p.create = createMethod;
  p.destroy = destroyMethod;
  p.dupe = dupeMethod;
}
