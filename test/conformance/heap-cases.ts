import { BootHeap } from "../../src/heap/boot-heap.js";
import { FixedBufferAllocator } from "../../src/allocators/fixed-buffer.js";
import { headerBytes, HEAP_MAGIC } from "../../src/heap/layout.js";
import { Case, check, checkEqual, checkThrows, checkUnchanged, fingerprint } from "./harness.js";

export function heapCases(): Case[] {
  return [
    {
      name: "BootHeap: header at offset 0 holds magic, version and size",
      run: function () {
        const heap = new BootHeap(4096);
        checkEqual(heap.u32[0], HEAP_MAGIC, "magic");
        checkEqual(heap.u16[2], 1, "format version");
        checkEqual(heap.u32[2], 4096, "size");
        checkEqual(heap.uncarvedBytes, 4096 - headerBytes(8), "bytes left after the header");
        checkEqual(heap.sealed, false, "sealed");
      },
    },
    {
      name: "BootHeap: carve aligns regions, never overlaps, never returns offset 0",
      run: function () {
        const heap = new BootHeap(8192);
        const a = heap.carve(100, 8, "a");
        const b = heap.carve(300, 256, "b");
        const c = heap.carve(5, 1, "c");
        check(a.offset >= headerBytes(8), "a is after the header");
        checkEqual(b.offset % 256, 0, "b is 256-aligned");
        check(a.offset + a.sizeBytes <= b.offset && b.offset + b.sizeBytes <= c.offset, "regions are in order, apart");
        const regions = heap.regions();
        checkEqual(regions.length, 3, "regions()");
        checkEqual(regions[1].name, "b", "name read back from the table");
        checkEqual(regions[1].alignBytes, 256, "alignment read back from the table");
        checkEqual(regions[2].kind, "unclaimed", "kind of an unclaimed region");
      },
    },
    {
      name: "BootHeap: seal() makes carve throw Sealed and change nothing",
      run: function () {
        const heap = new BootHeap(4096);
        heap.carve(64, 8, "boot");
        heap.seal();
        check(heap.sealed, "sealed");
        const before = fingerprint(heap);
        const message = checkThrows(function () { heap.carve(64, 8, "late"); }, "Sealed", "carve after seal");
        check(message.indexOf("late") >= 0, "the message names the region: " + message);
        checkUnchanged(heap, before, "carve after seal");
      },
    },
    {
      name: "BootHeap: bad carve arguments throw InvalidArgument and change nothing",
      run: function () {
        const heap = new BootHeap(4096);
        heap.carve(64, 8, "taken");
        const before = fingerprint(heap);
        const bad: Array<[unknown, unknown, unknown]> = [
          [NaN, 8, "x"], [-1, 8, "x"], [1.5, 8, "x"], [Infinity, 8, "x"], [0, 8, "x"], [64, 3, "x"], [64, 8192, "x"],
          [64, 8, ""], [64, 8, "much-too-long-name"], [64, 8, "has space"], [64, 8, 7], [64, 8, "taken"],
        ];
        for (let i = 0; i < bad.length; i++) {
          const args = bad[i];
          checkThrows(function () { heap.carve(args[0] as number, args[1] as number, args[2] as string); }, "InvalidArgument", "carve(" + String(args[0]) + ", " + String(args[1]) + ", " + String(args[2]) + ")");
        }
        checkUnchanged(heap, before, "bad carve arguments");
      },
    },
    {
      name: "BootHeap: a region larger than what is left, or a full table, is OutOfMemory",
      run: function () {
        const heap = new BootHeap(1024, 2);
        const before = fingerprint(heap);
        checkThrows(function () { heap.carve(2048, 8, "big"); }, "OutOfMemory", "carve beyond the heap");
        checkUnchanged(heap, before, "carve beyond the heap");
        heap.carve(8, 8, "one");
        heap.carve(8, 8, "two");
        checkThrows(function () { heap.carve(8, 8, "three"); }, "OutOfMemory", "carve with a full region table");
      },
    },
    {
      name: "BootHeap: bad sizes throw InvalidArgument",
      run: function () {
        const sizes: unknown[] = [NaN, -8, 12.5, 100, 4097, 0x1000000, Infinity, "4096"];
        for (let i = 0; i < sizes.length; i++) {
          const size = sizes[i] as number;
          checkThrows(function () { return new BootHeap(size); }, "InvalidArgument", "new BootHeap(" + String(size) + ")");
        }
        checkThrows(function () { return new BootHeap(4096, 0); }, "InvalidArgument", "regionCountMax 0");
      },
    },
    {
      name: "BootHeap: a region serves one allocator; foreign regions are refused",
      run: function () {
        const heap = new BootHeap(4096);
        const other = new BootHeap(4096);
        const region = heap.carve(512, 8, "r");
        const foreign = other.carve(256, 8, "f");
        const fixed = new FixedBufferAllocator(heap, region);
        check(fixed.alloc(8) !== 0, "the first allocator works");
        checkEqual(heap.regions()[0].kind, "fixed", "the table records the allocator kind");
        checkThrows(function () { return new FixedBufferAllocator(heap, region); }, "InvalidArgument", "a second allocator on the same region");
        checkThrows(function () { return new FixedBufferAllocator(heap, foreign); }, "InvalidArgument", "a region of another heap");
      },
    },
  ];
}
