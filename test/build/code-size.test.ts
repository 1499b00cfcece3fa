// What the fit check counts of a bundle: functions, their parameters, the outer scope's variables.
import { describe, expect, test } from "vitest";
import { codeOf } from "../../host/build/code-size.js";

describe("codeOf", () => {
  test("counts every function and parameter, and the variables of the program and of its wrapping closure only", () => {
    const source = [
      "var TARGET = 1;",
      "!(function () { var a, b = 2; function f(x, y) { var local = x; return function (z) { return local + z + y; }; } a = f; })();",
      "(function (p) { var c; })(3);",
    ].join("\n");
    expect(codeOf(source, "ram")).toEqual({
      bytes: source.length,
      textBytes: source.length,
      functionCount: 4,
      parameterCount: 4,
      // TARGET, a, b and c: `local` lives only while f runs.
      outerVariableCount: 4,
    });
  });

  test("flashed code is counted in its pretokenised bytes", () => {
    const source = "function f(a) { return typeof a === 'string' ? a : 'none'; }";
    const flash = codeOf(source, "flash");
    expect(flash.textBytes).toBe(source.length);
    expect(flash.bytes).toBeLessThan(source.length * 0.7);
  });
});
