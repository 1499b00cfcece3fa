// TlsfAllocator: coalescing, in-place resize, alignment, O(1) InvalidFree, check(), budgets.
import { describe, expect, test } from "vitest";
import { BootHeap } from "../src/heap/boot-heap.js";
import { TLSF_BLOCK_HEADER_BYTES, TlsfAllocator, tlsfLayout } from "../src/allocators/tlsf.js";
import { checkPattern, fillPattern, snapshot } from "./conformance/harness.js";

function make(regionBytes: number, heapBytes?: number): { heap: BootHeap; t: TlsfAllocator } {
  const heap = new BootHeap(heapBytes === undefined ? regionBytes + 1024 : heapBytes);
  const t = new TlsfAllocator(heap, heap.carve(regionBytes, 8, "gp"));
  return { heap, t };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

function expectUnchanged(heap: BootHeap, image: Uint8Array): void {
  const now = snapshot(heap);
  let first = -1;
  for (let i = 0; i < image.length; i++) {
    if (now[i] !== image[i]) {
      first = i;
      break;
    }
  }
  expect(first, "first changed heap byte").toBe(-1);
}

/** Every permutation of [0..n). */
function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), n - 1, ...p.slice(i)]);
  return out;
}

describe("TlsfAllocator layout and metadata", () => {
  test("a 4 KB region spends at most 256 bytes on its control block and 264 on all metadata", () => {
    const { t } = make(4096);
    expect(t.controlBytes).toBeLessThanOrEqual(256);
    const s = t.stats();
    expect(s.capacityBytes).toBeGreaterThanOrEqual(4096 - 264);
    // The whole free space can be had in one allocation.
    expect(t.alloc(s.largestFreeBytes)).not.toBe(0);
    t.check();
  });

  test("control block grows with the logarithm of the region: 64 KB < 1 KB, 1 MB < 2 KB", () => {
    expect(TlsfAllocator.controlBytes(65536)).toBeLessThan(1024);
    expect(TlsfAllocator.controlBytes(1 << 20)).toBeLessThan(2048);
    let previous = 0;
    for (let size = 64; size <= 0xfffff8; size *= 2) {
      const layout = tlsfLayout(8, size);
      expect(layout.controlBytes).toBeGreaterThanOrEqual(previous - 0);
      expect((layout.first & 7) === 4 && (layout.last & 7) === 4).toBe(true);
      expect(layout.last + 4).toBeLessThanOrEqual(8 + size);
      previous = layout.slLog2 === tlsfLayout(8, size * 2).slLog2 ? layout.controlBytes : 0;
    }
  });

  test("a used block costs one 4-byte header: alloc(len) with len = 4 mod 8 uses exactly len + 4 bytes", () => {
    const { t } = make(8192);
    let sum = 0;
    for (const len of [12, 20, 28, 36, 100, 252, 1020]) {
      expect(t.alloc(len)).not.toBe(0);
      sum += len + TLSF_BLOCK_HEADER_BYTES;
      expect(t.stats().usedBytes).toBe(sum);
    }
    t.check();
  });

  test("payloads are 8-aligned by default and sizeOf covers the length asked for", () => {
    const { t } = make(8192);
    for (let len = 0; len < 70; len++) {
      const p = t.alloc(len);
      expect(p % 8).toBe(0);
      expect(t.sizeOf(p)).toBeGreaterThanOrEqual(len);
      expect(t.sizeOf(p) - len).toBeLessThan(24);
    }
    t.check();
  });

  test("a region at an odd offset works: the control block and blocks align themselves", () => {
    const heap = new BootHeap(8192);
    heap.carve(5, 1, "odd");
    const region = heap.carve(3001, 1, "gp");
    expect(region.offset % 2).toBe(1);
    const t = new TlsfAllocator(heap, region);
    const ptrs = [t.alloc(1), t.alloc(100, 64), t.alloc(7)];
    for (const p of ptrs) {
      expect(p % 8).toBe(0);
      expect(p).toBeGreaterThanOrEqual(region.offset);
      expect(p + 8).toBeLessThanOrEqual(region.offset + region.sizeBytes);
    }
    expect(ptrs[1] % 64).toBe(0);
    t.check();
    t.free(ptrs[0], 1);
    t.free(ptrs[2], 7);
    t.free(ptrs[1], 100);
    t.check();
    expect(t.stats().freeBlockCount).toBe(1);
  });

  test("a region too small for a control block and one block is refused", () => {
    const heap = new BootHeap(4096);
    expect(codeOf(() => new TlsfAllocator(heap, heap.carve(40, 8, "tiny")))).toBe("InvalidArgument");
  });
});

