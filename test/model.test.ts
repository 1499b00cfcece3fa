// Model-based property tests: random sequences of alloc / resize / remap / free / reset against
// a reference model of the live allocations, checking every invariant after every step.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { checkPattern, fillPattern } from "./conformance/harness.js";
import { Subject, subjectFactories } from "./conformance/subjects.js";

type Op =
  | { kind: "alloc"; len: number; alignLog2: number }
  | { kind: "free"; pick: number }
  | { kind: "resize"; pick: number; len: number }
  | { kind: "remap"; pick: number; len: number }
  | { kind: "reset" };

const lenArb = fc.integer({ min: 0, max: 300 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("alloc" as const), len: lenArb, alignLog2: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("free" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("resize" as const), pick: fc.nat(), len: lenArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("remap" as const), pick: fc.nat(), len: lenArb }) },
  { weight: 1, arbitrary: fc.constant({ kind: "reset" as const }) },
);

interface Live {
  ptr: number;
  len: number;
  seed: number;
}

function checkInvariants(subject: Subject, live: Live[]): void {
  subject.check();
  for (let i = 0; i < live.length; i++) {
    checkPattern(subject.heap, live[i].ptr, live[i].len, live[i].seed, "live allocation " + i);
    for (let j = i + 1; j < live.length; j++) {
      const a = live[i];
      const b = live[j];
      if (a.len > 0 && b.len > 0) expect(a.ptr + a.len <= b.ptr || b.ptr + b.len <= a.ptr, "allocations overlap").toBe(true);
    }
  }
  const stats = subject.allocator.stats();
  expect(stats.peakBytes).toBeGreaterThanOrEqual(stats.usedBytes);
  expect(stats.largestFreeBytes).toBeGreaterThanOrEqual(0);
  if (subject.traits.frees !== "last") {
    expect(stats.allocationCount).toBe(live.length);
    expect(stats.usedBytes).toBeLessThanOrEqual(stats.capacityBytes);
    expect(stats.usedBytes).toBeGreaterThanOrEqual(live.reduce((sum, l) => sum + l.len, 0));
  }
}

function step(subject: Subject, live: Live[], op: Op, seed: number): void {
  const a = subject.allocator;
  const lifo = subject.traits.frees === "lifo";
  const clampLen = (len: number) => Math.min(len, subject.traits.lenMax);
  // A LIFO allocator only accepts operations on its top allocation.
  const index = (pick: number) => (lifo ? live.length - 1 : pick % live.length);
  switch (op.kind) {
    case "alloc": {
      const len = clampLen(op.len);
      const align = Math.min(1 << op.alignLog2, subject.traits.alignMax);
      const ptr = a.alloc(len, align);
      if (ptr === 0) return;
      expect(ptr % align).toBe(0);
      fillPattern(subject.heap, ptr, len, seed);
      live.push({ ptr, len, seed });
      return;
    }
    case "free": {
      if (live.length === 0) return;
      const i = index(op.pick);
      a.free(live[i].ptr, live[i].len);
      live.splice(i, 1);
      return;
    }
    case "resize": {
      if (live.length === 0) return;
      const i = index(op.pick);
      const len = clampLen(op.len);
      if (a.resize(live[i].ptr, live[i].len, len)) {
        const kept = Math.min(len, live[i].len);
        checkPattern(subject.heap, live[i].ptr, kept, live[i].seed, "resized allocation");
        live[i].len = len;
        fillPattern(subject.heap, live[i].ptr, len, live[i].seed);
      }
      return;
    }
    case "remap": {
      if (live.length === 0) return;
      const i = index(op.pick);
      const len = clampLen(op.len);
      const ptr = a.remap(live[i].ptr, live[i].len, len);
      if (ptr === 0) return;
      checkPattern(subject.heap, ptr, Math.min(len, live[i].len), live[i].seed, "remapped allocation");
      live[i] = { ptr, len, seed: live[i].seed };
      fillPattern(subject.heap, ptr, len, live[i].seed);
      return;
    }
    case "reset":
      subject.reset();
      live.length = 0;
      return;
  }
}

describe("model-based: random operation sequences keep every invariant", () => {
  for (const factory of subjectFactories) {
    test(factory.name, () => {
      fc.assert(
        fc.property(fc.array(opArb, { minLength: 1, maxLength: 120 }), (ops) => {
          const subject = factory.make();
          const live: Live[] = [];
          ops.forEach((op, n) => {
            step(subject, live, op, n + 1);
            checkInvariants(subject, live);
          });
          for (let i = live.length - 1; i >= 0; i--) subject.allocator.free(live[i].ptr, live[i].len);
          if (subject.traits.frees !== "last") expect(subject.allocator.stats().usedBytes).toBe(0);
        }),
        { numRuns: 150 },
      );
    });
  }
});
