// The build mode end to end: the same firmware bundled as debug and as release (as
// rollup.config.js builds on-device bundles), checked by the build gates, run on Duktape, and
// the wrapper cases bundled and run on Duktape in both modes.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { checkBundle } from "../../host/rules/gates.js";
import { BUILD_MODE, DEBUG } from "../../src/build-mode.js";
import { bundle } from "../support/bundle.js";
import { measure, Measurement } from "../support/measure-wrappers.js";
import { testWithTool } from "../system/tools.js";

function runDuk(duk: string, source: string, name: string): string {
  const file = join(tmpdir(), "bootheap-" + name + "-" + process.pid + ".js");
  writeFileSync(file, source);
  return execFileSync(duk, [file], { encoding: "utf8", timeout: 120_000 }).trim();
}

test("the mode under vitest follows BOOTHEAP_MODE (debug when unset)", () => {
  const mode = process.env.BOOTHEAP_MODE;
  expect(BUILD_MODE).toBe(mode === "release" ? "release" : "debug");
  expect(DEBUG).toBe(BUILD_MODE === "debug");
});

describe("instrument(): wrappers in debug bundles, none in release bundles", () => {
  let m: Measurement;
  beforeAll(async () => {
    m = await measure("test/support/firmware-sample.ts");
  }, 120_000);

  test("the release bundle has no wrapper-only string and is smaller", () => {
    expect(m.releaseHas).toEqual([]);
    expect(m.debugHas.length).toBe(3);
    expect(m.releaseBytes).toBeLessThan(m.debugBytes);
    console.log("firmware-sample: release " + m.releaseBytes + " bytes, debug " + m.debugBytes + " bytes");
  });

  test("both pass the build gates (ES5, names, built-ins, hoisting)", () => {
    expect(checkBundle(m.release)).toEqual([]);
    expect(checkBundle(m.debug)).toEqual([]);
  });

  testWithTool("both run on Duktape: release has no debug allocator, debug ends \"ok\"", "duk", "apt-get install -y duktape", (duk) => {
    expect(runDuk(duk, m.release, "release")).toBe("release - -");
    expect(runDuk(duk, m.debug, "debug")).toBe("debug ok ok");
  });
});

describe("the on-device module (src/index.ts) with the wrappers exported", () => {
  for (const debug of [false, true]) {
    testWithTool((debug ? "debug" : "release") + ": passes the build gates and loads on Duktape with every wrapper", "duk", "apt-get install -y duktape", async (duk) => {
      const source = await bundle("src/index.ts", { debug, minify: true, format: "cjs" });
      expect(checkBundle(source)).toEqual([]);
      const program = [
        // As Espruino's require does: the module runs in its own function scope (its minified
        // top-level names must not meet the program's).
        "var exports = {};",
        "(function (exports, module) {",
        source,
        "})(exports, { exports: exports });",
        "var heap = new exports.BootHeap(16384);",
        "var tlsf = new exports.TlsfAllocator(heap, heap.carve(8192, 8, 'gp'));",
        "var got = [];",
        "var d = new exports.DebugAllocator(tlsf, { region: heap.carve(exports.DebugAllocator.regionBytes(8), 8, 'gp.debug'), onReport: function (r) { got.push(r.code); } });",
        "var c = new exports.CountingAllocator(d, { state: tlsf });",
        "var p = c.alloc(10); heap.u8[p + 10] = 1; c.free(p, 10); d.free(p, 10);",
        "var s = new exports.StaticAllocator(tlsf); s.lock(); var code = ''; try { s.alloc(1); } catch (e) { code = e.code; }",
        "print(got.join(',') + ' ' + code + ' ' + exports.BUILD_MODE + ' ' + c.peakBytes());",
      ].join("\n");
      expect(runDuk(duk, program, "index-" + (debug ? "debug" : "release"))).toBe("BufferOverflow,DoubleFree Static " + (debug ? "debug" : "release") + " 10");
      console.log("src/index.ts as the on-device module, " + (debug ? "debug" : "release") + ": " + source.length + " bytes");
    }, 120_000);
  }
});

describe("the wrapper cases on Duktape, in both build modes", () => {
  for (const debug of [true, false]) {
    const mode = debug ? "debug" : "release";
    testWithTool(mode + ": every case passes", "duk", "apt-get install -y duktape", async (duk) => {
      const source = await bundle("test/support/wrapper-selftest.ts", { debug: debug, minify: false, format: "iife" });
      expect(checkBundle(source)).toEqual([]);
      const lines = runDuk(duk, source, "wrappers-" + mode).split("\n");
      expect(lines.filter((l) => l.startsWith("FAIL"))).toEqual([]);
      expect(lines[lines.length - 2]).toBe(mode);
      const match = /^(\d+) passed, (\d+) failed$/.exec(lines[lines.length - 1]);
      expect(match).not.toBeNull();
      expect(Number(match![2])).toBe(0);
      expect(Number(match![1])).toBeGreaterThanOrEqual(130);
    }, 120_000);
  }
});
