// DebugAllocator under random programs, over every subject allocator:
// - a correct program gets no report, the table's counts match a model, every live byte keeps
//   its value and the run ends "ok";
// - the same programs with one bug injected at a random point get exactly that bug's report,
//   and the allocator keeps working afterwards.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { checkPattern, fillPattern } from "../conformance/harness.js";
import { Subject, subjectFactories } from "../conformance/subjects.js";
import { CANARY_BYTE, DebugAllocator, DebugReport, POISON_BYTE } from "../../src/wrappers/debug.js";

type Op =
  | { kind: "alloc"; len: number; alignLog2: number; tag: number }
  | { kind: "free"; pick: number }
  | { kind: "resize"; pick: number; len: number }
  | { kind: "remap"; pick: number; len: number };

type Bug = "DoubleFree" | "InvalidFree" | "WrongLength" | "BufferOverflow" | "BufferUnderflow" | "UseAfterFree";

interface Live {
  ptr: number;
  len: number;
  seed: number;
}

function opArb(lenMax: number): fc.Arbitrary<Op> {
  const len = fc.integer({ min: 0, max: lenMax });
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant("alloc" as const), len: len, alignLog2: fc.integer({ min: 0, max: 3 }), tag: fc.integer({ min: 0, max: 3 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("free" as const), pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("resize" as const), pick: fc.nat(), len: len }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("remap" as const), pick: fc.nat(), len: len }) },
  );
}

function setup(subject: Subject, reports: DebugReport[]): DebugAllocator {
  return new DebugAllocator(subject.allocator, {
    region: subject.heap.carve(DebugAllocator.regionBytes(128), 8, "debug"),
    quarantineBytes: subject.traits.frees === "lifo" ? 0 : 256,
    onReport: (r) => reports.push(r),
  });
}

/** Which live allocation an op may touch: any, or only the newest for a LIFO child. */
function pickIndex(subject: Subject, live: Live[], pick: number): number {
  return subject.traits.frees === "lifo" ? live.length - 1 : pick % live.length;
}

function run(subject: Subject, d: DebugAllocator, live: Live[], op: Op, seed: number): void {
  if (op.kind === "alloc") {
    const ptr = d.alloc(op.len, 1 << op.alignLog2, op.tag);
    if (ptr === 0) return;
    expect(ptr % (1 << op.alignLog2)).toBe(0);
    for (let i = 0; i < op.len; i++) expect(subject.heap.u8[ptr + i]).toBe(POISON_BYTE);
    fillPattern(subject.heap, ptr, op.len, seed);
    live.push({ ptr, len: op.len, seed });
    return;
  }
  if (live.length === 0) return;
  const i = pickIndex(subject, live, op.pick);
  const l = live[i];
  if (op.kind === "free") {
    d.free(l.ptr, l.len);
    live.splice(i, 1);
  } else if (op.kind === "resize") {
    if (d.resize(l.ptr, l.len, op.len)) {
      l.len = op.len;
      fillPattern(subject.heap, l.ptr, l.len, l.seed);
    }
  } else {
    const moved = d.remap(l.ptr, l.len, op.len);
    if (moved !== 0) {
      checkPattern(subject.heap, moved, Math.min(l.len, op.len), l.seed, "remapped data");
      l.ptr = moved;
      l.len = op.len;
      fillPattern(subject.heap, l.ptr, l.len, l.seed);
    }
  }
}

function verify(subject: Subject, d: DebugAllocator, live: Live[]): void {
  expect(d.liveCount()).toBe(live.length);
  expect(d.liveBytes()).toBe(live.reduce((sum, l) => sum + l.len, 0));
  for (const l of live) checkPattern(subject.heap, l.ptr, l.len, l.seed, "live allocation");
}

function freeAll(d: DebugAllocator, live: Live[]): void {
  for (let i = live.length - 1; i >= 0; i--) d.free(live[i].ptr, live[i].len);
  live.length = 0;
}