describe("TlsfAllocator coalescing", () => {
  test("freeing three neighbours in every order leaves one free block over the whole heap", () => {
    for (const order of permutations(4)) {
      const { t } = make(4096);
      const whole = t.stats().largestFreeBytes;
      const lens = [40, 100, 8, 300];
      const ptrs = lens.map((len) => t.alloc(len));
      for (const i of order) {
        t.free(ptrs[i], lens[i]);
        t.check();
      }
      const s = t.stats();
      expect(s.freeBlockCount).toBe(1);
      expect(s.fragmentation).toBe(0);
      expect(s.largestFreeBytes).toBe(whole);
      expect(s.usedBytes).toBe(0);
    }
  });

  test("free blocks between used ones stay apart; fragmentation is 1 - largest / free", () => {
    const { t } = make(4096);
    const ptrs: number[] = [];
    for (let i = 0; i < 8; i++) ptrs.push(t.alloc(60));
    for (let i = 0; i < 8; i += 2) t.free(ptrs[i], 60);
    const s = t.stats();
    // Four 64-byte holes plus the tail of the heap.
    expect(s.freeBlockCount).toBe(5);
    expect(s.fragmentation).toBeGreaterThan(0);
    expect(s.fragmentation).toBeLessThan(1);
    t.free(ptrs[1], 60); // joins holes 0, 1, 2
    expect(t.stats().freeBlockCount).toBe(4);
    t.check();
  });
});

describe("TlsfAllocator resize and remap", () => {
  test("resize grows in place into a free next block and shrinks in place giving the tail back", () => {
    const { heap, t } = make(4096);
    const a = t.alloc(40);
    const b = t.alloc(200);
    const c = t.alloc(16);
    fillPattern(heap, a, 40, 1);
    t.free(b, 200);
    expect(t.resize(a, 40, 180)).toBe(true);
    expect(t.sizeOf(a)).toBeGreaterThanOrEqual(180);
    checkPattern(heap, a, 40, 1, "grown block");
    expect(t.resize(a, 180, 244)).toBe(true); // exactly a + b
    expect(t.stats().freeBlockCount).toBe(1); // only the tail of the heap
    const image = snapshot(heap);
    expect(t.resize(a, 244, 400)).toBe(false); // c is in the way
    expectUnchanged(heap, image);
    expect(t.resize(a, 244, 20)).toBe(true);
    expect(t.stats().freeBlockCount).toBe(2);
    t.check();
    t.free(c, 16);
    t.free(a, 20);
    expect(t.stats().freeBlockCount).toBe(1);
    t.check();
  });

  test("shrinking merges the tail into a free next block, even a tail of 8 bytes", () => {
    const { t } = make(4096);
    const a = t.alloc(100);
    const b = t.alloc(100);
    t.alloc(8);
    t.free(b, 100);
    const before = t.stats();
    expect(t.resize(a, 100, 92)).toBe(true);
    const after = t.stats();
    expect(after.freeBlockCount).toBe(before.freeBlockCount);
    expect(after.usedBytes).toBe(before.usedBytes - 8);
    t.check();
  });

  test("remap stays in place when it can and moves (keeping the bytes) only when it must", () => {
    const { heap, t } = make(4096);
    const a = t.alloc(64);
    fillPattern(heap, a, 64, 3);
    expect(t.remap(a, 64, 32)).toBe(a);
    expect(t.remap(a, 32, 500)).toBe(a); // the rest of the heap follows a
    const b = t.alloc(16);
    const moved = t.remap(a, 500, 900);
    expect(moved).not.toBe(a);
    expect(moved).not.toBe(0);
    checkPattern(heap, moved, 32, 3, "moved block");
    expect(t.isLive(a)).toBe(false);
    // An alignment the block does not have forces a move.
    const aligned = t.remap(b, 16, 16, 256);
    expect(aligned % 256).toBe(0);
    expect(t.remap(moved, 900, 100000)).toBe(0);
    t.check();
  });
});

