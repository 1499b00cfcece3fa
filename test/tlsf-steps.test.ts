// Bounded work, proven two ways:
// 1. Statically: everything alloc, free and resize can call (followed through the source,
//    across files) has no loop statement and no recursion, so each operation is a fixed
//    sequence of statements whatever the heap holds.
// 2. Dynamically: the loop-free primitives (find, unlink, link, live) are counted per
//    operation over random and adversarial workloads; the worst case equals TLSF_STEPS_MAX.
import { readFileSync } from "node:fs";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BootHeap } from "../src/heap/boot-heap.js";
import { TLSF_STEPS_MAX, TlsfAllocator } from "../src/allocators/tlsf.js";
import { makeRandom } from "./conformance/harness.js";

// ---- 1. the call graph of the source ---------------------------------------------------

interface Fn {
  key: string;
  body: ts.Node;
}

const SOURCES = ["src/allocators/tlsf.ts", "src/allocators/state.ts", "src/heap/checks.ts", "src/heap/errors.ts", "src/heap/memory.ts"];
/** Engine built-ins a hot path may call on its error path only; none of them loops over the heap. */
const BUILTINS = new Set(["String", "JSON.stringify", "Error"]);

function collect(): Map<string, Fn> {
  const fns = new Map<string, Fn>();
  for (const file of SOURCES) {
    const sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2020, true);
    sf.forEachChild(function visit(node) {
      if (ts.isFunctionDeclaration(node) && node.name && node.body) fns.set(node.name.text, { key: node.name.text, body: node.body });
      if (ts.isClassDeclaration(node) && node.name?.text === "TlsfAllocator") {
        for (const m of node.members) {
          if (ts.isMethodDeclaration(m) && m.body && ts.isIdentifier(m.name)) fns.set("this." + m.name.text, { key: "this." + m.name.text, body: m.body });
        }
      }
    });
  }
  return fns;
}

function calleeKey(call: ts.CallExpression | ts.NewExpression): string {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) {
    if (e.expression.kind === ts.SyntaxKind.ThisKeyword) return "this." + e.name.text;
    if (ts.isIdentifier(e.expression)) return e.expression.text + "." + e.name.text;
  }
  return "?" + e.getText();
}

function isLoop(node: ts.Node): boolean {
  return ts.isForStatement(node) || ts.isForInStatement(node) || ts.isForOfStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node);
}

/** Calls and loops in one function body (nested function expressions included: they would run in it). */
function scan(body: ts.Node): { calls: string[]; loops: number } {
  const calls: string[] = [];
  let loops = 0;
  (function walk(node: ts.Node) {
    if (isLoop(node)) loops++;
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) calls.push(calleeKey(node));
    node.forEachChild(walk);
  })(body);
  return { calls, loops };
}

/** Every function reachable from `root`; throws on a callee it cannot resolve. */
function reachable(fns: Map<string, Fn>, root: string): { keys: string[]; loopy: string[]; cyclic: boolean; unknown: string[] } {
  const seen = new Set<string>();
  const onPath = new Set<string>();
  const loopy: string[] = [];
  const unknown: string[] = [];
  let cyclic = false;
  (function visit(key: string) {
    if (onPath.has(key)) {
      cyclic = true;
      return;
    }
    if (seen.has(key)) return;
    seen.add(key);
    if (BUILTINS.has(key)) return;
    const fn = fns.get(key);
    if (!fn) {
      unknown.push(key);
      return;
    }
    onPath.add(key);
    const { calls, loops } = scan(fn.body);
    if (loops > 0) loopy.push(key);
    for (const c of calls) visit(c);
    onPath.delete(key);
  })(root);
  return { keys: [...seen], loopy, cyclic, unknown };
}

describe("TlsfAllocator: no loop and no recursion anywhere alloc, free or resize can reach", () => {
  const fns = collect();
  for (const op of ["alloc", "free", "resize", "sizeOf", "isLive"]) {
    test(op, () => {
      const r = reachable(fns, "this." + op);
      expect(r.unknown, "callees not found in the source").toEqual([]);
      expect(r.loopy, "functions with a loop").toEqual([]);
      expect(r.cyclic).toBe(false);
      expect(r.keys).toContain("this." + op);
    });
  }

  test("remap: the only loop it can reach is the byte copy when it moves", () => {
    const r = reachable(fns, "this.remap");
    expect(r.unknown).toEqual([]);
    expect(r.loopy).toEqual(["copyBytes"]);
    expect(r.cyclic).toBe(false);
  });

  test("the scan sees loops and calls (it would catch one added to a hot path)", () => {
    const r = reachable(fns, "this.check");
    expect(r.loopy).toContain("this.check");
    expect(reachable(fns, "this.stats").loopy).toContain("tlsfStats");
    expect(reachable(fns, "this.reset").keys).toContain("this.link");
  });
});

// ---- 2. steps counted at run time ------------------------------------------------------

type Op = "alloc" | "free" | "resize" | "remap";
const OPS: Op[] = ["alloc", "free", "resize", "remap"];
const PRIMITIVES = ["find", "unlink", "link", "live"];
const proto = TlsfAllocator.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
const originals: Record<string, (...args: unknown[]) => unknown> = {};
const worst: Record<Op, number> = { alloc: 0, free: 0, resize: 0, remap: 0 };
let depth = 0;
let steps = 0;

