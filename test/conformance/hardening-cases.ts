// Regression cases for issue 11 (hardening): each defect found by adversarial testing, as the
// smallest program that showed it. Engine-neutral, so they also run in the self-test bundle.
import type { Allocator } from "../../src/allocator.js";
import { BootHeap } from "../../src/heap/boot-heap.js";
import { FixedBufferAllocator } from "../../src/allocators/fixed-buffer.js";
import { ArenaAllocator, ARENA_CHUNK_COUNT_MAX } from "../../src/allocators/arena.js";
import { MemoryPool } from "../../src/allocators/pool.js";
import { StackAllocator } from "../../src/allocators/stack.js";
import { TlsfAllocator } from "../../src/allocators/tlsf.js";
import { DEBUG } from "../../src/build-mode.js";
import { DebugAllocator } from "../../src/wrappers/debug.js";
import type { DebugReport } from "../../src/wrappers/debug.js";
import { CountingAllocator } from "../../src/wrappers/counting.js";
import { FallbackAllocator } from "../../src/wrappers/fallback.js";
import { instrument } from "../../src/wrappers/instrument.js";
import { heapReports } from "../../src/inspect/regions.js";
import { HEADER_FIXED_BYTES, R_STATE, REGION_ENTRY_BYTES } from "../../src/heap/layout.js";
import { Case, check, checkEqual, checkThrows, checkUnchanged, fingerprint } from "./harness.js";

/** Runs `fn` and returns the code of what it threw, or "" when it returned. */
function thrownCode(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    return String((e as { code?: string }).code);
  }
  return "";
}

const BAD_ALIGNS: unknown[] = [3, 0, -8, NaN, 1.5, "8", 8192, null];