describe("TlsfAllocator remap when the heap is full", () => {
  test("slides down into a free previous block (and the free next one) when no other block fits", () => {
    for (const freeNext of [false, true]) {
      const { heap, t } = make(4096);
      const a = t.alloc(100);
      const b = t.alloc(100);
      const c = t.alloc(100);
      const rest = t.stats().largestFreeBytes;
      const d = t.alloc(rest);
      expect(d).not.toBe(0);
      fillPattern(heap, b, 100, 5);
      t.free(a, 100);
      if (freeNext) t.free(c, 100);
      const want = freeNext ? 300 : 180;
      const p = t.remap(b, 100, want);
      expect(p).toBe(a);
      checkPattern(heap, p, 100, 5, "slid block");
      expect(t.isLive(b)).toBe(false);
      expect(codeOf(() => t.free(b, 100))).toBe("InvalidFree");
      t.check();
      expect(t.sizeOf(p)).toBeGreaterThanOrEqual(want);
      t.free(p, want);
      t.free(d, rest);
      if (!freeNext) t.free(c, 100);
      t.check();
      expect(t.stats().freeBlockCount).toBe(1);
    }
  });

  test("returns 0 and changes nothing when even the neighbours together are too small", () => {
    const { heap, t } = make(4096);
    const a = t.alloc(100);
    const b = t.alloc(100);
    t.alloc(100);
    t.alloc(t.stats().largestFreeBytes);
    t.free(a, 100);
    const image = snapshot(heap);
    expect(t.remap(b, 100, 400)).toBe(0);
    expectUnchanged(heap, image);
    t.check();
  });
});

describe("TlsfAllocator alignment", () => {
  test("every alignment up to 4096 is honoured, mixed with plain allocations, and all frees coalesce", () => {
    const { heap, t } = make(65536, 65536 + 8192);
    const whole = t.stats().largestFreeBytes;
    const live: Array<[number, number, number]> = [];
    for (let round = 0; round < 3; round++) {
      for (let log = 0; log <= 12; log++) {
        const align = 1 << log;
        const len = 1 + ((log * 37 + round * 11) % 300);
        const p = t.alloc(len, align);
        expect(p, "alloc(" + len + ", " + align + ")").not.toBe(0);
        expect(p % align).toBe(0);
        fillPattern(heap, p, len, log + round * 13);
        live.push([p, len, log + round * 13]);
        const q = t.alloc(24);
        live.push([q, 24, 99]);
        fillPattern(heap, q, 24, 99);
        t.check();
      }
    }
    for (const [p, len, seed] of live) checkPattern(heap, p, len, seed, "aligned block");
    for (let i = live.length - 1; i >= 0; i -= 3) t.free(live[i][0], live[i][1]);
    for (let i = 0; i < live.length; i++) if ((live.length - 1 - i) % 3 !== 0) t.free(live[i][0], live[i][1]);
    t.check();
    const s = t.stats();
    expect(s.freeBlockCount).toBe(1);
    expect(s.largestFreeBytes).toBe(whole);
  });

  test("an aligned allocation in a region that holds it only barely still succeeds", () => {
    const { t } = make(3 * 4096, 4 * 4096);
    const p = t.alloc(4096, 4096);
    expect(p % 4096).toBe(0);
    expect(p).not.toBe(0);
    t.check();
  });
});

