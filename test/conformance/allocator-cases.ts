// Zig's testAllocator idea: one set of cases that every allocator must pass, shaped by its traits.
import type { Allocator } from "../../src/allocator.js";
import type { TypedArray, TypedArrayConstructor } from "../../src/allocators/typed.js";
import { Case, check, checkEqual, checkPattern, checkThrows, checkUnchanged, fillPattern, makeRandom, fingerprint } from "./harness.js";
import type { Subject, SubjectFactory } from "./subjects.js";

interface WithTypedHelpers {
  create<T extends TypedArray>(ctor: TypedArrayConstructor<T>, count: number): T | null;
  destroy(view: TypedArray): void;
}

// 16777209 and 2^32 - 1 are whole 32-bit numbers above HEAP_SIZE_MAX: a fast path that tests only `(len >>> 0) === len` must still refuse them.
const BAD_LENGTHS: unknown[] = [NaN, -1, 1.5, Infinity, -Infinity, 1099511627776, 16777209, 4294967295, "8", null];
const BAD_ALIGNS: unknown[] = [0, 3, 12, -8, 8192, 1.5, NaN, "8"];

/** Frees `ptrs` newest first: an order every allocator accepts. */
function freeAll(a: Allocator, ptrs: number[], lens: number[]): void {
  for (let i = ptrs.length - 1; i >= 0; i--) a.free(ptrs[i], lens[i]);
}

function lenFor(subject: Subject, wanted: number): number {
  return wanted < subject.traits.lenMax ? wanted : subject.traits.lenMax;
}