describe("DebugAllocator: correct programs get no report", () => {
  for (const factory of subjectFactories) {
    test(factory.name, () => {
      const lenMax = factory.make().traits.lenMax === Infinity ? 200 : factory.make().traits.lenMax - 16;
      fc.assert(
        fc.property(fc.array(opArb(lenMax), { maxLength: 60 }), (ops) => {
          const subject = factory.make(DebugAllocator.regionBytes(128));
          const reports: DebugReport[] = [];
          const d = setup(subject, reports);
          const live: Live[] = [];
          ops.forEach((op, n) => {
            run(subject, d, live, op, n + 1);
            verify(subject, d, live);
          });
          expect(d.check()).toBe(0);
          freeAll(d, live);
          expect(d.deinit()).toBe("ok");
          expect(reports.map((r) => r.code)).toEqual([]);
          subject.check();
        }),
        { numRuns: 60 },
      );
    });
  }
});

describe("DebugAllocator: one injected bug, exactly its report", () => {
  for (const factory of subjectFactories) {
    const lifo = factory.make().traits.frees === "lifo";
    const bugs: Bug[] = ["DoubleFree", "InvalidFree", "WrongLength", "BufferOverflow", "BufferUnderflow"];
    if (!lifo) bugs.push("UseAfterFree");
    test(factory.name, () => {
      const lenMax = factory.make().traits.lenMax === Infinity ? 200 : factory.make().traits.lenMax - 16;
      fc.assert(
        fc.property(fc.array(opArb(lenMax), { maxLength: 30 }), fc.constantFrom(...bugs), fc.integer({ min: 1, max: 40 }), (ops, bug, len) => {
          const subject = factory.make(DebugAllocator.regionBytes(128));
          const reports: DebugReport[] = [];
          const d = setup(subject, reports);
          const live: Live[] = [];
          ops.forEach((op, n) => run(subject, d, live, op, n + 1));
          expect(reports).toEqual([]);
          const u8 = subject.heap.u8;
          const victim = d.alloc(len, 8, 5);
          if (victim === 0) return; // out of memory: nothing to inject into
          if (bug === "DoubleFree") {
            d.free(victim, len);
            d.free(victim, len);
          } else if (bug === "InvalidFree") {
            d.free(victim + 1, len - 1);
            d.free(victim, len);
          } else if (bug === "WrongLength") {
            d.free(victim, len + 1);
            d.free(victim, len);
          } else if (bug === "BufferOverflow" || bug === "BufferUnderflow") {
            const at = bug === "BufferOverflow" ? victim + len : victim - 1;
            u8[at] ^= 0x55;
            expect(d.check()).toBe(1);
            u8[at] = CANARY_BYTE;
            d.free(victim, len);
          } else {
            d.free(victim, len);
            u8[victim + len - 1] ^= 0x55;
            expect(d.check()).toBe(1);
            u8[victim + len - 1] = POISON_BYTE;
          }
          expect(reports.map((r) => r.code)).toEqual([bug]);
          const r = reports[0];
          if (bug !== "InvalidFree") {
            expect(r.allocation?.ptr).toBe(victim);
            expect(r.allocation?.tag).toBe(5);
          }
          if (bug === "DoubleFree" || bug === "UseAfterFree") expect(r.firstFree?.seq).toBeGreaterThan(r.allocation!.seq);
          if (bug === "BufferOverflow") expect(r.offset).toBe(len);
          if (bug === "BufferUnderflow") expect(r.offset).toBe(-1);
          // The allocator still works: the rest of the program ends clean.
          verify(subject, d, live);
          freeAll(d, live);
          expect(d.deinit()).toBe("ok");
          expect(reports.length).toBe(1);
          subject.check();
        }),
        { numRuns: 60 },
      );
    });
  }
});

test("over a stack, remap of an allocation below the top returns 0, as the stack's own remap does", () => {
  const factory = subjectFactories.find((f) => f.make().traits.frees === "lifo")!;
  const subject = factory.make(DebugAllocator.regionBytes(128));
  const reports: DebugReport[] = [];
  const d = setup(subject, reports);
  const a = d.alloc(16);
  const b = d.alloc(16);
  expect(d.remap(a, 16, 64)).toBe(0);
  expect(d.remap(b, 16, 64)).toBe(b);
  d.free(b, 64);
  d.free(a, 16);
  expect(d.deinit()).toBe("ok");
  expect(reports).toEqual([]);
});
