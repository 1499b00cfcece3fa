import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { testWithTool } from "./tools.js";

describe("Duktape, a second ES5 engine", () => {
  for (const bundle of ["dist/selftest/selftest.js", "dist/selftest/selftest.release.js"]) {
    testWithTool("runs " + bundle + ": at least 200 passed, 0 failed", "duk", "apt-get install -y duktape", (duk) => {
      const output = execFileSync(duk, [bundle], { encoding: "utf8", timeout: 120_000 });
      const lines = output.trim().split("\n");
      const last = lines[lines.length - 1];
      const match = /^(\d+) passed, (\d+) failed$/.exec(last);
      expect(match, "last line: " + last).not.toBeNull();
      expect(lines.filter((line) => line.startsWith("FAIL"))).toEqual([]);
      expect(Number(match![2])).toBe(0);
      expect(Number(match![1])).toBeGreaterThanOrEqual(200);
    }, 150_000);
  }

  testWithTool("loads the on-device module and uses it as a program would", "duk", "apt-get install -y duktape", (duk) => {
    const program = [
      // As Espruino's require does: the module runs in its own function scope.
      "var exports = {};",
      "(function (exports, module) {",
      readFileSync("dist/espruino/bootheap.min.js", "utf8"),
      "})(exports, { exports: exports });",
      "var heap = new exports.BootHeap(32 * 1024);",
      "var packets = new exports.MemoryPool(heap, heap.carve(64 * 40, 8, 'packets'), 64);",
      "heap.seal();",
      "var n = 0; while (packets.create() !== 0) n++;",
      "var sealed = 'no'; try { heap.carve(8, 8, 'late'); } catch (e) { sealed = e.code; }",
      "print(n + ' ' + sealed);",
    ].join("\n");
    const file = join(tmpdir(), "bootheap-duk-" + process.pid + ".js");
    writeFileSync(file, program);
    expect(execFileSync(duk, [file], { encoding: "utf8" }).trim()).toBe("40 Sealed");
  });
});
