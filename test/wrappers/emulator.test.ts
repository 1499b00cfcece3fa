// The wrappers on the emulated Espruino board (host/emulator): the wrapper cases in both build
// modes, and the sample firmware's debug and release bundles, with the JsVars each one costs.
import { beforeAll, describe, expect, test } from "vitest";
import { bundle } from "../support/bundle.js";
import { measure, Measurement } from "../support/measure-wrappers.js";
import { bootBoard } from "../emulator/helpers.js";

function run(source: string, boardName: string, chargeCodeText: boolean, prelude?: string): { out: string; usedBlocks: number; ok: boolean } {
  const t = bootBoard(boardName, { chargeCodeText });
  if (prelude !== undefined) t.board.evaluate(prelude);
  const before = t.output().length;
  const r = t.board.evaluate(source);
  const used = t.board.memory.heap.usedBlocks;
  return { out: t.output().slice(before), usedBlocks: used, ok: r.ok };
}

describe("wrapper cases on the emulated board", () => {
  for (const debug of [true, false]) {
    const mode = debug ? "debug" : "release";
    test(mode + ": every case passes", async () => {
      const source = await bundle("test/support/wrapper-selftest.ts", { debug, minify: false, format: "iife" });
      const r = run(source, "ESPRUINOWIFI", false);
      // Output erases the prompt first (ESC [J), as on the device: compare the text only.
      const lines = r.out.split(/\r?\n/).map((l) => l.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "").trim()).filter((l) => l !== "" && l !== ">");
      expect(lines.filter((l) => l.startsWith("FAIL") || l.startsWith("Uncaught"))).toEqual([]);
      const last = lines.find((l) => /^\d+ passed, \d+ failed$/.test(l));
      expect(last, r.out.slice(-500)).toBeDefined();
      expect(last).toMatch(/ 0 failed$/);
      expect(lines).toContain(mode);
    }, 120_000);
  }
});

describe("the sample firmware on a board, debug and release", () => {
  let m: Measurement;
  beforeAll(async () => {
    m = await measure("test/support/firmware-sample.ts");
  }, 120_000);

  // A 32 KB heap on the WiFi (8190 JsVars): both builds fit, the debug one costs more.
  test("ESPRUINOWIFI: both builds run; the debug build costs more JsVars", () => {
    const release = run(m.release, "ESPRUINOWIFI", true);
    expect(release.out).toContain("release - -");
    const debug = run(m.debug, "ESPRUINOWIFI", true);
    expect(debug.ok).toBe(true);
    expect(debug.out).toContain("debug ok ok");
    expect(debug.usedBlocks).toBeGreaterThan(release.usedBlocks);
    console.log("ESPRUINOWIFI: release firmware " + release.usedBlocks + " JsVars in use, debug " + debug.usedBlocks);
  }, 60_000);

  // A 6 KB heap on the Puck.js (2630 JsVars), the code uploaded to RAM: the release build fits
  // (about 1800 JsVars); the debug build takes about 1500 more on the WiFi, more than is left here.
  test("PUCKJS: the release build runs; the debug build does not fit and the board reports LOW_MEMORY,MEMORY", () => {
    const prelude = "var SAMPLE_HEAP_BYTES = 6144;";
    const release = run(m.release, "PUCKJS", true, prelude);
    expect(release.ok).toBe(true);
    expect(release.out).toContain("release - -");
    const debug = run(m.debug, "PUCKJS", true, prelude);
    expect(debug.ok).toBe(false);
    expect(debug.out).toContain("LOW_MEMORY,MEMORY");
    expect(debug.out).not.toContain("debug ok ok");
  }, 60_000);
});