export function allocatorCases(factory: SubjectFactory): Case[] {
  const name = factory.name;
  const cases: Case[] = [];
  function add(title: string, run: (subject: Subject) => void): void {
    cases.push({ name: name + ": " + title, run: function () { const subject = factory.make(); run(subject); subject.check(); } });
  }

  add("every pointer is aligned as asked, up to its largest alignment", function (subject) {
    const a = subject.allocator;
    for (let align = 1; align <= subject.traits.alignMax; align *= 2) {
      const ptr = a.alloc(lenFor(subject, 3), align);
      check(ptr !== 0, "alloc(3, " + align + ") returned 0");
      checkEqual(ptr % align, 0, "ptr " + ptr + " modulo align " + align);
      subject.reset();
    }
    checkEqual(a.alloc(8) % 8, 0, "default alignment is 8");
  });

  add("allocations do not overlap and keep what was written", function (subject) {
    const a = subject.allocator;
    const random = makeRandom(7);
    const ptrs: number[] = [];
    const lens: number[] = [];
    for (let i = 0; i < 40; i++) {
      const len = lenFor(subject, 1 + Math.floor(random() * 150));
      const ptr = a.alloc(len, 1 << Math.floor(random() * 4));
      if (ptr === 0) break;
      check(ptr > 0 && ptr + len <= subject.heap.sizeBytes, "pointer " + ptr + " is inside the heap");
      fillPattern(subject.heap, ptr, len, i);
      ptrs.push(ptr);
      lens.push(len);
    }
    check(ptrs.length >= 10, "at least 10 allocations fit, got " + ptrs.length);
    for (let i = 0; i < ptrs.length; i++) {
      checkPattern(subject.heap, ptrs[i], lens[i], i, "allocation " + i);
      for (let j = i + 1; j < ptrs.length; j++) {
        check(ptrs[i] + lens[i] <= ptrs[j] || ptrs[j] + lens[j] <= ptrs[i], "allocations " + i + " and " + j + " overlap");
      }
    }
    freeAll(a, ptrs, lens);
  });

  add("out of memory is 0 and changes nothing", function (subject) {
    const a = subject.allocator;
    let before = fingerprint(subject.heap);
    checkEqual(a.alloc(subject.heap.sizeBytes), 0, "alloc larger than the heap");
    checkUnchanged(subject.heap, before, "a failed alloc");
    let count = 0;
    while (a.alloc(lenFor(subject, 48)) !== 0) {
      count++;
      check(count < 10000, "the allocator never ran out");
    }
    check(count > 0, "something was allocated before running out");
    before = fingerprint(subject.heap);
    checkEqual(a.alloc(lenFor(subject, 48)), 0, "alloc when exhausted");
    checkUnchanged(subject.heap, before, "alloc when exhausted");
    subject.reset();
    check(a.alloc(lenFor(subject, 48)) !== 0, "alloc works again after reset");
  });

  add("freeing newest first gives every byte back", function (subject) {
    const a = subject.allocator;
    const usedBefore = a.stats().usedBytes;
    const ptrs: number[] = [];
    const lens = [8, 16, 8, 8];
    for (let i = 0; i < lens.length; i++) ptrs.push(a.alloc(lenFor(subject, lens[i])));
    for (let i = 0; i < lens.length; i++) lens[i] = lenFor(subject, lens[i]);
    check(a.stats().usedBytes > usedBefore, "usedBytes grew");
    freeAll(a, ptrs, lens);
    checkEqual(a.stats().usedBytes, usedBefore, "usedBytes after freeing all");
    checkEqual(a.stats().allocationCount, 0, "allocationCount after freeing all");
  });

  add("resize grows and shrinks the newest allocation in place", function (subject) {
    const a = subject.allocator;
    const ptr = a.alloc(16);
    fillPattern(subject.heap, ptr, 16, 3);
    check(a.resize(ptr, 16, lenFor(subject, 40)), "resize(16 -> 40)");
    checkPattern(subject.heap, ptr, 16, 3, "after growing");
    check(a.resize(ptr, lenFor(subject, 40), 8), "resize(40 -> 8)");
    check(a.resize(ptr, 8, 8), "resize to the same length");
    checkEqual(a.resize(ptr, 8, subject.heap.sizeBytes), false, "resize beyond the heap");
    a.free(ptr, 8);
    checkEqual(a.stats().allocationCount, 0, "allocationCount after free");
  });

  add("remap keeps the data, moving only when it must", function (subject) {
    const a = subject.allocator;
    const ptr = a.alloc(16);
    const other = a.alloc(16);
    fillPattern(subject.heap, ptr, 16, 5);
    const grown = lenFor(subject, 48);
    if (!subject.traits.moves) {
      const before = fingerprint(subject.heap);
      checkEqual(a.remap(ptr, 16, grown), 0, "remap of a buried allocation on an allocator that cannot move");
      checkUnchanged(subject.heap, before, "a refused remap");
      a.free(other, 16);
      a.free(ptr, 16);
      return;
    }
    const moved = a.remap(ptr, 16, grown);
    check(moved !== 0, "remap returned 0");
    checkPattern(subject.heap, moved, 16, 5, "after remap");
    checkEqual(a.remap(moved, grown, grown), moved, "remap to the same length stays");
    const before = fingerprint(subject.heap);
    checkEqual(a.remap(moved, grown, subject.heap.sizeBytes), 0, "remap beyond the heap");
    checkUnchanged(subject.heap, before, "a failed remap");
  });

  add("reset frees everything", function (subject) {
    const a = subject.allocator;
    for (let i = 0; i < 10; i++) check(a.alloc(lenFor(subject, 32)) !== 0, "alloc " + i);
    subject.reset();
    const stats = a.stats();
    checkEqual(stats.usedBytes, 0, "usedBytes after reset");
    checkEqual(stats.allocationCount, 0, "allocationCount after reset");
    check(stats.peakBytes > 0, "peakBytes remembers the high-water mark");
  });

  add("stats are consistent", function (subject) {
    const a = subject.allocator;
    const random = makeRandom(11);
    let requested = 0;
    let count = 0;
    for (let i = 0; i < 20; i++) {
      const len = lenFor(subject, 1 + Math.floor(random() * 100));
      if (a.alloc(len) === 0) break;
      requested += len;
      count++;
    }
    const stats = a.stats();
    checkEqual(stats.allocationCount, count, "allocationCount");
    check(stats.usedBytes >= requested, "usedBytes " + stats.usedBytes + " covers the " + requested + " bytes requested");
    check(stats.usedBytes <= stats.capacityBytes || stats.capacityBytes === 0, "usedBytes within capacity");
    check(stats.peakBytes >= stats.usedBytes, "peakBytes >= usedBytes");
    check(stats.largestFreeBytes >= 0, "largestFreeBytes is not negative");
    if (stats.largestFreeBytes > 0) check(a.alloc(stats.largestFreeBytes, 1) !== 0, "alloc(largestFreeBytes = " + stats.largestFreeBytes + ") succeeds");
  });

  add("typed helpers create and destroy views on the heap", function (subject) {
    const a = subject.allocator as Allocator & WithTypedHelpers;
    const floats = a.create(Float32Array, 4);
    check(floats !== null, "create(Float32Array, 4) returned null");
    const view = floats as Float32Array;
    checkEqual(view.length, 4, "length");
    checkEqual(view.buffer, subject.heap.buffer, "the view is on the heap's buffer");
    checkEqual(view.byteOffset % 4, 0, "element alignment");
    view[1] = 1.5;
    checkEqual(subject.heap.f32[(view.byteOffset >> 2) + 1], 1.5, "written through the view, read through the heap");
    a.destroy(view);
    checkEqual(a.stats().allocationCount, 0, "allocationCount after destroy");
    checkEqual(a.create(Float64Array, subject.heap.sizeBytes), null, "create beyond the heap is null");
    checkThrows(function () { a.create(Array as unknown as TypedArrayConstructor<Uint8Array>, 2); }, "InvalidArgument", "create(Array)");
    checkThrows(function () { a.destroy(new Uint8Array(4)); }, "InvalidFree", "destroy of a foreign view");
  });

  add("bad lengths and alignments throw and change nothing", function (subject) {
    const a = subject.allocator;
    const ptr = a.alloc(16);
    const before = fingerprint(subject.heap);
    for (let i = 0; i < BAD_LENGTHS.length; i++) {
      const bad = BAD_LENGTHS[i] as number;
      const message = checkThrows(function () { a.alloc(bad); }, "InvalidArgument", "alloc(" + String(bad) + ")");
      check(message.indexOf(bad === null ? "null" : String(bad)) >= 0 || typeof bad === "string", "the message names " + String(bad) + ": " + message);
      checkThrows(function () { a.resize(ptr, 16, bad); }, "InvalidArgument", "resize(ptr, 16, " + String(bad) + ")");
      checkThrows(function () { a.remap(ptr, 16, bad); }, "InvalidArgument", "remap(ptr, 16, " + String(bad) + ")");
    }
    for (let i = 0; i < BAD_ALIGNS.length; i++) {
      const bad = BAD_ALIGNS[i] as number;
      checkThrows(function () { a.alloc(8, bad); }, "InvalidArgument", "alloc(8, " + String(bad) + ")");
    }
    checkUnchanged(subject.heap, before, "bad arguments");
  });

  add("foreign pointers are refused and change nothing", function (subject) {
    const a = subject.allocator;
    const ptr = a.alloc(16);
    const before = fingerprint(subject.heap);
    const foreign = [0, subject.heap.sizeBytes - 8, ptr + 3, -16, 1.5, NaN];
    for (let i = 0; i < foreign.length; i++) {
      const bad = foreign[i];
      checkThrows(function () { a.free(bad, 16); }, "InvalidFree", "free(" + bad + ", 16)");
    }
    checkThrows(function () { a.resize(subject.heap.sizeBytes - 8, 16, 8); }, "InvalidArgument", "resize of a foreign pointer");
    checkUnchanged(subject.heap, before, "foreign pointers");
    a.free(ptr, 16);
  });

  return cases;
}
