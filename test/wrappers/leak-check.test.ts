import { describe, expect, test } from "vitest";
import { BootHeap } from "../../src/heap/boot-heap.js";
import { TlsfAllocator } from "../../src/allocators/tlsf.js";
import { DebugAllocator, DebugReport } from "../../src/wrappers/debug.js";
import { assertNoLeaks } from "../../src/wrappers/leaks.js";
import { expectNoLeaks, useLeakCheck } from "../support/leak-check.js";

function makeDebug(): { debug: DebugAllocator; reports: DebugReport[] } {
  const heap = new BootHeap(16384);
  const tlsf = new TlsfAllocator(heap, heap.carve(8192, 8, "tlsf"));
  const reports: DebugReport[] = [];
  const debug = new DebugAllocator(tlsf, { region: heap.carve(DebugAllocator.regionBytes(16), 8, "debug"), onReport: (r) => reports.push(r) });
  return { debug, reports };
}

describe("expectNoLeaks", () => {
  test("passes for a clean allocator", () => {
    const { debug } = makeDebug();
    debug.free(debug.alloc(32), 32);
    expectNoLeaks(debug);
  });

  test("fails the test, naming the tag and the allocation, when something leaked", () => {
    const { debug, reports } = makeDebug();
    const p = debug.alloc(40, 8, 12);
    expect(() => expectNoLeaks(debug)).toThrow(/ended with "leak"[\s\S]*tag 12[\s\S]*ptr /);
    expect(reports.map((r) => r.code)).toEqual(["Leak"]);
    expect(reports[0].allocations![0].ptr).toBe(p);
  });
});

describe("assertNoLeaks (the user-facing helper in src)", () => {
  test("throws code Leak with the report text", () => {
    const { debug } = makeDebug();
    debug.alloc(8, 8, 3);
    let error: { code?: string; message?: string } = {};
    try {
      assertNoLeaks(debug);
    } catch (e) {
      error = e as typeof error;
    }
    expect(error.code).toBe("Leak");
    expect(error.message).toMatch(/tag 3: 1 allocation of 8 bytes/);
  });
});

describe("useLeakCheck: an afterEach hook over tracked allocators", () => {
  const track = useLeakCheck();
  test("a clean test passes", () => {
    const debug = track(makeDebug().debug);
    const p = debug.alloc(24);
    debug.free(p, 24);
  });
  // The hook fails this test (it leaks); test.fails turns that failure into the expected outcome.
  test.fails("a leaking test fails in the hook", () => {
    const { debug } = makeDebug();
    track(debug);
    debug.alloc(24);
  });
});

describe("components under the leak check (CI fails if one leaks)", () => {
  const track = useLeakCheck();

  test("ArenaAllocator over a DebugAllocator gives every chunk back on deinit", async () => {
    const { ArenaAllocator } = await import("../../src/allocators/arena.js");
    const debug = track(makeDebug().debug);
    const arena = new ArenaAllocator(debug);
    for (let i = 0; i < 20; i++) expect(arena.alloc(50 + i)).not.toBe(0);
    arena.reset("retain_capacity");
    for (let i = 0; i < 5; i++) expect(arena.alloc(30)).not.toBe(0);
    arena.reset("free_all");
    arena.deinit();
  });

  test("struct create/createArray/destroy over a DebugAllocator", async () => {
    const { struct } = await import("../../src/layout/struct.js");
    const debug = track(makeDebug().debug);
    const P = struct({ x: "f64", id: "u16" });
    const one = P.create(debug);
    const many = P.createArray(debug, 10);
    P.destroyArray(debug, many, 10);
    P.destroy(debug, one);
  });

  test("typed helpers create/destroy/dupe through the wrapper", () => {
    const debug = track(makeDebug().debug);
    const view = debug.create(Float32Array, 8)!;
    view[7] = 1.5;
    const copy = debug.dupe(new Uint8Array([1, 2, 3]));
    debug.free(copy, 3);
    debug.destroy(view);
  });
});
