// The JsVar memory model: block costs, OUT OF MEMORY, release of dead buffers, fragmentation.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { BlockMap } from "../../host/emulator/memory/block-map.js";
import { bootBoard, resultOf } from "./helpers.js";

describe("block map", () => {
  it("allocates first-fit runs and fragments: enough free blocks, no run long enough", () => {
    const m = new BlockMap(100);
    const runs = [];
    for (let i = 0; i < 10; i++) runs.push(m.allocRun(10));
    expect(m.freeBlocks).toBe(0);
    for (let i = 0; i < 10; i += 2) m.freeRun(runs[i], 10);
    expect(m.freeBlocks).toBe(50);
    expect(m.largestFreeRun()).toBe(10);
    expect(m.allocRun(11)).toBe(-1);
    expect(m.allocRun(10)).toBe(0);
  });

  it("reuses the most recently freed block for single values, splitting the hole", () => {
    const m = new BlockMap(30);
    const a = m.allocRun(10);
    m.allocRun(10);
    m.freeRun(a, 10);
    const single = m.allocScattered(1)!;
    expect(single[0]).toBe(a);
    expect(m.largestFreeRun()).toBe(10);
  });
});

describe("JsVar budget", () => {
  it("charges one block plus ceil(n / blockBytes) for a buffer and one for each view", () => {
    const t = bootBoard("PUCKJS");
    expect(resultOf(t, "E.getSizeOf(new ArrayBuffer(100))")).toBe(`=${1 + Math.ceil(100 / 13)}`);
    expect(resultOf(t, "E.getSizeOf(new Uint8Array(100))")).toBe(`=${1 + 1 + Math.ceil(100 / 13)}`);
    const before = Number(resultOf(t, "process.memory().usage").slice(1));
    expect(resultOf(t, "var keep = new Uint8Array(1300); keep.length")).toBe("=1300");
    const after = Number(resultOf(t, "process.memory().usage").slice(1));
    expect(after - before).toBeGreaterThanOrEqual(1 + 1 + 100);
    expect(resultOf(t, "var m = process.memory(); m.total + ' ' + m.blocksize")).toBe('="2630 13"');
    t.board.dispose();
  });

  it("gives a flat buffer's address with E.getAddressOf(b, true), 0 for a chained one", () => {
    const t = bootBoard("PUCKJS");
    expect(resultOf(t, "E.getAddressOf(new Uint8Array(200), true) > 0")).toBe("=true");
    expect(resultOf(t, "E.getAddressOf(new Uint8Array(8), true)")).toBe("=0");
    t.board.dispose();
  });

  it("charges loaded code text", () => {
    const t = bootBoard("PUCKJS");
    const before = Number(resultOf(t, "process.memory().usage").slice(1));
    const body = "x = x + 1; ".repeat(100);
    t.type(`function big(x) { ${body} return x }`);
    const after = Number(resultOf(t, "process.memory().usage").slice(1));
    expect(after - before).toBeGreaterThanOrEqual(Math.floor(body.length / 13));
    t.board.dispose();
  });

  it("gives one free run back after E.defrag()", () => {
    const t = bootBoard("PUCKJS");
    t.type("var keep = []; for (var i = 0; i < 60; i++) { var b = new Uint8Array(200); if (i % 2) keep.push(b); } b = undefined;");
    t.type("process.memory()");
    const heap = t.board.memory.heap;
    expect(heap.map.largestFreeRun()).toBeLessThan(heap.freeBlocks);
    t.type("E.defrag()");
    expect(heap.map.largestFreeRun()).toBe(heap.freeBlocks);
    expect(resultOf(t, "keep.length + keep[29].length")).toBe("=230");
    t.board.dispose();
  });

  it("keeps code run from Storage in flash: its text costs no JsVars", () => {
    const code = Array.from({ length: 40 }, (_, i) => `function f${i}(x) { ${"x = x + 1; ".repeat(40)} return x }`).join("\n");
    const ram = bootBoard("PUCKJS");
    ram.board.evaluate(code);
    const ramUsage = Number(resultOf(ram, "process.memory().usage").slice(1));
    ram.board.dispose();
    const flash = bootBoard("PUCKJS");
    flash.board.loadFromStorage(code);
    expect(resultOf(flash, "f39(0)")).toBe("=40");
    const flashUsage = Number(resultOf(flash, "process.memory().usage").slice(1));
    flash.board.dispose();
    expect(ramUsage - flashUsage).toBeGreaterThan(code.length / 13);
  });

  it("prints OUT OF MEMORY, interrupts past try/catch, sets LOW_MEMORY,MEMORY", () => {
    const t = bootBoard("PUCKJS");
    const typed = t.type("var hoard = []; try { for (;;) hoard.push(new Uint8Array(100)); } catch (e) { print('CAUGHT'.toLowerCase()); } print('AFTER'.toLowerCase())");
    const reply = typed.slice(typed.indexOf("\r\n"));
    expect(reply).toContain("OUT OF MEMORY");
    expect(reply).not.toContain("caught");
    expect(reply).not.toContain("after");
    expect(reply).toContain("Execution Interrupted");
    expect(resultOf(t, "E.getErrorFlags()")).toBe('=[ "LOW_MEMORY", "MEMORY" ]');
    expect(resultOf(t, "E.getErrorFlags()")).toBe("=[ ]");
    // The board keeps serving, and freeing the hoard gives the blocks back.
    expect(resultOf(t, "hoard = undefined; process.memory().free > 2000")).toBe("=true");
    t.board.dispose();
  });

  it("releases the blocks of buffers that are no longer reachable", () => {
    const t = bootBoard("PUCKJS");
    const base = Number(resultOf(t, "process.memory().free").slice(1));
    t.type("var a = []; for (var i = 0; i < 50; i++) a.push(new Uint8Array(200));");
    const held = Number(resultOf(t, "process.memory().free").slice(1));
    expect(base - held).toBeGreaterThanOrEqual(50 * (2 + Math.ceil(200 / 13)));
    t.type("a = undefined;");
    const freed = Number(resultOf(t, "process.memory().free").slice(1));
    expect(freed).toBeGreaterThanOrEqual(base - 5);
    t.board.dispose();
  });

  it("lets a program allocate far more than the board holds when it drops what it no longer needs", () => {
    const t = bootBoard("PUCKJS");
    expect(resultOf(t, "var n = 0; for (var i = 0; i < 2000; i++) { var b = new Uint8Array(500); b[0] = 1; n += b.length; } n")).toBe("=1000000");
    t.board.dispose();
  });
});

