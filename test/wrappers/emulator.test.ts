// The wrappers on the emulated Espruino board (host/emulator): the wrapper cases in both build
// modes, and the sample firmware's debug and release bundles, flashed and uploaded to RAM.
import { beforeAll, describe, expect, test } from "vitest";
import { bundle } from "../support/bundle.js";
import { measure, Measurement } from "../support/measure-wrappers.js";
import { bootBoard } from "../emulator/helpers.js";

function run(source: string, boardName: string, chargeCodeText: boolean, prelude?: string): { out: string; ok: boolean } {
  const t = bootBoard(boardName, { chargeCodeText });
  if (prelude !== undefined) t.board.evaluate(prelude);
  const before = t.output().length;
  const r = t.board.evaluate(source);
  return { out: t.output().slice(before), ok: r.ok };
}

/** As `bootheap flash` leaves it: stored in flash (.bootcde) and loaded from there. */
function runFlashed(source: string, boardName: string): { out: string; flags: string[] } {
  const t = bootBoard(boardName);
  t.board.loadFromStorage(source);
  return { out: t.output(), flags: t.board.errorFlagList };
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

  // As `bootheap flash` leaves it: the code in Storage, run from flash. A 32 KB heap on the WiFi
  // (8190 JsVars): both builds run.
  test("ESPRUINOWIFI, flashed: both builds run", () => {
    const release = runFlashed(m.release, "ESPRUINOWIFI");
    expect(release.flags).toEqual([]);
    expect(release.out).toContain("release - -");
    const debug = runFlashed(m.debug, "ESPRUINOWIFI");
    expect(debug.flags).toEqual([]);
    expect(debug.out).toContain("debug ok ok");
  }, 60_000);

  // A 6 KB heap on the Puck.js (2630 JsVars). Uploaded to RAM, the release build's text does not
  // fit beside its functions (nor does it on Espruino 2v29 with 3000 JsVars of 17 bytes); flashed,
  // both builds run.
  test("PUCKJS: both builds run flashed; uploaded to RAM, the release build does not fit", () => {
    const prelude = "var SAMPLE_HEAP_BYTES = 6144;";
    const uploaded = run(m.release, "PUCKJS", true, prelude);
    expect(uploaded.ok).toBe(false);
    expect(uploaded.out).toContain("LOW_MEMORY,MEMORY");
    const release = runFlashed(prelude + "\n" + m.release, "PUCKJS");
    expect(release.flags).toEqual([]);
    expect(release.out).toContain("release - -");
    const debug = runFlashed(prelude + "\n" + m.debug, "PUCKJS");
    expect(debug.flags).toEqual([]);
    expect(debug.out).toContain("debug ok ok");
  }, 60_000);
});
