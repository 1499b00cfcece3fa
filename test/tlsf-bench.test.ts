// The benchmark's workloads stay runnable and fair: every contestant replays the whole stream
// without a failed allocation where the region is sized for none, and (d) measures something.
import { MemPool } from "@thi.ng/malloc";
import { describe, expect, test } from "vitest";
import * as L from "../src/index.js";
import { churnStream, Env, metadata, runAll, sizeA } from "../bench/workloads.js";

describe("bench/workloads.ts (tiny scale, on the TypeScript sources)", () => {
  const env: Env = { engine: "test", L, M: MemPool, clock: () => performance.now(), scale: 0.002, repeats: 1, warmup: false, churnOps: 4000, log: () => {} };

  test("every workload runs every contestant; no allocation fails in (a)-(c)", () => {
    const results = runAll(env);
    expect(new Set(results.map((r) => r.workload))).toEqual(new Set(["a", "b", "c", "d"]));
    for (const r of results) {
      expect(r.ops).toBeGreaterThan(0);
      if (r.workload !== "d") expect(r.fails, r.workload + " " + r.contestant).toBe(0);
    }
    for (const r of results.filter((x) => x.workload === "d" && !x.contestant.startsWith("new Uint8Array"))) {
      expect(r.largest).toBeGreaterThan(0);
      expect(r.largest).toBeLessThanOrEqual(r.freeBytes);
    }
  });

  test("the churn stream never frees more than is live and keeps to its cap", () => {
    const s = churnStream(20000, 512, 0.5, sizeA, 1);
    let live = 0;
    for (const v of s) {
      if (v > 0) live++;
      else {
        expect(-1 - v).toBeLessThan(live);
        live--;
      }
      expect(live).toBeLessThanOrEqual(512);
    }
  });

  test("metadata per allocation: TLSF's header and rounding stay under @thi.ng's 8-byte header", () => {
    const m = metadata(env);
    const tlsf = m.find((x) => x.contestant === "TlsfAllocator")!.perAllocation;
    const thing = m.find((x) => x.contestant.startsWith("@thi.ng"))!.perAllocation;
    expect(tlsf).toBeGreaterThanOrEqual(4);
    expect(tlsf).toBeLessThan(thing);
  });
});
