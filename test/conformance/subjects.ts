// The allocators under test, each made fresh for every case on its own small heap.
import type { Allocator } from "../../src/allocator.js";
import { BootHeap } from "../../src/heap/boot-heap.js";
import { FixedBufferAllocator } from "../../src/allocators/fixed-buffer.js";
import { ArenaAllocator } from "../../src/allocators/arena.js";
import { MemoryPool } from "../../src/allocators/pool.js";
import { StackAllocator } from "../../src/allocators/stack.js";
import { TlsfAllocator } from "../../src/allocators/tlsf.js";

/** What a case may expect of an allocator. */
export interface Traits {
  /** Which frees give memory back: any order, only the newest ("last"), or strictly LIFO (others throw). */
  frees: "any" | "last" | "lifo";
  /** Largest single request that can succeed (a pool's slot size); Infinity when only capacity limits it. */
  lenMax: number;
  /** Largest alignment honoured. */
  alignMax: number;
  /** Whether remap may move an allocation (a stack cannot). */
  moves: boolean;
}

export interface Subject {
  heap: BootHeap;
  allocator: Allocator;
  traits: Traits;
  /** Frees everything at once. */
  reset(): void;
  /** The allocator's own integrity check, when it has one. */
  check(): void;
}

export interface SubjectFactory {
  name: string;
  /** A fresh subject; `extraBytes` of heap are left uncarved for the caller (a debug table, say). */
  make(extraBytes?: number): Subject;
}

// Small enough that two subjects live at once on a 1600-JsVar ESP8266 (the self-test runs there).
export const HEAP_BYTES = 8192;
export const REGION_BYTES = 6144;

function subjectHeap(extraBytes: number | undefined): BootHeap {
  return new BootHeap(HEAP_BYTES + (extraBytes === undefined ? 0 : (extraBytes + 7) & ~7));
}

export const subjectFactories: SubjectFactory[] = [
  {
    name: "FixedBufferAllocator",
    make: function (extraBytes?: number) {
      const heap = subjectHeap(extraBytes);
      const a = new FixedBufferAllocator(heap, heap.carve(REGION_BYTES, 8, "fixed"));
      return { heap: heap, allocator: a, traits: { frees: "last", lenMax: Infinity, alignMax: 4096, moves: true }, reset: function () { a.reset(); }, check: function () { a.check(); } };
    },
  },
  {
    name: "ArenaAllocator(FixedBufferAllocator)",
    make: function (extraBytes?: number) {
      const heap = subjectHeap(extraBytes);
      const a = new ArenaAllocator(new FixedBufferAllocator(heap, heap.carve(REGION_BYTES, 8, "arena")));
      return { heap: heap, allocator: a, traits: { frees: "last", lenMax: Infinity, alignMax: 4096, moves: true }, reset: function () { a.reset("free_all"); }, check: function () {} };
    },
  },
  {
    name: "MemoryPool",
    make: function (extraBytes?: number) {
      const heap = subjectHeap(extraBytes);
      const a = new MemoryPool(heap, heap.carve(REGION_BYTES, 8, "pool"), 64);
      return { heap: heap, allocator: a, traits: { frees: "any", lenMax: 64, alignMax: 8, moves: true }, reset: function () { a.reset(); }, check: function () { a.check(); } };
    },
  },
  {
    name: "StackAllocator",
    make: function (extraBytes?: number) {
      const heap = subjectHeap(extraBytes);
      const a = new StackAllocator(heap, heap.carve(REGION_BYTES, 8, "stack"));
      return { heap: heap, allocator: a, traits: { frees: "lifo", lenMax: Infinity, alignMax: 4096, moves: false }, reset: function () { a.reset(); }, check: function () { a.check(); } };
    },
  },
  {
    name: "TlsfAllocator",
    make: function (extraBytes?: number) {
      const heap = subjectHeap(extraBytes);
      const a = new TlsfAllocator(heap, heap.carve(REGION_BYTES, 8, "tlsf"));
      return { heap: heap, allocator: a, traits: { frees: "any", lenMax: Infinity, alignMax: 4096, moves: true }, reset: function () { a.reset(); }, check: function () { a.check(); } };
    },
  },
];
