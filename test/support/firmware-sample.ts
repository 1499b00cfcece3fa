// A firmware in miniature, as issue 6's boot code is meant to use the build mode: each allocator
// goes through instrument(), which wraps it in DebugAllocator + CountingAllocator in debug
// builds (a pool: gives it a live-slot bitmap) and returns it as it is in release builds. Bundled both ways by
// test/wrappers/build-mode.test.ts and test/support/measure-wrappers.ts.
import { BootHeap } from "../../src/heap/boot-heap.js";
import { TlsfAllocator } from "../../src/allocators/tlsf.js";
import { MemoryPool } from "../../src/allocators/pool.js";
import { debugAllocatorOf, instrument } from "../../src/wrappers/instrument.js";
import { BUILD_MODE } from "../../src/build-mode.js";

declare const print: ((line: string) => void) | undefined;
/** A test may set this global first to fit a small board (default 32 KB). */
declare const SAMPLE_HEAP_BYTES: number | undefined;
declare const console: { log(line: string): void };
const log: (line: string) => void = typeof print === "function" ? print : function (line: string) { console.log(line); };

const heapBytes = typeof SAMPLE_HEAP_BYTES === "number" ? SAMPLE_HEAP_BYTES : 32768;
const heap = new BootHeap(heapBytes);
// What the header, the pool and (in debug builds) two 16-record debug tables take, with slack.
const general = instrument(heap, new TlsfAllocator(heap, heap.carve(heapBytes - 4608, 8, "general")), "general.dbg", { records: 16 });
const packets = instrument(heap, new MemoryPool(heap, heap.carve(64 * 24, 8, "packets"), 64), "packets.dbg", { records: 16, quarantineBytes: 0 });
heap.seal();

const a = general.alloc(100);
const b = packets.alloc(32);
const c = packets.alloc(32);
packets.free(b, 32);
general.free(a, 100);
const dg = debugAllocatorOf(general);
// A pool stays itself in debug builds, with a live-slot bitmap: a double free while another slot
// is live throws there ("ok"); release builds keep the O(1) path, which cannot tell ("-").
let poolCheck = "-";
try {
  packets.free(b, 32);
} catch (e) {
  poolCheck = (e as { code?: string }).code === "InvalidFree" && c !== 0 ? "ok" : "wrong error";
}
log(BUILD_MODE + " " + (dg === null ? "-" : dg.deinit()) + " " + poolCheck);
