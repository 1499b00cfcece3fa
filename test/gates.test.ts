import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { checkBundle } from "../host/rules/gates.js";

function bundles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return bundles(path);
    return name.endsWith(".js") ? [path] : [];
  });
}

describe("build gates: every bundle that may run on a board", () => {
  const files = [...bundles("dist/espruino"), ...bundles("dist/selftest"), ...bundles("dist/firmware")];

  test("the build produced the bundles (run `npm run build` first)", () => {
    expect(files).toContain("dist/espruino/bootheap.min.js");
    expect(files).toContain("dist/selftest/selftest.js");
  });

  for (const file of files) {
    test(file + " is ES5, declares no of/static/undefined, uses no missing built-in, relies on no hoisting", () => {
      expect(checkBundle(readFileSync(file, "utf8"))).toEqual([]);
    });
  }
});

describe("the gates catch what the device rejects", () => {
  const cases: Array<[string, string, string]> = [
    ["syntax", "function f(a, b = 2) { return a + b; }", "default parameters"],
    ["syntax", "var o = { a: 1 }; var { a } = o;", "destructuring"],
    ["syntax", "Math.max(...[1, 2]);", "spread"],
    ["syntax", "let x = 1;", "let"],
    ["syntax", "var f = () => 1;", "arrow functions"],
    ["syntax", "for (function (t) { return t; }(1); false;);", "a for-initialiser that starts with function"],
    ["identifier", "var of = 1;", "`of` as a name"],
    ["identifier", "function f(static) { return static; }", "`static` as a parameter"],
    ["identifier", "function g() { var undefined = 2; }", "`undefined` as a name"],
    ["built-in", "var m = new Map();", "Map"],
    ["built-in", "var n = Math.imul(3, 4);", "Math.imul"],
    ["built-in", "var n = Number.isInteger(3);", "Number.isInteger"],
    ["built-in", "throw new RangeError('x');", "RangeError"],
    ["built-in", "var a = [1, 2].lastIndexOf(2);", "Array.prototype.lastIndexOf"],
    ["built-in", "var n = new Uint8Array(4).BYTES_PER_ELEMENT;", "BYTES_PER_ELEMENT"],
    ["built-in", "var a = [1, 2]; a.length = 0;", "a write to an array's length"],
    ["built-in", "var a = [1, 2]; a.length--;", "a decrement of an array's length"],
    ["hoisting", "f(); function f() {}", "a call before the declaration"],
    ["hoisting", "function s() {} function o(r) { return (s = r) > 0; var s; }", "a var used before its declaration runs (after a return)"],
    ["hoisting", "function f() {} function g(a) { for (var i = 0; i < 2; i++) { f = a[i]; var f; } }", "a var used before its declaration in the same loop body"],
    ["hoisting", "var B = (function (_super) { __extends(B, _super); function B() {} return B; })(A);", "down-levelled extends"],
  ];
  for (const [rule, source, what] of cases) {
    test("rejects " + what, () => {
      const violations = checkBundle(source);
      expect(violations.map((v) => v.rule)).toContain(rule);
    });
  }

  test("accepts what the device runs", () => {
    const ok = [
      "function f() { return 1; } f();",
      "var g = function () { return h(); }; function h() { return 2; } g();",
      "var o = { of: 1, static: 2 }; o.of + o.static;",
      "var m = { Map: 1 }; m.Map;",
      "function r(n) { return n ? r(n - 1) : 0; } r(3);",
      "function q(a) { var a = a || 1; var b = a + 1; return b; }",
      "function w() { var x = 1; for (var i = 0; i < 2; i++) { x = x + i; } return x; }",
      "for ((function (t) { return t; })(1); false;);",
    ];
    for (const source of ok) expect(checkBundle(source)).toEqual([]);
  });
});