/** The churn of ESPRUINO.md: keep many small buffers alive while replacing them at random. */
const CHURN_SETUP = [
  "var seed = 1; function rnd(n) { seed = (seed * 69069 + 1) % 4294967296; return (seed >>> 8) % n; }",
  "var SLOTS = 450, done = 0, failed = 0;",
];
const JSVAR_CHURN = "var live = []; function step() { var size = 20 + rnd(280); live[rnd(SLOTS)] = new Uint8Array(size); done++; }";

describe("fragmentation: JsVar buffers die, a boot heap runs on", () => {
  it("with buffers from the JsVar store, a growing share goes non-flat, then OUT OF MEMORY", () => {
    const t = bootBoard("ESPRUINOWIFI");
    for (const line of CHURN_SETUP) t.type(line);
    t.type(JSVAR_CHURN);
    const reply = t.type("for (var k = 0; k < 20000; k++) step();");
    expect(reply).toContain("OUT OF MEMORY");
    const done = Number(resultOf(t, "done").slice(1));
    expect(done).toBeLessThan(20000);
    expect(t.board.memory.heap.stats.nonFlatCount).toBeGreaterThan(100);
    t.board.dispose();
  });

  it("with one heap reserved at boot (BootHeap + TLSF), the same churn runs to the end without growing", () => {
    const t = bootBoard("ESPRUINOWIFI");
    const bootHeap = readFileSync("dist/espruino/modules/boot-heap.min.js", "utf8");
    const tlsf = readFileSync("dist/espruino/modules/tlsf.min.js", "utf8");
    t.board.evaluate(`Modules.addCached("boot-heap", ${JSON.stringify(bootHeap)}); Modules.addCached("tlsf", ${JSON.stringify(tlsf)});`);
    for (const line of CHURN_SETUP) t.type(line);
    t.type("var BH = require('boot-heap').BootHeap, TA = require('tlsf').TlsfAllocator;");
    t.type("var heap = new BH(42560); var gpa = new TA(heap, heap.carve(42000, 8, 'general')); heap.seal();");
    t.type("var ptrs = new Uint32Array(SLOTS), lens = new Uint32Array(SLOTS);");
    t.type("function step() { var size = 20 + rnd(280), s = rnd(SLOTS); if (ptrs[s]) gpa.free(ptrs[s], lens[s]); var p = gpa.alloc(size); if (p === 0) failed++; heap.u8[p] = 1; ptrs[s] = p; lens[s] = p ? size : 0; done++; }");
    // A first 5000 steps: the loop's k, and the counters done and seed, hold values too big to
    // live in their names by then, as they will at the end.
    t.type("for (var k = 0; k < 5000; k++) step();");
    const usageBefore = Number(resultOf(t, "process.memory().usage").slice(1));
    const failedBefore = Number(resultOf(t, "failed").slice(1));
    const reply = t.type("for (k = 0; k < 15000; k++) step();");
    expect(reply).not.toContain("OUT OF MEMORY");
    expect(resultOf(t, "done")).toBe("=20000");
    // Only `failed` (allocations the full heap refused) may take a block: once it passes 4095,
    // the largest integer a name holds on this board.
    const failedAfter = Number(resultOf(t, "failed").slice(1));
    const crossed = failedBefore <= 4095 && failedAfter > 4095 ? 1 : 0;
    expect(Number(resultOf(t, "process.memory().usage").slice(1))).toBe(usageBefore + crossed);
    expect(resultOf(t, "E.getErrorFlags().length")).toBe("=0");
    t.board.dispose();
  });
});
