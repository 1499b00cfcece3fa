// Model-based property test for TlsfAllocator alone: random alloc (sizes up to 2 KB,
// alignments up to 4096) / resize / remap / free / invalid free against a model of the live
// allocations, with check() and the model's invariants after every step.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { BootHeap } from "../src/heap/boot-heap.js";
import { TlsfAllocator } from "../src/allocators/tlsf.js";
import { checkPattern, fillPattern, snapshot } from "./conformance/harness.js";

type Op =
  | { kind: "alloc"; len: number; alignLog2: number }
  | { kind: "free"; pick: number }
  | { kind: "resize"; pick: number; len: number }
  | { kind: "remap"; pick: number; len: number; alignLog2: number }
  | { kind: "badFree"; pick: number; offset: number };

const lenArb = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 256 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 2048 }) });
const alignArb = fc.oneof({ weight: 4, arbitrary: fc.constant(3) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 12 }) });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("alloc" as const), len: lenArb, alignLog2: alignArb }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("free" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("resize" as const), pick: fc.nat(), len: lenArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("remap" as const), pick: fc.nat(), len: lenArb, alignLog2: alignArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("badFree" as const), pick: fc.nat(), offset: fc.integer({ min: -64, max: 4096 }) }) },
);

interface Live {
  ptr: number;
  len: number;
  seed: number;
}

const REGION_BYTES = 24576;

function run(ops: Op[]): void {
  const heap = new BootHeap(32768);
  const t = new TlsfAllocator(heap, heap.carve(REGION_BYTES, 8, "gp"));
  const whole = t.stats().largestFreeBytes;
  const live: Live[] = [];
  ops.forEach((op, n) => {
    const seed = n + 1;
    switch (op.kind) {
      case "alloc": {
        const align = 1 << op.alignLog2;
        const ptr = t.alloc(op.len, align);
        if (ptr !== 0) {
          expect(ptr % align).toBe(0);
          expect(t.sizeOf(ptr)).toBeGreaterThanOrEqual(op.len);
          fillPattern(heap, ptr, op.len, seed);
          live.push({ ptr, len: op.len, seed });
        }
        break;
      }
      case "free": {
        if (live.length === 0) break;
        const l = live.splice(op.pick % live.length, 1)[0];
        t.free(l.ptr, l.len);
        expect(t.isLive(l.ptr)).toBe(false);
        break;
      }
      case "resize": {
        if (live.length === 0) break;
        const l = live[op.pick % live.length];
        if (t.resize(l.ptr, l.len, op.len)) {
          checkPattern(heap, l.ptr, Math.min(l.len, op.len), l.seed, "resized");
          l.len = op.len;
          fillPattern(heap, l.ptr, l.len, l.seed);
        }
        break;
      }
      case "remap": {
        if (live.length === 0) break;
        const l = live[op.pick % live.length];
        const align = 1 << op.alignLog2;
        const ptr = t.remap(l.ptr, l.len, op.len, align);
        if (ptr !== 0) {
          expect(ptr % align).toBe(0);
          checkPattern(heap, ptr, Math.min(l.len, op.len), l.seed, "remapped");
          l.ptr = ptr;
          l.len = op.len;
          fillPattern(heap, l.ptr, l.len, l.seed);
        }
        break;
      }
      case "badFree": {
        // A pointer near a live one (or anywhere) that is not itself live must be refused.
        const base = live.length === 0 ? t.region.offset : live[op.pick % live.length].ptr;
        const ptr = base + op.offset;
        if (live.some((l) => l.ptr === ptr)) break;
        expect(t.isLive(ptr), "isLive(" + ptr + ") from header bits alone").toBe(false);
        const image = snapshot(heap);
        let code: string | undefined;
        try {
          t.free(ptr, 8);
        } catch (e) {
          code = (e as { code?: string }).code;
        }
        expect(code, "free(" + ptr + ")").toBe("InvalidFree");
        const now = snapshot(heap);
        expect(now.every((b, i) => b === image[i])).toBe(true);
        break;
      }
    }
    t.check();
    const s = t.stats();
    expect(s.allocationCount).toBe(live.length);
    expect(s.usedBytes).toBeGreaterThanOrEqual(live.reduce((sum, l) => sum + l.len + 4, 0));
    expect(s.usedBytes + s.largestFreeBytes).toBeLessThanOrEqual(s.capacityBytes);
    expect(s.fragmentation >= 0 && s.fragmentation < 1).toBe(true);
    for (let i = 0; i < live.length; i++) {
      checkPattern(heap, live[i].ptr, live[i].len, live[i].seed, "live " + i);
      for (let j = i + 1; j < live.length; j++) {
        const a = live[i];
        const b = live[j];
        expect(a.ptr + Math.max(a.len, 1) <= b.ptr || b.ptr + Math.max(b.len, 1) <= a.ptr, "overlap").toBe(true);
      }
    }
  });
  for (const l of live) t.free(l.ptr, l.len);
  t.check();
  const s = t.stats();
  expect(s.usedBytes).toBe(0);
  expect(s.freeBlockCount).toBe(1);
  expect(s.largestFreeBytes).toBe(whole);
}

describe("TlsfAllocator model-based: random operation sequences, check() after every step", () => {
  test("alloc / resize / remap / free / invalid free", () => {
    fc.assert(fc.property(fc.array(opArb, { minLength: 1, maxLength: 150 }), run), { numRuns: 400 });
  });
});
