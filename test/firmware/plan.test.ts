import { execFileSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { loadAllBoards, loadBoard } from "../../host/boards.js";
import { checkFit, FUNCTION_BLOCKS, heapBudgetFor, INTERPRETER_BLOCKS, RUNTIME_RESERVE_SHARE } from "../../plan/fit.js";
import { BootHeap } from "../../src/heap/boot-heap.js";
import { checkPlan, planHeapBytes, type MemoryPlan } from "../../plan/plan.js";
import { make as makePool } from "../../firmware/makers/pool.js";
import { make as makeFixed } from "../../firmware/makers/fixed.js";
import { make as makeTlsf } from "../../firmware/makers/tlsf.js";
import { make as makeStack } from "../../firmware/makers/stack.js";
import demo from "../../firmware/apps/demo/app.js";
import logger from "../../firmware/apps/logger/app.js";

const example: MemoryPlan = {
  regions: [
    { name: "general", kind: "tlsf", sizeBytes: 8192 },
    { name: "packets", kind: "pool", slotSizeBytes: 64, slotCount: 32 },
    { name: "scratch", kind: "fixed", sizeBytes: 2048 },
    { name: "frames", kind: "stack", sizeBytes: 1024 },
  ],
};

describe("memory plans", () => {
  test("planHeapBytes is exactly what carving the plan takes", () => {
    const bytes = planHeapBytes(example);
    const heap = new BootHeap(bytes, example.regions.length);
    makeTlsf(heap, example.regions[0]);
    makePool(heap, example.regions[1]);
    makeFixed(heap, example.regions[2]);
    makeStack(heap, example.regions[3]);
    expect(heap.uncarvedBytes).toBeLessThan(8);
    expect(() => heap.carve(8, 8, "more")).toThrow(/OutOfMemory/);
  });

  test("a bad plan names the region and the field", () => {
    expect(() => checkPlan({ regions: [{ name: "p", kind: "pool", slotSizeBytes: 0, slotCount: 4 }] })).toThrow(/region 0 \("p"\): slotSizeBytes/);
    expect(() => checkPlan({ regions: [{ name: "x", kind: "heap" as "tlsf", sizeBytes: 64 }] })).toThrow(/kind must be one of/);
    expect(() => checkPlan({ regions: [{ name: "a", kind: "fixed", sizeBytes: 64 }, { name: "a", kind: "fixed", sizeBytes: 64 }] })).toThrow(/used twice/);
    expect(() => checkPlan({ regions: [] })).toThrow(/non-empty/);
  });

  test("a board's heap budget is what its code leaves, up to the board's default", () => {
    const board = loadBoard("PUCKJS");
    const small = { bytes: 20000, textBytes: 23000, functionCount: 20, parameterCount: 30, outerVariableCount: 10 };
    expect(heapBudgetFor(board, small, "flash")).toBe(board.heapBudgetBytes);
    const big = { ...small, functionCount: 200, parameterCount: 300 };
    const leftBlocks = board.jsVars - 1 - (200 * FUNCTION_BLOCKS + 300 + 10) - INTERPRETER_BLOCKS - Math.ceil(board.jsVars * RUNTIME_RESERVE_SHARE);
    expect(heapBudgetFor(board, big, "flash")).toBe(Math.floor((leftBlocks * board.blockBytes) / 8) * 8);
    expect(heapBudgetFor(board, big, "flash", 800)).toBe(Math.floor((leftBlocks * board.blockBytes - 800) / 8) * 8);
    expect(heapBudgetFor(board, { ...big, functionCount: 2000 }, "flash")).toBe(0);
  });

  test("the example plan fits a Pico and not a Puck.js with 2630 JsVars, and the message says why", () => {
    const code = { bytes: 20000, textBytes: 23000, functionCount: 100, parameterCount: 150, outerVariableCount: 40 };
    expect(checkFit(loadBoard("PICO_R1_3"), "example", example, code, "flash", "").fits).toBe(true);
    const big: MemoryPlan = { regions: [...example.regions, { name: "cache", kind: "fixed", sizeBytes: 30000 }] };
    const fit = checkFit(loadBoard("PUCKJS"), "example", big, code, "flash", "keys 100, values 64 B");
    expect(fit.fits).toBe(false);
    expect(fit.message).toMatch(/does not fit PUCKJS: \d+ bytes \(\d+ JsVars of 13 B\) too many/);
    expect(fit.message).toMatch(/Largest regions: cache \(fixed\) 30000 B, general \(tlsf\) 8192 B, packets \(pool\) 2048 B/);
    expect(fit.message).toContain("App limits: keys 100, values 64 B");
    expect(-fit.spareBlocks * 13).toBe(Number(/(\d+) bytes/.exec(fit.message)![1]));
  });

  test("functions hold JsVars wherever the code is; code uploaded to RAM adds its text blocks", () => {
    const board = loadBoard("PUCKJS");
    const code = { bytes: 30000, textBytes: 35000, functionCount: 60, parameterCount: 90, outerVariableCount: 30 };
    const flash = checkFit(board, "x", example, code, "flash", "");
    const ram = checkFit(board, "x", example, code, "ram", "");
    expect(flash.codeBlocks).toBe(60 * FUNCTION_BLOCKS + 90 + 30);
    expect(ram.codeBlocks).toBe(flash.codeBlocks + Math.ceil(30000 / 10));
    expect(flash.fits).toBe(true);
    expect(ram.fits).toBe(false);
  });

  test("every board gets a firmware: logger's plan fits each board's heap budget", () => {
    for (const board of loadAllBoards()) {
      const target = { board: board.name, heapBudgetBytes: board.heapBudgetBytes };
      expect(planHeapBytes(logger.plan(target)), board.name).toBeLessThanOrEqual(board.heapBudgetBytes);
      expect(planHeapBytes(demo.plan(target)), board.name).toBeLessThanOrEqual(board.heapBudgetBytes);
    }
  });

  test("npm run build -- --board B --app A fails with the reason when the app does not fit", () => {
    let output = "";
    let status = 0;
    try {
      execFileSync("npx", ["tsx", "host/build/build.ts", "--board", "ESPRUINOBOARD", "--app", "demo"], { encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      const error = e as { status: number; stdout: string; stderr: string };
      status = error.status;
      output = error.stdout + error.stderr;
    }
    expect(status).toBe(1);
    expect(output).toMatch(/demo does not fit ESPRUINOBOARD's Storage: the code is \d+ bytes too big/);
  }, 120_000);
});
