import type { Allocator } from "../allocator.js";
import type { BootHeap } from "../heap/boot-heap.js";
import { describe, fail } from "../heap/errors.js";
import { fillBytes } from "../heap/memory.js";

export type FieldType = "u8" | "i8" | "u16" | "i16" | "u32" | "i32" | "f32" | "f64" | "bool";

const FIELD_BYTES: { [type: string]: number } = { u8: 1, i8: 1, bool: 1, u16: 2, i16: 2, u32: 4, i32: 4, f32: 4, f64: 8 };
const FIELD_SHIFT: { [type: string]: number } = { u8: 0, i8: 0, bool: 0, u16: 1, i16: 1, u32: 2, i32: 2, f32: 2, f64: 3 };

export interface Field {
  name: string;
  type: FieldType;
  offset: number;
}

export type Getter = (ptr: number) => number | boolean;
export type Setter = (ptr: number, value: number | boolean) => void;

/** Field accessors bound to one heap: `get.x(ptr)`, `set.x(ptr, value)`. Made once, then garbage-free. */
export interface StructView<F extends string> {
  get: { [name in F]: Getter };
  set: { [name in F]: Setter };
}

export interface Struct<F extends string> {
  readonly sizeBytes: number;
  readonly alignBytes: number;
  readonly fields: Field[];
  readonly offsets: { [name in F]: number };
  bind(heap: BootHeap): StructView<F>;
  /** A zeroed record from `allocator`, or 0 when out of memory. */
  create(allocator: Allocator): number;
  /** `count` zeroed records back to back, or 0 when out of memory. */
  createArray(allocator: Allocator, count: number): number;
  destroy(allocator: Allocator, ptr: number): void;
  destroyArray(allocator: Allocator, ptr: number, count: number): void;
}

/**
 * Lays out a record with C / Zig extern-struct rules: fields in the order given, each at a
 * multiple of its own size, the record's size a multiple of its largest field.
 */
export function struct<F extends string>(spec: { [name in F]: FieldType }): Struct<F> {
  if (spec === null || typeof spec !== "object") fail("InvalidArgument", "struct expects an object of field types, got " + describe(spec));
  const names = Object.keys(spec) as F[];
  if (names.length === 0) fail("InvalidArgument", "struct needs at least one field");
  const fields: Field[] = [];
  const offsets = {} as { [name in F]: number };
  let offset = 0;
  let alignBytes = 1;
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const type = spec[name];
    const bytes = FIELD_BYTES[type];
    if (typeof bytes !== "number" || !Object.prototype.hasOwnProperty.call(FIELD_BYTES, type)) {
      fail("InvalidArgument", "field " + describe(name) + " has type " + describe(type) + "; expected one of u8 i8 u16 i16 u32 i32 f32 f64 bool");
    }
    offset = (offset + bytes - 1) & -bytes;
    fields.push({ name: name, type: type, offset: offset });
    offsets[name] = offset;
    offset += bytes;
    if (bytes > alignBytes) alignBytes = bytes;
  }
  const sizeBytes = (offset + alignBytes - 1) & -alignBytes;

  function checkCount(count: number): number {
    if ((count >>> 0) !== count || count < 1) fail("InvalidArgument", "count must be a whole number of at least 1, got " + describe(count));
    return count;
  }

  return {
    sizeBytes: sizeBytes,
    alignBytes: alignBytes,
    fields: fields,
    offsets: offsets,
    bind: function (heap: BootHeap): StructView<F> {
      const get = {} as { [name in F]: Getter };
      const set = {} as { [name in F]: Setter };
      for (let i = 0; i < fields.length; i++) {
        const field = fields[i];
        get[field.name as F] = getter(heap, field);
        set[field.name as F] = setter(heap, field);
      }
      return { get: get, set: set };
    },
    create: function (allocator: Allocator): number {
      return this.createArray(allocator, 1);
    },
    createArray: function (allocator: Allocator, count: number): number {
      const len = checkCount(count) * sizeBytes;
      const ptr = allocator.alloc(len, alignBytes);
      if (ptr !== 0) fillBytes(allocator.heap, ptr, len, 0);
      return ptr;
    },
    destroy: function (allocator: Allocator, ptr: number): void {
      allocator.free(ptr, sizeBytes);
    },
    destroyArray: function (allocator: Allocator, ptr: number, count: number): void {
      allocator.free(ptr, checkCount(count) * sizeBytes);
    },
  };
}

// One closure per field, made at bind time; each access is index arithmetic on a shared view.
function getter(heap: BootHeap, field: Field): Getter {
  const o = field.offset;
  const shift = FIELD_SHIFT[field.type];
  const view = viewFor(heap, field.type);
  if (field.type === "bool") return function (ptr: number) { return view[ptr + o] !== 0; };
  if (shift === 0) return function (ptr: number) { return view[ptr + o]; };
  return function (ptr: number) { return view[(ptr + o) >> shift]; };
}

function setter(heap: BootHeap, field: Field): Setter {
  const o = field.offset;
  const shift = FIELD_SHIFT[field.type];
  const view = viewFor(heap, field.type);
  if (field.type === "bool") return function (ptr: number, value: number | boolean) { view[ptr + o] = value ? 1 : 0; };
  if (shift === 0) return function (ptr: number, value: number | boolean) { view[ptr + o] = value as number; };
  return function (ptr: number, value: number | boolean) { view[(ptr + o) >> shift] = value as number; };
}

function viewFor(heap: BootHeap, type: FieldType): ArrayLike<number> & { [i: number]: number } {
  switch (type) {
    case "u8": case "bool": return heap.u8;
    case "i8": return heap.i8;
    case "u16": return heap.u16;
    case "i16": return heap.i16;
    case "u32": return heap.u32;
    case "i32": return heap.i32;
    case "f32": return heap.f32;
    default: return heap.f64;
  }
}