describe("TlsfAllocator InvalidFree: found from header bits, nothing changed", () => {
  function setup() {
    const { heap, t } = make(8192);
    const other = new TlsfAllocator(heap, heap.carve(512, 8, "other"));
    const a = t.alloc(40);
    const b = t.alloc(64);
    const c = t.alloc(100);
    const d = t.alloc(8);
    fillPattern(heap, b, 64, 7);
    return { heap, t, other, a, b, c, d };
  }

  test("double free of a block still free on its own", () => {
    const { heap, t, b } = setup();
    t.free(b, 64);
    const image = snapshot(heap);
    expect(codeOf(() => t.free(b, 64))).toBe("InvalidFree");
    expectUnchanged(heap, image);
    t.check();
  });

  test("double free of a block merged into its neighbour", () => {
    const { heap, t, a, b } = setup();
    t.free(a, 40);
    t.free(b, 64); // merges into a's block; b's header is cleared
    const image = snapshot(heap);
    expect(codeOf(() => t.free(b, 64))).toBe("InvalidFree");
    expect(codeOf(() => t.free(a, 40))).toBe("InvalidFree");
    expectUnchanged(heap, image);
    t.check();
  });

  test("interior pointers, whatever the data before them", () => {
    const { heap, t, b, c } = setup();
    const image = snapshot(heap);
    for (let off = 1; off < 64; off++) expect(codeOf(() => t.free(b + off, 8))).toBe("InvalidFree");
    // Data that looks like a header copied from elsewhere: its check byte belongs to another address.
    heap.u32[(c + 8) >> 2] = heap.u32[(b - 4) >> 2];
    const image2 = snapshot(heap);
    expect(codeOf(() => t.free(c + 12, 8))).toBe("InvalidFree");
    expectUnchanged(heap, image2);
    heap.u32[(c + 8) >> 2] = image[c + 8] | (image[c + 9] << 8) | (image[c + 10] << 16) | (image[c + 11] << 24);
    expectUnchanged(heap, image);
    t.check();
  });

  test("foreign pointers: another allocator's block, the heap header, outside the heap, not numbers", () => {
    const { heap, t, other } = setup();
    const foreign = other.alloc(16);
    const image = snapshot(heap);
    for (const p of [foreign, 0, 8, 4, heap.sizeBytes, heap.sizeBytes + 8, -8, 1.5, NaN, "16" as unknown as number, null as unknown as number]) {
      expect(codeOf(() => t.free(p, 16)), "free(" + String(p) + ")").toBe("InvalidFree");
    }
    expectUnchanged(heap, image);
    t.check();
    other.check();
  });

  test("a length the block cannot have", () => {
    const { heap, t, b } = setup();
    const image = snapshot(heap);
    expect(codeOf(() => t.free(b, 65 + 32))).toBe("InvalidFree");
    expect(codeOf(() => t.free(b, 8))).toBe("InvalidFree");
    expect(codeOf(() => t.free(b, -1))).toBe("InvalidArgument");
    expect(codeOf(() => t.resize(b, 64, NaN))).toBe("InvalidArgument");
    expect(codeOf(() => t.resize(b + 8, 64, 8))).toBe("InvalidArgument");
    expect(codeOf(() => t.remap(b + 8, 64, 8))).toBe("InvalidArgument");
    expectUnchanged(heap, image);
    t.free(b, 64);
    t.check();
  });

  test("the message names the pointer and the reason", () => {
    const { t, b } = setup();
    t.free(b, 64);
    let message = "";
    try {
      t.free(b, 64);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(String(b));
    expect(message).toContain("double free");
  });
});

describe("TlsfAllocator check() finds corruption and names the block", () => {
  function corrupted(mutate: (heap: BootHeap, t: TlsfAllocator, ptrs: number[]) => void): string {
    const { heap, t } = make(4096);
    const ptrs = [t.alloc(40), t.alloc(64), t.alloc(100), t.alloc(24), t.alloc(300)];
    t.free(ptrs[1], 64);
    t.free(ptrs[3], 24);
    t.check();
    mutate(heap, t, ptrs);
    try {
      t.check();
    } catch (e) {
      expect((e as { code?: string }).code).toBe("Corrupt");
      return (e as Error).message;
    }
    return "";
  }

  test("an overwritten header (a write past the end of the block before it)", () => {
    const message = corrupted((heap, _t, p) => {
      heap.u8[p[2] - 4] ^= 0x10;
    });
    expect(message).toContain("block at " + (corruptedAddress(2)));
  });

  test("a broken free-list link, boundary tag, or state word", () => {
    expect(corrupted((heap, _t, p) => {
      heap.u32[p[1] >> 2] = p[3] - 4; // b's next-free link now points at d, in another list
    })).toMatch(/back link|wrong free list/);
    expect(corrupted((heap, _t, p) => {
      heap.u32[(p[1] + 64) >> 2] ^= 8; // the boundary tag: last word of the 72-byte free block
    })).toContain("boundary tag");
    expect(corrupted((heap) => {
      heap.u32[(24 + 24 + 4) >> 2] += 8; // the used-bytes state word of region 0
    })).toContain("used bytes");
  });

  function corruptedAddress(index: number): number {
    const { t } = make(4096);
    const ptrs = [t.alloc(40), t.alloc(64), t.alloc(100), t.alloc(24), t.alloc(300)];
    return ptrs[index] - 4;
  }
});

describe("TlsfAllocator out of memory", () => {
  test("returns 0 and changes nothing; the largest free block can still be had", () => {
    const { heap, t } = make(4096);
    const ptrs: number[] = [];
    for (;;) {
      const p = t.alloc(100);
      if (p === 0) break;
      ptrs.push(p);
    }
    const image = snapshot(heap);
    expect(t.alloc(100)).toBe(0);
    expect(t.alloc(16, 4096)).toBe(0);
    expect(t.alloc(0xfffff8)).toBe(0);
    expectUnchanged(heap, image);
    const rest = t.stats().largestFreeBytes;
    if (rest > 0) expect(t.alloc(rest)).not.toBe(0);
    t.check();
  });
});
