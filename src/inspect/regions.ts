// Reads each region's state from the heap bytes alone, so the same code reports on a live heap
// (MEM.stats() on the board) and on an image dumped to the host. Inspection is not a hot path:
// it may walk free lists and blocks, bounded by the region's size.
import type { BootHeap, RegionInfo } from "../heap/boot-heap.js";
import { HEADER_FIXED_BYTES, R_STATE, REGION_ENTRY_BYTES, RegionKindName } from "../heap/layout.js";

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
export const SPAN_GUARD = 2;

/**
 * Receives the bytes of a region by class. `weight` is +1, or -1 to take bytes back out of a
 * class (a pool marks all issued slots used, then takes the free-list slots back out).
 */
export type SpanSink = (start: number, len: number, spanClass: number, weight: number) => void;

// The TLSF header word (src/allocators/tlsf.ts): size in bits 3..23, bit 0 free.
const TLSF_SIZE_MASK = 0x00fffff8;
const TLSF_FREE = 1;

function stateWord(heap: BootHeap, region: RegionInfo, word: number): number {
  return heap.u32[((HEADER_FIXED_BYTES + region.index * REGION_ENTRY_BYTES + R_STATE) >> 2) + word];
}

/** `usable` is the largest piece of free memory: the largest free block, or all of a pool's free slots (any slot serves any request). */
function report(region: RegionInfo, capacity: number, used: number, peak: number, count: number, largest: number, free: number, usable: number): RegionReport {
  return {
    name: region.name, kind: region.kind, offset: region.offset, sizeBytes: region.sizeBytes,
    capacityBytes: capacity, usedBytes: used, peakBytes: peak, allocationCount: count,
    largestFreeBytes: largest, freeBytes: free, fragmentation: free === 0 ? 0 : 1 - usable / free,
  };
}

export function regionReport(heap: BootHeap, region: RegionInfo, sink?: SpanSink): RegionReport {
  const emit: SpanSink = sink || function () {};
  const start = region.offset;
  const limit = region.offset + region.sizeBytes;
  switch (region.kind) {
    case "fixed": {
      const end = stateWord(heap, region, 0);
      emit(start, end - start, SPAN_USED, 1);
      return report(region, limit - start, end - start, stateWord(heap, region, 1) - start, stateWord(heap, region, 2), limit - end, limit - end, limit - end);
    }
    case "stack": {
      const cursor = stateWord(heap, region, 0);
      const frames = stateWord(heap, region, 1);
      const stackLimit = limit & ~3;
      emit(start, cursor - start, SPAN_USED, 1);
      emit(frames, stackLimit - frames, SPAN_METADATA, 1);
      const free = frames - cursor;
      return report(region, stackLimit - start, stackLimit - start - free, stateWord(heap, region, 2), stateWord(heap, region, 3), free > 8 ? free - 8 : 0, free, free);
    }
    case "pool": {
      const freeHead = stateWord(heap, region, 0);
      const bump = stateWord(heap, region, 1);
      const stride = stateWord(heap, region, 4);
      const first = stateWord(heap, region, 5);
      const slotCount = Math.floor((limit - first) / stride);
      const live = stateWord(heap, region, 2);
      emit(start, first - start, SPAN_METADATA, 1);
      emit(first, bump - first, SPAN_USED, 1);
      let walked = 0;
      for (let slot = freeHead; slot !== 0 && walked < slotCount; slot = heap.u32[slot >> 2], walked++) emit(slot, stride, SPAN_USED, -1);
      const free = (slotCount - live) * stride;
      return report(region, slotCount * stride, live * stride, stateWord(heap, region, 3) * stride, live, live < slotCount ? stride : 0, free, free);
    }
    case "tlsf": {
      const first = stateWord(heap, region, 5);
      emit(start, first - start, SPAN_METADATA, 1);
      let largest = 0;
      let free = 0;
      let last = first;
      for (let h = first, n = 0; n < region.sizeBytes; n += 16) {
        const size = heap.u32[h >> 2] & TLSF_SIZE_MASK;
        if (size === 0) {
          last = h;
          break;
        }
        emit(h, 4, SPAN_METADATA, 1);
        if ((heap.u32[h >> 2] & TLSF_FREE) !== 0) {
          free += size;
          if (size > largest) largest = size;
        } else {
          emit(h + 4, size - 4, SPAN_USED, 1);
        }
        h += size;
      }
      emit(last, 4, SPAN_METADATA, 1);
      return report(region, last - first, stateWord(heap, region, 1), stateWord(heap, region, 2), stateWord(heap, region, 3), largest > 4 ? largest - 4 : 0, free, largest);
    }
    case "debug":
      emit(start, region.sizeBytes, SPAN_METADATA, 1);
      return report(region, region.sizeBytes, region.sizeBytes, region.sizeBytes, 0, 0, 0, 0);
    default:
      return report(region, region.sizeBytes, 0, 0, 0, region.sizeBytes, region.sizeBytes, region.sizeBytes);
  }
}

export function heapReports(heap: BootHeap): RegionReport[] {
  const regions = heap.regions();
  const out: RegionReport[] = [];
  for (let i = 0; i < regions.length; i++) out.push(regionReport(heap, regions[i]));
  return out;
}