export function hardeningCases(): Case[] {
  return [
    {
      name: "FixedBufferAllocator: a restore never hands out bytes of an allocation that grew after the savestate",
      run: function () {
        const heap = new BootHeap(4096);
        const fixed = new FixedBufferAllocator(heap, heap.carve(1024, 8, "scratch"));
        const a = fixed.alloc(22, 8);
        const state = fixed.savestate();
        // An allocation older than a savestate is pinned until a restore or reset: it cannot grow
        // past the checkpoint, and freeing it is a no-op (docs/API: FixedBufferAllocator).
        checkEqual(fixed.resize(a, 22, 36), false, "growing an allocation older than the savestate");
        fixed.free(a, 22);
        checkEqual(fixed.stats().usedBytes, 22, "freeing an allocation older than the savestate is a no-op");
        const c = fixed.alloc(4, 1);
        check(fixed.resize(c, 4, 30), "an allocation made after the savestate still grows");
        fixed.restore(state);
        const b = fixed.alloc(8, 1);
        checkEqual(b, a + 22, "alloc after restore starts right after the allocation live at the savestate");
        fixed.free(b, 8);
        fixed.restore(state);
        fixed.free(a, 22);
        checkEqual(fixed.stats().usedBytes, 22, "still pinned after restore (the state can be restored again)");
        fixed.reset();
        const d = fixed.alloc(22, 8);
        fixed.free(d, 22);
        checkEqual(fixed.stats().usedBytes, 0, "reset drops the checkpoints: the last allocation rolls back again");
      },
    },
    {
      name: "ArenaAllocator: past " + ARENA_CHUNK_COUNT_MAX + " chunks alloc returns 0, and free/resize of every pointer still work",
      run: function () {
        const heap = new BootHeap(8192);
        const pool = new MemoryPool(heap, heap.carve(MemoryPool.regionBytes(64, 70), 8, "slots"), 64);
        const arena = new ArenaAllocator(pool);
        const ptrs: number[] = [];
        for (let i = 0; i < 70; i++) {
          const p = arena.alloc(40, 8);
          if (p === 0) break;
          ptrs.push(p);
        }
        checkEqual(ptrs.length, ARENA_CHUNK_COUNT_MAX, "allocations before the chunk limit (one chunk per slot)");
        checkEqual(arena.alloc(40, 8), 0, "a new chunk past the limit");
        checkEqual(arena.stats().capacityBytes, ARENA_CHUNK_COUNT_MAX * (64 - 16), "capacity of " + ARENA_CHUNK_COUNT_MAX + " chunks");
        check(arena.resize(ptrs[0], 40, 30), "resize of the oldest chunk's allocation");
        arena.free(ptrs[0], 30);
        arena.free(ptrs[ptrs.length - 1], 40);
        check(arena.reset("free_all"), "reset");
        checkEqual(pool.liveCount, 1, "only the arena's state slot stays");
      },
    },
    {
      name: "ArenaAllocator: a chunk chain made circular by a stray write throws Corrupt instead of spinning",
      run: function () {
        const heap = new BootHeap(8192);
        const fixed = new FixedBufferAllocator(heap, heap.carve(4096, 8, "arena"));
        const arena = new ArenaAllocator(fixed);
        const p = arena.alloc(100);
        arena.alloc(200);
        const head = heap.u32[(p - 16) >> 2] === 0 ? p - 16 : 0;
        check(head !== 0, "the first chunk starts 16 bytes before its first allocation");
        heap.u32[head >> 2] = head; // the oldest chunk's "previous" link points at itself
        checkEqual(thrownCode(function () { arena.queryCapacity(); }), "Corrupt", "queryCapacity");
        checkEqual(thrownCode(function () { arena.free(p + 5000, 1); }), "Corrupt", "free of a foreign pointer walks the chain");
        checkEqual(thrownCode(function () { arena.reset("free_all"); }), "Corrupt", "reset");
      },
    },
    {
      name: "MemoryPool, TlsfAllocator and inspection: circular free lists throw Corrupt instead of spinning",
      run: function () {
        const heap = new BootHeap(4096);
        const pool = new MemoryPool(heap, heap.carve(1024, 8, "pool"), 16);
        const a = pool.create();
        const b = pool.create();
        pool.destroy(a);
        pool.destroy(b);
        heap.u32[a >> 2] = b; // b -> a -> b
        checkEqual(thrownCode(function () { pool.check(); }), "Corrupt", "pool.check");
        checkEqual(thrownCode(function () { heapReports(heap); }), "Corrupt", "MEM.stats of the pool");
        const heap2 = new BootHeap(4096);
        const tlsf = new TlsfAllocator(heap2, heap2.carve(2048, 8, "tlsf"));
        const x = tlsf.alloc(100);
        tlsf.alloc(100);
        tlsf.free(x, 100);
        heap2.u32[(x - 4 + 4) >> 2] = x - 4; // the free block's next link points at itself
        checkEqual(tlsf.stats().freeBlockCount, 2, "stats walks the blocks, not the lists: it ends");
        checkEqual(thrownCode(function () { tlsf.check(); }), "Corrupt", "tlsf.check");
      },
    },
    {
      name: "DebugAllocator: a quarantine list made circular by a stray write throws Corrupt instead of spinning",
      run: function () {
        const heap = new BootHeap(8192);
        const tlsf = new TlsfAllocator(heap, heap.carve(4096, 8, "tlsf"));
        const debug = new DebugAllocator(tlsf, { region: heap.carve(DebugAllocator.regionBytes(8), 8, "debug"), quarantineBytes: 256, onReport: function () {} });
        const p = debug.alloc(16);
        const q = debug.alloc(16);
        const r = debug.alloc(16);
        debug.free(p, 16);
        debug.free(q, 16);
        // The quarantined-bytes counter (state word 3 of the debug region) overwritten: the
        // eviction loop would run past the end of the quarantine list.
        heap.u32[((HEADER_FIXED_BYTES + REGION_ENTRY_BYTES + R_STATE) >> 2) + 3] = 100000;
        checkEqual(thrownCode(function () { debug.free(r, 16); }), "Corrupt", "free");
      },
    },
    {
      name: "remap validates align before anything and honours a larger one, on every allocator",
      run: function () {
        const heap = new BootHeap(8192);
        const pool = new MemoryPool(heap, heap.carve(1024, 8, "pool"), 64);
        const subjects: Allocator[] = [
          new FixedBufferAllocator(heap, heap.carve(1024, 8, "fixed")),
          new ArenaAllocator(new FixedBufferAllocator(heap, heap.carve(1024, 8, "arena"))),
          pool,
          new StackAllocator(heap, heap.carve(1024, 8, "stack")),
          new TlsfAllocator(heap, heap.carve(1024, 8, "tlsf")),
          new FallbackAllocator(pool, new TlsfAllocator(heap, heap.carve(1024, 8, "tlsf2"))),
        ];
        for (let i = 0; i < subjects.length; i++) {
          const a = subjects[i];
          a.alloc(8, 8);
          const p = a.alloc(16, 8);
          check(p !== 0 && p % 64 !== 0, "subject " + i + ": an allocation not already 64-aligned, got " + p);
          for (let j = 0; j < BAD_ALIGNS.length; j++) {
            const before = fingerprint(heap);
            checkThrows(function () { a.remap(p, 16, 8, BAD_ALIGNS[j] as number); }, "InvalidArgument", "subject " + i + " remap align " + String(BAD_ALIGNS[j]));
            checkUnchanged(heap, before, "subject " + i + " remap align " + String(BAD_ALIGNS[j]));
          }
          const q = a.remap(p, 16, 24, 64);
          check(q % 64 === 0, "subject " + i + ": remap(align 64) returned " + q + " (0 or 64-aligned)");
        }
      },
    },
    {
      name: "DebugAllocator: resize/remap with a length that is not a length throw InvalidArgument and change nothing",
      run: function () {
        const heap = new BootHeap(8192);
        const tlsf = new TlsfAllocator(heap, heap.carve(4096, 8, "tlsf"));
        const reports: DebugReport[] = [];
        const debug = new DebugAllocator(tlsf, { region: heap.carve(DebugAllocator.regionBytes(8), 8, "debug"), onReport: function (r) { reports.push(r); } });
        const p = debug.alloc(16);
        const bad: unknown[] = [NaN, -1, 1.5, "16", undefined, null, 0x1000000];
        for (let i = 0; i < bad.length; i++) {
          const before = fingerprint(heap);
          checkThrows(function () { debug.resize(p, bad[i] as number, 8); }, "InvalidArgument", "resize len " + String(bad[i]));
          checkThrows(function () { debug.remap(p, bad[i] as number, 8); }, "InvalidArgument", "remap len " + String(bad[i]));
          checkUnchanged(heap, before, "len " + String(bad[i]));
        }
        checkEqual(reports.length, 0, "reports");
      },
    },
    {
      name: "Every allocator's constructor validates its heap and region with a coded error",
      run: function () {
        const heap = new BootHeap(4096);
        const makers: Array<(h: unknown, r: unknown) => unknown> = [
          function (h, r) { return new FixedBufferAllocator(h as BootHeap, r as never); },
          function (h, r) { return new MemoryPool(h as BootHeap, r as never, 16); },
          function (h, r) { return new StackAllocator(h as BootHeap, r as never); },
          function (h, r) { return new TlsfAllocator(h as BootHeap, r as never); },
        ];
        const region = heap.carve(1024, 8, "r");
        for (let i = 0; i < makers.length; i++) {
          const before = fingerprint(heap);
          const make = makers[i];
          checkThrows(function () { make(heap, null); }, "InvalidArgument", "maker " + i + " region null");
          checkThrows(function () { make(heap, undefined); }, "InvalidArgument", "maker " + i + " region undefined");
          checkThrows(function () { make(heap, { offset: "x" }); }, "InvalidArgument", "maker " + i + " region of strings");
          checkThrows(function () { make(null, region); }, "InvalidArgument", "maker " + i + " heap null");
          checkThrows(function () { make({}, region); }, "InvalidArgument", "maker " + i + " heap {}");
          checkUnchanged(heap, before, "maker " + i);
        }
        checkThrows(function () { new ArenaAllocator(null as never); }, "InvalidArgument", "arena child null");
      },
    },
    {
      name: "MemoryPool: a double free with other slots live is caught in debug builds (instrumented pool)",
      run: function () {
        const heap = new BootHeap(4096);
        const raw = new MemoryPool(heap, heap.carve(MemoryPool.regionBytes(16, 8), 8, "pool"), 16);
        const pool = instrument(heap, raw, "dbg-pool") as MemoryPool;
        checkEqual(pool === raw, true, "a pool stays itself (create/destroy keep working)");
        const a = pool.create();
        pool.create();
        pool.destroy(a);
        const before = fingerprint(heap);
        checkEqual(thrownCode(function () { pool.destroy(a); }), DEBUG ? "InvalidFree" : "", "second destroy of the same slot");
        checkEqual(fingerprint(heap) === before, DEBUG, "the heap is unchanged exactly when the double free is refused");
        // After reset the live-slot bitmap starts empty again.
        const heap2 = new BootHeap(4096);
        const pool2 = instrument(heap2, new MemoryPool(heap2, heap2.carve(MemoryPool.regionBytes(16, 8), 8, "pool"), 16), "dbg-pool") as MemoryPool;
        pool2.create();
        pool2.create();
        pool2.reset();
        pool2.create();
        const y = pool2.create();
        pool2.destroy(y);
        checkEqual(thrownCode(function () { pool2.destroy(y); }), DEBUG ? "InvalidFree" : "", "a double free after reset");
      },
    },
    {
      name: "DebugAllocator onReport \"throw\": a use after free is raised once, the quarantine stays within its maximum",
      run: function () {
        const heap = new BootHeap(8192);
        const tlsf = new TlsfAllocator(heap, heap.carve(4096, 8, "tlsf"));
        const debug = new DebugAllocator(tlsf, { region: heap.carve(DebugAllocator.regionBytes(16), 8, "debug"), quarantineBytes: 64, canaryBytes: 8, onReport: "throw" });
        const p = debug.alloc(16);
        debug.free(p, 16);
        heap.u8[p + 3] = 1; // use after free
        let raised = 0;
        for (let i = 0; i < 6; i++) {
          const q = debug.alloc(16);
          check(q !== 0, "alloc " + i);
          if (thrownCode(function () { debug.free(q, 16); }) === "DebugReport") raised++;
          check(debug.quarantinedBytes() <= 64, "quarantine " + debug.quarantinedBytes() + " bytes after free " + i);
        }
        checkEqual(raised, 1, "reports raised");
        checkEqual(debug.reportCount(), 1, "reports counted");
        checkEqual(debug.liveCount(), 0, "live");
      },
    },
    {
      name: "DebugAllocator with a small table: an alloc/free loop with nothing live never runs out (quarantine evicted for records)",
      run: function () {
        const heap = new BootHeap(8192);
        const tlsf = new TlsfAllocator(heap, heap.carve(4096, 8, "tlsf"));
        const reports: DebugReport[] = [];
        const debug = new DebugAllocator(tlsf, { region: heap.carve(DebugAllocator.regionBytes(4), 8, "debug"), quarantineBytes: 4096, onReport: function (r) { reports.push(r); } });
        for (let i = 0; i < 200; i++) {
          const p = debug.alloc(8);
          checkEqual(p !== 0, true, "alloc " + i);
          debug.free(p, 8);
        }
        checkEqual(reports.length, 0, "reports");
        checkEqual(debug.check(), 0, "check");
      },
    },
    {
      name: "CountingAllocator and DebugAllocator stats(): peakBytes is never below usedBytes",
      run: function () {
        const heap = new BootHeap(8192);
        const tlsf = new TlsfAllocator(heap, heap.carve(2048, 8, "tlsf"));
        const counting = new CountingAllocator(tlsf);
        const tlsf2 = new TlsfAllocator(heap, heap.carve(2048, 8, "tlsf2"));
        const debug = new DebugAllocator(tlsf2, { region: heap.carve(DebugAllocator.regionBytes(8), 8, "debug") });
        const wrappers: Allocator[] = [counting, debug];
        for (let i = 0; i < wrappers.length; i++) {
          const a = wrappers[i];
          const p = a.alloc(10);
          const s = a.stats();
          check(s.peakBytes >= s.usedBytes, "wrapper " + i + ": peak " + s.peakBytes + " < used " + s.usedBytes);
          checkEqual(s.allocationCount, 1, "wrapper " + i + " allocationCount");
          a.free(p, 10);
          const t = a.stats();
          check(t.peakBytes >= s.usedBytes, "wrapper " + i + ": peak after free " + t.peakBytes);
        }
      },
    },
    {
      name: "MEM.stats() (inspection from the heap bytes) equals each allocator's own stats()",
      run: function () {
        const heap = new BootHeap(8192);
        const fixed = new FixedBufferAllocator(heap, heap.carve(1024, 8, "fixed"));
        const pool = new MemoryPool(heap, heap.carve(1024, 4, "pool"), 10, 4);
        const stack = new StackAllocator(heap, heap.carve(1024, 8, "stack"));
        const tlsf = new TlsfAllocator(heap, heap.carve(2048, 8, "tlsf"));
        const all: Allocator[] = [fixed, pool, stack, tlsf];
        for (let i = 0; i < all.length; i++) {
          const a = all[i];
          const p = a.alloc(10, 4);
          a.alloc(7, 1);
          const q = a.alloc(3, 4);
          a.free(q, 3);
          check(p !== 0, "alloc");
        }
        const reports = heapReports(heap);
        const fields = ["capacityBytes", "usedBytes", "peakBytes", "allocationCount", "largestFreeBytes"];
        for (let i = 0; i < all.length; i++) {
          const own = all[i].stats() as unknown as { [k: string]: number };
          const seen = reports[i] as unknown as { [k: string]: number };
          for (let f = 0; f < fields.length; f++) checkEqual(seen[fields[f]], own[fields[f]], reports[i].name + " " + fields[f]);
        }
      },
    },
  ];
}
