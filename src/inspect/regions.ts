// Reads each region's state from the heap bytes alone, so the same code reports on a live heap
// (MEM.stats() on the board) and on an image dumped to the host. Inspection is not a hot path:
// it may walk free lists and blocks, bounded by the region's size (a walk past the bound throws
// code Corrupt). The numbers come from each allocator's own decoder (src/allocators/state.ts), so
// they are the ones its stats() gives.
import type { AllocatorStats } from "../allocator.js";
import type { BootHeap, RegionInfo } from "../heap/boot-heap.js";
import { HEADER_FIXED_BYTES, R_STATE, REGION_ENTRY_BYTES } from "../heap/layout.js";
import type { RegionKindName } from "../heap/layout.js";
import { describe } from "../heap/errors.js";
import {
  FIXED_END, STACK_CURSOR, STACK_FRAMES, POOL_BUMP, TLSF_FIRST, fixedBufferStats, poolFreeSlots, poolGeometry, poolStats, stackStats, tlsfLast, tlsfStats,
} from "../allocators/state.js";
import { S_LIVE as DEBUG_LIVE } from "../wrappers/debug-layout.js";

export interface RegionReport {
  name: string;
  kind: RegionKindName;
  offset: number;
  sizeBytes: number;
  capacityBytes: number;
  usedBytes: number;
  peakBytes: number;
  allocationCount: number;
  largestFreeBytes: number;
  freeBytes: number;
  /** 1 - largest free block / free bytes: 0 when free memory is one piece. */
  fragmentation: number;
}

export const SPAN_USED = 0;
export const SPAN_METADATA = 1;

/**
 * Receives the bytes of a region by class. `weight` is +1, or -1 to take bytes back out of a
 * class (a pool marks all issued slots used, then takes the free-list slots back out).
 */
export type SpanSink = (start: number, len: number, spanClass: number, weight: number) => void;

/** `freeBytes` is all the free memory; `usable` its largest piece (any of a pool's free slots serves any request, so all of them). */
function report(region: RegionInfo, own: AllocatorStats, free: number, usable: number): RegionReport {
  return {
    name: region.name, kind: region.kind, offset: region.offset, sizeBytes: region.sizeBytes,
    capacityBytes: own.capacityBytes, usedBytes: own.usedBytes, peakBytes: own.peakBytes, allocationCount: own.allocationCount,
    largestFreeBytes: own.largestFreeBytes, freeBytes: free, fragmentation: free === 0 ? 0 : 1 - usable / free,
  };
}

export function regionReport(heap: BootHeap, region: RegionInfo, sink?: SpanSink): RegionReport {
  const emit: SpanSink = sink || function () {};
  const u32 = heap.u32;
  const state = (HEADER_FIXED_BYTES + region.index * REGION_ENTRY_BYTES + R_STATE) >> 2;
  const start = region.offset;
  const limit = region.offset + region.sizeBytes;
  switch (region.kind) {
    case "fixed": {
      emit(start, u32[state + FIXED_END] - start, SPAN_USED, 1);
      const own = fixedBufferStats(u32, state, start, limit);
      return report(region, own, own.largestFreeBytes, own.largestFreeBytes);
    }
    case "stack": {
      const cursor = u32[state + STACK_CURSOR];
      const frames = u32[state + STACK_FRAMES];
      const stackLimit = limit & ~3;
      emit(start, cursor - start, SPAN_USED, 1);
      emit(frames, stackLimit - frames, SPAN_METADATA, 1);
      return report(region, stackStats(u32, state, start, stackLimit), frames - cursor, frames - cursor);
    }
    case "pool": {
      const g = poolGeometry(u32, state, limit);
      emit(start, g.first - start, SPAN_METADATA, 1);
      emit(g.first, u32[state + POOL_BUMP] - g.first, SPAN_USED, 1);
      poolFreeSlots(u32, state, g, describe(region.name), function (slot: number) { emit(slot, g.strideBytes, SPAN_USED, -1); });
      const own = poolStats(u32, state, limit);
      const free = own.capacityBytes - own.usedBytes;
      return report(region, own, free, free);
    }
    case "tlsf": {
      const first = u32[state + TLSF_FIRST];
      emit(start, first - start, SPAN_METADATA, 1);
      let free = 0;
      const own = tlsfStats(u32, state, limit, describe(region.name), function (h: number, size: number, isFree: boolean) {
        emit(h, 4, SPAN_METADATA, 1);
        if (isFree) free += size;
        else emit(h + 4, size - 4, SPAN_USED, 1);
      });
      emit(tlsfLast(first, limit), 4, SPAN_METADATA, 1);
      return report(region, own, free, free - own.fragmentation * free);
    }
    case "debug": {
      // A DebugAllocator's table (its live count in its state words, as readDebugTable reads it),
      // or a pool's live-slot bitmap (state words 0): all metadata.
      emit(start, region.sizeBytes, SPAN_METADATA, 1);
      const all = region.sizeBytes;
      return report(region, { capacityBytes: all, usedBytes: all, peakBytes: all, allocationCount: u32[state + DEBUG_LIVE], largestFreeBytes: 0 }, 0, 0);
    }
    default: {
      const all = region.sizeBytes;
      return report(region, { capacityBytes: all, usedBytes: 0, peakBytes: 0, allocationCount: 0, largestFreeBytes: all }, all, all);
    }
  }
}

export function heapReports(heap: BootHeap): RegionReport[] {
  const regions = heap.regions();
  const out: RegionReport[] = [];
  for (let i = 0; i < regions.length; i++) out.push(regionReport(heap, regions[i]));
  return out;
}