beforeAll(() => {
  for (const op of OPS) {
    const original = (originals[op] = proto[op]);
    proto[op] = function (this: unknown, ...args: unknown[]) {
      if (depth++ === 0) steps = 0;
      try {
        return original.apply(this, args);
      } finally {
        if (--depth === 0 && steps > worst[op]) worst[op] = steps;
      }
    };
  }
  for (const p of PRIMITIVES) {
    const original = (originals[p] = proto[p]);
    proto[p] = function (this: unknown, ...args: unknown[]) {
      steps++;
      return original.apply(this, args);
    };
  }
});

afterAll(() => {
  for (const key of Object.keys(originals)) proto[key] = originals[key];
});

function resetWorst(): void {
  for (const op of OPS) worst[op] = 0;
}

describe("TlsfAllocator: steps per operation never exceed TLSF_STEPS_MAX", () => {
  test("random churn of mixed sizes and alignments, 20,000 operations", () => {
    resetWorst();
    const heap = new BootHeap(1 << 17);
    const t = new TlsfAllocator(heap, heap.carve(1 << 16, 8, "gp"));
    const random = makeRandom(11);
    const live: Array<[number, number]> = [];
    for (let i = 0; i < 20000; i++) {
      const r = random();
      if (r < 0.45 || live.length === 0) {
        const len = Math.floor(random() * (random() < 0.1 ? 4000 : 300));
        const align = random() < 0.2 ? 1 << Math.floor(random() * 13) : undefined;
        const p = t.alloc(len, align);
        if (p !== 0) live.push([p, len]);
      } else if (r < 0.8) {
        const [p, len] = live.splice(Math.floor(random() * live.length), 1)[0];
        t.free(p, len);
      } else if (r < 0.9) {
        const k = Math.floor(random() * live.length);
        const len = Math.floor(random() * 500);
        if (t.resize(live[k][0], live[k][1], len)) live[k][1] = len;
      } else {
        const k = Math.floor(random() * live.length);
        const len = Math.floor(random() * 500);
        const p = t.remap(live[k][0], live[k][1], len, random() < 0.3 ? 64 : undefined);
        if (p !== 0) live[k] = [p, len];
      }
    }
    t.check();
    for (const op of OPS) expect(worst[op], op).toBeLessThanOrEqual(TLSF_STEPS_MAX[op]);
    expect(worst.alloc).toBe(TLSF_STEPS_MAX.alloc);
    expect(worst.free).toBe(TLSF_STEPS_MAX.free);
  });

  test("the worst case of each operation is reached, and is the bound", () => {
    resetWorst();
    const heap = new BootHeap(1 << 16);
    const t = new TlsfAllocator(heap, heap.carve(1 << 15, 8, "gp"));
    // free with both neighbours free: live + 2 unlink + link = 4.
    const a = t.alloc(100);
    const b = t.alloc(100);
    const c = t.alloc(100);
    t.alloc(8);
    t.free(a, 100);
    t.free(c, 100);
    t.free(b, 100);
    expect(worst.free).toBe(4);
    // alloc with an alignment gap in front and a tail behind: find + unlink + 2 link = 4.
    const d = t.alloc(40, 1024);
    expect(d % 1024).toBe(0);
    expect(worst.alloc).toBe(4);
    // resize growing into the free next block and splitting its rest: live + unlink + link = 3.
    // d is followed by the free tail its alloc split off.
    expect(t.resize(d, 40, 200)).toBe(true);
    expect(worst.resize).toBe(3);
    // remap that cannot grow in place (next free but too small), moves to an aligned place
    // with a gap and a tail, and frees a block with free neighbours on both sides:
    // live + live + (find + unlink + 2 link) + (live + 2 unlink + link) = 10.
    resetWorst();
    // p2 must already have the alignment asked for, or remap skips the in-place attempt.
    for (const firstLen of [100, 108]) {
      const heap2 = new BootHeap(1 << 16);
      const u = new TlsfAllocator(heap2, heap2.carve(1 << 15, 8, "gp"));
      const p1 = u.alloc(firstLen);
      const p2 = u.alloc(100);
      if (p2 % 16 !== 0) continue;
      let align = 16;
      while (p2 % (align * 2) === 0 && align < 4096) align *= 2;
      const p3 = u.alloc(24);
      u.alloc(8);
      u.free(p1, firstLen);
      u.free(p3, 24);
      const moved = u.remap(p2, 100, 300, align);
      expect(moved).not.toBe(p2);
      expect(moved % align).toBe(0);
      u.check();
    }
    expect(worst.remap).toBe(TLSF_STEPS_MAX.remap);
    // remap sliding down into free neighbours on both sides when nothing else fits:
    // live + live + find + 2 unlink (the three blocks are exactly the size: no remainder to link) = 5.
    resetWorst();
    const heap3 = new BootHeap(8192);
    const v = new TlsfAllocator(heap3, heap3.carve(4096, 8, "gp"));
    const q1 = v.alloc(100);
    const q2 = v.alloc(100);
    const q3 = v.alloc(100);
    v.alloc(v.stats().largestFreeBytes);
    v.free(q1, 100);
    v.free(q3, 100);
    expect(v.remap(q2, 100, 300)).toBe(q1);
    expect(worst.remap).toBe(5);
    v.check();
    t.check();
  });
});
