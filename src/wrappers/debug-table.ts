// Reads a DebugAllocator's table from the heap bytes alone. Its own module, so the on-device
// DebugAllocator module does not carry it.
import type { BootHeap } from "../heap/boot-heap.js";
import { alignForward } from "../heap/checks.js";
import { HEADER_FIXED_BYTES, R_STATE, REGION_ENTRY_BYTES } from "../heap/layout.js";
import type { DebugRecord } from "./debug.js";
import {
  DEBUG_HEADER_BYTES, DEBUG_MAGIC, DEBUG_RECORD_BYTES, E_ALLOC_SEQ, E_FREE_SEQ, E_INFO, E_LEN, E_PTR, E_RAW, E_RAW_LEN,
  H_CANARY, H_LIMIT, H_MAGIC, H_PEAK, H_QMAX, H_RECORDS, H_REPORTS, LIVE, QUARANTINED, S_LIVE, S_LIVE_BYTES, S_QBYTES, S_SEQ,
} from "./debug-layout.js";
/** One record as read back from the buffer. */
export interface DebugTableEntry extends DebugRecord {
  state: "live" | "quarantined";
  /** The child's block: [raw, ptr) is the front canary, [ptr + len, raw + rawLen) the back one. */
  raw: number;
  rawLen: number;
  /** Sequence number of the free (quarantined entries). */
  freeSeq: number;
}

/** A DebugAllocator's table, read from the heap bytes alone (a live heap or a restored image). */
export interface DebugTable {
  records: number;
  canaryBytes: number;
  quarantineBytesMax: number;
  memoryLimitBytes: number;
  peakBytes: number;
  reportCount: number;
  sequence: number;
  liveCount: number;
  liveBytes: number;
  quarantinedBytes: number;
  /** Live and quarantined allocations, oldest first. */
  entries: DebugTableEntry[];
}

/**
 * Reads the DebugAllocator table in `region` (an entry of `heap.regions()` of kind "debug")
 * without the DebugAllocator object: for MEM-style inspection on the device and for host tools
 * reading a dumped image. Null when the region does not hold a table.
 */
export function readDebugTable(heap: BootHeap, region: { offset: number; sizeBytes: number; index: number }): DebugTable | null {
  const u32 = heap.u32;
  const start = alignForward(region.offset, 4);
  const h = start >> 2;
  if (start + DEBUG_HEADER_BYTES > region.offset + region.sizeBytes || u32[h + H_MAGIC] !== DEBUG_MAGIC) return null;
  const records = u32[h + H_RECORDS];
  if (start + DEBUG_HEADER_BYTES + records * DEBUG_RECORD_BYTES > region.offset + region.sizeBytes) return null;
  const s = (HEADER_FIXED_BYTES + region.index * REGION_ENTRY_BYTES + R_STATE) >> 2;
  const t = (start + DEBUG_HEADER_BYTES) >> 2;
  const entries: DebugTableEntry[] = [];
  for (let e = 0; e < records; e++) {
    const r = t + e * 8;
    const state = u32[r + E_INFO] & 255;
    if (state !== LIVE && state !== QUARANTINED) continue;
    entries.push({
      ptr: u32[r + E_PTR], len: u32[r + E_LEN], align: 1 << ((u32[r + E_INFO] >> 8) & 255), tag: u32[r + E_INFO] >>> 16, seq: u32[r + E_ALLOC_SEQ],
      state: state === LIVE ? "live" : "quarantined", raw: u32[r + E_RAW], rawLen: u32[r + E_RAW_LEN], freeSeq: u32[r + E_FREE_SEQ],
    });
  }
  entries.sort(function (x, y) { return x.seq - y.seq; });
  return {
    records: records,
    canaryBytes: u32[h + H_CANARY],
    quarantineBytesMax: u32[h + H_QMAX],
    memoryLimitBytes: u32[h + H_LIMIT],
    peakBytes: u32[h + H_PEAK],
    reportCount: u32[h + H_REPORTS],
    sequence: u32[s + S_SEQ],
    liveCount: u32[s + S_LIVE],
    liveBytes: u32[s + S_LIVE_BYTES],
    quarantinedBytes: u32[s + S_QBYTES],
    entries: entries,
  };
}
