// The conformance self-test bundle (dist/selftest/selftest.js, built by `npm run build`) run
// inside the emulator on every board: it must end with "N passed, 0 failed".
import { describe, it, expect } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { listBoardNames } from "../../host/boards.js";
import { bootBoard } from "./helpers.js";

const SELFTEST = "dist/selftest/selftest.js";

describe("self-test bundle in the emulator", () => {
  it("exists (run `npm run build` first)", () => {
    expect(existsSync(SELFTEST), `${SELFTEST} is missing: run "npm run build" to produce it`).toBe(true);
  });

  for (const name of listBoardNames()) {
    it(`passes on ${name}`, () => {
      if (!existsSync(SELFTEST)) throw new Error(`${SELFTEST} is missing: run "npm run build" to produce it`);
      // The unminified suite is host-sized code (over 100 KB) that no small board could hold
      // as text; its allocations are still charged to the board's JsVars.
      const t = bootBoard(name, { chargeCodeText: false });
      const mark = t.output().length;
      t.board.evaluate(readFileSync(SELFTEST, "utf8"));
      const printed = t.output().slice(mark);
      t.board.dispose();
      const summary = printed.match(/(\d+) passed, (\d+) failed/);
      expect(summary, `no "N passed, N failed" line; the board printed:\n${printed.slice(-2000)}`).not.toBeNull();
      expect(Number(summary![2]), printed.slice(-3000)).toBe(0);
      expect(Number(summary![1])).toBeGreaterThan(0);
    });
  }
});
