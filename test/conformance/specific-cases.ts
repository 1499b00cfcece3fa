// What one allocator promises beyond the shared interface.
import { BootHeap } from "../../src/heap/boot-heap.js";
import { FixedBufferAllocator } from "../../src/allocators/fixed-buffer.js";
import { ArenaAllocator, ARENA_CHUNK_HEADER_BYTES } from "../../src/allocators/arena.js";
import { MemoryPool } from "../../src/allocators/pool.js";
import { StackAllocator } from "../../src/allocators/stack.js";
import { Case, check, checkEqual, checkPattern, checkThrows, checkUnchanged, fillPattern, fingerprint } from "./harness.js";

export function specificCases(): Case[] {
  return [
    {
      name: "FixedBufferAllocator: frees and resizes only the last allocation",
      run: function () {
        const heap = new BootHeap(4096);
        const fixed = new FixedBufferAllocator(heap, heap.carve(1024, 8, "scratch"));
        const a = fixed.alloc(16);
        const b = fixed.alloc(16);
        check(fixed.isLastAllocation(b, 16) && !fixed.isLastAllocation(a, 16), "isLastAllocation");
        fixed.free(a, 16);
        checkEqual(fixed.stats().usedBytes, 32, "freeing a buried allocation is a no-op");
        checkEqual(fixed.resize(a, 16, 32), false, "a buried allocation cannot grow");
        check(fixed.resize(a, 16, 8), "a buried allocation may shrink (in name only)");
        check(fixed.resize(b, 16, 64), "the last allocation grows");
        fixed.free(b, 64);
        checkEqual(fixed.stats().usedBytes, 16, "freeing the last allocation rolls back");
        check(fixed.ownsPtr(a) && !fixed.ownsPtr(4000) && !fixed.ownsPtr(0), "ownsPtr");
      },
    },
    {
      name: "FixedBufferAllocator and ArenaAllocator: a zero-length allocation after a rolled-back one can still be freed",
      run: function () {
        const heap = new BootHeap(8192);
        const fixed = new FixedBufferAllocator(heap, heap.carve(1024, 8, "scratch"));
        const arena = new ArenaAllocator(new FixedBufferAllocator(heap, heap.carve(1024, 8, "arena")));
        const bumps = [fixed, arena];
        for (let i = 0; i < bumps.length; i++) {
          const a = bumps[i];
          const p = a.alloc(1, 1);
          const q = a.alloc(0, 1);
          a.free(p, 1);
          const r = a.alloc(0, 1);
          a.free(r, 0);
          a.free(q, 0);
          checkThrows(function () { a.free(q + 2000, 0); }, "InvalidFree", "a zero-length free outside the allocator");
        }
      },
    },
    {
      name: "FixedBufferAllocator: savestate and restore checkpoint the cursor",
      run: function () {
        const heap = new BootHeap(4096);
        const fixed = new FixedBufferAllocator(heap, heap.carve(1024, 8, "scratch"));
        fixed.alloc(24);
        const state = fixed.savestate();
        fixed.alloc(100);
        fixed.alloc(200);
        fixed.restore(state);
        checkEqual(fixed.stats().usedBytes, 24, "usedBytes after restore");
        checkEqual(fixed.stats().allocationCount, 1, "allocationCount after restore");
        const at = fixed.alloc(8);
        checkEqual(at, fixed.region.offset + 24, "the next allocation starts at the checkpoint");
        const before = fingerprint(heap);
        checkThrows(function () { fixed.restore(state + 4000); }, "InvalidArgument", "restore to a future cursor");
        checkThrows(function () { fixed.restore(state + 9 * 0x1000000); }, "InvalidArgument", "restore to a future allocation count");
        checkThrows(function () { fixed.restore(NaN); }, "InvalidArgument", "restore(NaN)");
        checkUnchanged(heap, before, "bad restore");
      },
    },
    {
      name: "MemoryPool: 40 slots of 64 bytes fit in 64 * 40 bytes; the 41st create is 0",
      run: function () {
        const heap = new BootHeap(4096);
        const packets = new MemoryPool(heap, heap.carve(64 * 40, 8, "packets"), 64);
        checkEqual(packets.slotCount, 40, "slotCount");
        const slots: number[] = [];
        for (let i = 0; i < 40; i++) {
          const p = packets.create();
          check(p !== 0, "slot " + i);
          fillPattern(heap, p, 64, i);
          slots.push(p);
        }
        checkEqual(packets.create(), 0, "create when exhausted");
        for (let i = 0; i < 40; i++) checkPattern(heap, slots[i], 64, i, "slot " + i);
        packets.destroy(slots[17]);
        checkEqual(packets.create(), slots[17], "a destroyed slot is reused first (O(1) free list)");
        packets.check();
      },
    },
    {
      name: "MemoryPool: destroy of a pointer off a slot boundary or never issued is InvalidFree",
      run: function () {
        const heap = new BootHeap(8192);
        const pool = new MemoryPool(heap, heap.carve(64 * 10, 8, "pool"), 64);
        const p = pool.create();
        const q = pool.create();
        const before = fingerprint(heap);
        checkThrows(function () { pool.destroy(p + 8); }, "InvalidFree", "interior pointer");
        checkThrows(function () { pool.destroy(q + 64); }, "InvalidFree", "a slot never handed out");
        checkThrows(function () { pool.destroy(12); }, "InvalidFree", "a pointer outside the pool");
        checkUnchanged(heap, before, "refused destroys");
        // free() takes pointers; only destroy() takes a view back.
        const view = pool.create(Uint8Array, 16) as Uint8Array;
        const withView = fingerprint(heap);
        checkThrows(function () { pool.free(view as unknown as number, 16); }, "InvalidFree", "a view given to free()");
        checkUnchanged(heap, withView, "refused free of a view");
        pool.destroy(view);
        checkEqual(pool.liveCount, 2, "the view given back by destroy()");
        pool.destroy(p);
        pool.destroy(q);
        checkThrows(function () { pool.destroy(q); }, "InvalidFree", "destroy with no live slot");
        pool.reset();
        checkEqual(pool.liveCount, 0, "reset");
        pool.check();
      },
    },
    {
      // alloc and create compare the peak only when they bump a fresh slot (when none is free the live
      // count equals the slots issued): the peak must still be the most slots ever live at once.
      name: "MemoryPool: peakBytes is the most slots live at once, through free-list reuse and reset",
      run: function () {
        const heap = new BootHeap(8192);
        const pool = new MemoryPool(heap, heap.carve(32 * 10, 8, "peak"), 32);
        const a = pool.alloc(32);
        const b = pool.create();
        const c = pool.alloc(1);
        checkEqual(pool.stats().peakBytes, 3 * 32, "three live");
        pool.free(a, 32);
        pool.destroy(b);
        checkEqual(pool.stats().peakBytes, 3 * 32, "the peak stays after frees");
        const d = pool.create();
        const e = pool.alloc(8);
        checkEqual(pool.stats().peakBytes, 3 * 32, "slots reused from the free list: three live again, no new peak");
        pool.alloc(32);
        checkEqual(pool.stats().peakBytes, 4 * 32, "a fourth live slot, bumped: a new peak");
        pool.reset();
        pool.create();
        pool.create();
        checkEqual(pool.stats().peakBytes, 4 * 32, "after reset two live: the peak since construction stays");
        checkEqual(pool.liveCount, 2, "live after reset");
        check(c !== 0 && d !== 0 && e !== 0, "allocations succeed");
        pool.check();
      },
    },
    {
      name: "MemoryPool: alignment rounds the slot stride",
      run: function () {
        const heap = new BootHeap(8192);
        const pool = new MemoryPool(heap, heap.carve(1024, 64, "aligned"), 20, 64);
        checkEqual(pool.strideBytes, 64, "stride");
        const a = pool.create();
        const b = pool.create();
        checkEqual(a % 64, 0, "first slot aligned");
        checkEqual(b - a, 64, "stride between slots");
        checkEqual(MemoryPool.regionBytes(20, 16, 64), 1024, "regionBytes");
        checkThrows(function () { return new MemoryPool(heap, heap.carve(16, 8, "tiny"), 64); }, "InvalidArgument", "a region too small for one slot");
      },
    },
    {
      name: "StackAllocator: freeing out of order throws InvalidFree and changes nothing",
      run: function () {
        const heap = new BootHeap(8192);
        const frames = new StackAllocator(heap, heap.carve(2048, 8, "frames"));
        const a = frames.alloc(32);
        const b = frames.alloc(16, 64);
        const c = frames.alloc(8);
        checkEqual(frames.top(), c, "top");
        const before = fingerprint(heap);
        const message = checkThrows(function () { frames.free(a, 32); }, "InvalidFree", "free of the bottom");
        check(message.indexOf(String(c)) >= 0, "the message names the top: " + message);
        checkThrows(function () { frames.free(c, 16); }, "InvalidFree", "free of the top with the wrong length");
        checkUnchanged(heap, before, "out-of-order frees");
        frames.free(c, 8);
        frames.free(b, 16);
        frames.free(a, 32);
        checkEqual(frames.stats().usedBytes, 0, "usedBytes after LIFO frees");
        checkThrows(function () { frames.free(a, 32); }, "InvalidFree", "free on an empty stack");
        frames.check();
      },
    },
    {
      name: "ArenaAllocator: chunks come from the child; reset modes keep what they promise",
      run: function () {
        const heap = new BootHeap(16384);
        const scratch = new FixedBufferAllocator(heap, heap.carve(8192, 8, "scratch"));
        const arena = new ArenaAllocator(scratch);
        for (let i = 0; i < 30; i++) check(arena.alloc(50) !== 0, "alloc " + i);
        const capacity = arena.queryCapacity();
        check(capacity >= 30 * 50, "capacity " + capacity + " holds what was allocated");
        check(arena.reset("retain_capacity"), "retain_capacity");
        checkEqual(arena.queryCapacity(), capacity, "capacity kept as one chunk");
        checkEqual(arena.stats().usedBytes, 0, "usedBytes after reset");
        const used = scratch.stats().usedBytes;
        for (let i = 0; i < 30; i++) arena.alloc(50);
        checkEqual(scratch.stats().usedBytes, used, "a retained arena asks the child for nothing more");
        check(arena.reset({ retainWithLimit: 256 }), "retainWithLimit");
        checkEqual(arena.queryCapacity(), 256, "capacity cut to the limit");
        check(arena.reset("free_all"), "free_all");
        checkEqual(arena.queryCapacity(), 0, "free_all keeps nothing");
        checkEqual(scratch.stats().usedBytes, 24, "the child holds only the arena's state");
        checkThrows(function () { arena.reset("sometimes" as "free_all"); }, "InvalidArgument", "an unknown reset mode");
        arena.deinit();
        checkEqual(scratch.stats().usedBytes, 0, "deinit gives the state back");
      },
    },
    {
      name: "ArenaAllocator: works over any child, and frees only its newest allocation",
      run: function () {
        const heap = new BootHeap(16384);
        const pool = new MemoryPool(heap, heap.carve(256 * 8, 8, "chunks"), 256);
        const arena = new ArenaAllocator(pool);
        const a = arena.alloc(100);
        const b = arena.alloc(100);
        check(a !== 0 && b !== 0, "two allocations");
        arena.free(a, 100);
        checkEqual(arena.stats().allocationCount, 2, "a buried free is a no-op");
        arena.free(b, 100);
        checkEqual(arena.stats().allocationCount, 1, "the newest free rolls back");
        check(arena.alloc(300) === 0, "a request larger than any chunk the child can give is 0");
        checkEqual(arena.stats().largestFreeBytes >= 0, true, "stats");
        arena.reset("free_all");
        checkEqual(pool.liveCount, 1, "free_all returns every chunk to the pool (the state slot stays)");
        check(ARENA_CHUNK_HEADER_BYTES === 16, "chunk header bytes");
      },
    },
  ];
}
