// The DebugAllocator's state is all in the buffer: its region header, the 32-byte records and
// the 6 state words in the heap's region table, readable from a heap image.
import { describe, expect, test } from "vitest";
import { BootHeap } from "../../src/heap/boot-heap.js";
import { HEADER_FIXED_BYTES, R_STATE, REGION_ENTRY_BYTES } from "../../src/heap/layout.js";
import { TlsfAllocator } from "../../src/allocators/tlsf.js";
import { CANARY_BYTE, DEBUG_HEADER_BYTES, DEBUG_RECORD_BYTES, DebugAllocator, POISON_BYTE } from "../../src/wrappers/debug.js";

function setup(quarantineBytes: number) {
  const heap = new BootHeap(16384);
  const tlsf = new TlsfAllocator(heap, heap.carve(8192, 8, "tlsf"));
  const region = heap.carve(DebugAllocator.regionBytes(4), 8, "debug");
  const debug = new DebugAllocator(tlsf, { region, quarantineBytes, onReport: () => {} });
  const u32 = heap.u32;
  const h = region.offset >> 2;
  const rec = (i: number, w: number) => u32[((region.offset + DEBUG_HEADER_BYTES + i * DEBUG_RECORD_BYTES) >> 2) + w];
  const state = (w: number) => u32[((HEADER_FIXED_BYTES + region.index * REGION_ENTRY_BYTES + R_STATE) >> 2) + w];
  return { heap, tlsf, region, debug, u32, h, rec, state };
}

describe("DebugAllocator table layout", () => {
  test("region size, kind and header", () => {
    const { heap, region, u32, h } = setup(512);
    expect(DebugAllocator.regionBytes(4)).toBe(48 + 4 * 32);
    expect(region.sizeBytes).toBe(176);
    expect(heap.regions()[region.index].kind).toBe("debug");
    expect(String.fromCharCode(heap.u8[region.offset], heap.u8[region.offset + 1], heap.u8[region.offset + 2], heap.u8[region.offset + 3])).toBe("DBGA");
    expect(u32[h + 1]).toBe(4); // records
    expect(u32[h + 2]).toBe(8); // canary bytes
    expect(u32[h + 3]).toBe(512); // quarantine max
    expect(u32[h + 4]).toBe(0); // no memory limit
  });

  test("a live record, the canaries around the block and the state words", () => {
    const { heap, debug, rec, state, u32, h } = setup(512);
    const ptr = debug.alloc(20, 8, 3);
    expect(rec(0, 0)).toBe(ptr);
    expect(rec(0, 1)).toBe(20);
    expect(rec(0, 2)).toBe(ptr - 8); // the child's block starts with the front canary
    expect(rec(0, 3)).toBe(8 + 20 + 8);
    expect(rec(0, 4)).toBe(1 | (3 << 8) | (3 << 16)); // live, log2(8), tag 3
    expect(rec(0, 5)).toBe(1); // allocation #1
    expect(rec(0, 6)).toBe(0); // not freed
    for (let i = 1; i <= 8; i++) expect(heap.u8[ptr - i]).toBe(CANARY_BYTE);
    for (let i = 0; i < 8; i++) expect(heap.u8[ptr + 20 + i]).toBe(CANARY_BYTE);
    expect(state(0)).toBe(1); // sequence
    expect(state(1)).toBe(1); // live count
    expect(state(2)).toBe(20); // live bytes
    expect(u32[h + 5]).toBe(20); // peak
  });

  test("a freed record stays as history, quarantined then freed", () => {
    const { heap, debug, rec, state } = setup(40);
    const a = debug.alloc(20);
    debug.free(a, 20);
    expect(rec(0, 4) & 255).toBe(2); // quarantined
    expect(rec(0, 6)).toBe(2); // freed by operation #2
    expect(state(3)).toBe(36); // quarantined bytes
    expect(state(4)).toBe(1); // quarantine head: record 0 (+1)
    for (let i = 0; i < 20; i++) expect(heap.u8[a + i]).toBe(POISON_BYTE);
    const b = debug.alloc(20);
    debug.free(b, 20); // 72 > 40: the oldest leaves quarantine
    expect(rec(0, 4) & 255).toBe(3); // freed: back with the child, record kept as history
    expect(state(4)).toBe(2); // head is now record 1
    expect(state(3)).toBe(36);
    debug.free(a, 20);
    expect(debug.reportCount()).toBe(1); // still recognised as a double free
  });

  test("bytes per allocation: one 32-byte record plus the canaries", () => {
    const { debug, tlsf } = setup(0);
    const before = tlsf.stats().usedBytes;
    const p = debug.alloc(64);
    const raw = tlsf.stats().usedBytes - before;
    const bare = (() => {
      const q = tlsf.alloc(64);
      const used = tlsf.stats().usedBytes;
      tlsf.free(q, 64);
      return used - tlsf.stats().usedBytes;
    })();
    expect(raw - bare).toBeGreaterThanOrEqual(16);
    expect(raw - bare).toBeLessThanOrEqual(24); // 16 canary bytes, rounded to the child's granule
    debug.free(p, 64);
  });
});

describe("readDebugTable: the table from the heap bytes alone", () => {
  test("live and quarantined entries, counters, and null for a region without a table", async () => {
    const { readDebugTable } = await import("../../src/wrappers/debug-table.js");
    const { heap, region, debug } = setup(512);
    const a = debug.alloc(20, 8, 1);
    const b = debug.alloc(12, 4, 2);
    debug.free(a, 20);
    // Read through a copy of the bytes, as a host tool reads a dumped image.
    const copy = new BootHeap(heap.sizeBytes);
    for (let i = 0; i < heap.sizeBytes; i++) copy.u8[i] = heap.u8[i];
    const table = readDebugTable(copy, copy.regions()[region.index])!;
    expect(table).not.toBeNull();
    expect(table.records).toBe(4);
    expect(table.canaryBytes).toBe(8);
    expect(table.liveCount).toBe(1);
    expect(table.liveBytes).toBe(12);
    expect(table.quarantinedBytes).toBe(36);
    expect(table.peakBytes).toBe(32);
    expect(table.sequence).toBe(3);
    expect(table.entries.map((e) => [e.state, e.ptr, e.len, e.tag])).toEqual([["quarantined", a, 20, 1], ["live", b, 12, 2]]);
    expect(table.entries[1].raw).toBe(b - 8);
    expect(readDebugTable(copy, copy.regions()[0])).toBeNull();
  });
});
