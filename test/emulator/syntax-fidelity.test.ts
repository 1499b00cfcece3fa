// Syntax the real interpreter rejects is rejected with line and column; its accepted twin runs.
import { describe, it, expect, afterAll } from "vitest";
import { prepareCode, EspruinoSyntaxError } from "../../host/emulator/syntax.js";
import { bootBoard, resultOf } from "./helpers.js";

const CASES: Array<{ rule: string; rejected: string; accepted: string; value: string }> = [
  { rule: "default parameters", rejected: "function f(a, b = 2) { return a + b }", accepted: "function f(a, b) { if (b === undefined) b = 2; return a + b }; f(1)", value: "=3" },
  { rule: "object destructuring", rejected: "var { a } = { a: 1 }", accepted: "var o = { a: 1 }; var a = o.a; a", value: "=1" },
  { rule: "array destructuring", rejected: "var [x, y] = [1, 2]", accepted: "var p = [1, 2]; p[0] + p[1]", value: "=3" },
  { rule: "spread", rejected: "Math.max(...[1, 5, 2])", accepted: "Math.max.apply(null, [1, 5, 2])", value: "=5" },
  { rule: "rest parameters", rejected: "function g(...r) { return r.length }", accepted: "function g() { return arguments.length }; g(1, 2)", value: "=2" },
  { rule: "computed keys", rejected: "var k = 'a'; var o = { [k]: 1 }", accepted: "var k = 'a'; var o = {}; o[k] = 1; o.a", value: "=1" },
  { rule: "exponent operator", rejected: "2 ** 8", accepted: "Math.pow(2, 8)", value: "=256" },
  { rule: "optional chaining", rejected: "var o = null; o?.x", accepted: "var o = null; o && o.x", value: "=null" },
  { rule: "async functions", rejected: "async function h() {}", accepted: "function h() { return Promise.resolve(1) }; typeof h()", value: '="object"' },
  { rule: "await", rejected: "async function h() { await 1 }", accepted: "function h() { return 2 }; h()", value: "=2" },
  { rule: "generators", rejected: "function* gen() { yield 1 }", accepted: "function gen() { return [1] }; gen()[0]", value: "=1" },
  { rule: "labels", rejected: "outer: for (var i = 0; i < 2; i++) { break outer }", accepted: "for (var i = 0; i < 2; i++) { break }; i", value: "=0" },
  { rule: "tagged templates", rejected: "function tag(s) { return s } tag`x`", accepted: "var n = 2; `n=${n}`", value: '="n=2"' },
  { rule: "identifier of", rejected: "var of = 1", accepted: "var off = 1; off", value: "=1" },
  { rule: "identifier static", rejected: "function static() {}", accepted: "function stat() { return 4 }; stat()", value: "=4" },
  { rule: "declaring undefined", rejected: "var undefined = 1", accepted: "var u; u === undefined", value: "=true" },
  { rule: "private class members", rejected: "class A { #x = 1 }", accepted: "class A { x = 1 }; new A().x", value: "=1" },
  { rule: "nested new", rejected: "function Outer() { this.In = function () {} }; new new Outer().In()", accepted: "function Outer() { this.In = function () { this.x = 4 } }; var o = new Outer(); new o.In().x", value: "=4" },
  // Found running a minified bundle on the real interpreter: `function` opens a declaration there.
  { rule: "a for-initialiser starting with function", rejected: "for (function (t) { return t }(1); false;);", accepted: "var z = 0; for ((function (t) { z = t })(3); false;); z", value: "=3" },
];

describe("syntax fidelity", () => {
  const t = bootBoard();
  afterAll(() => t.board.dispose());

  for (const c of CASES) {
    it(`rejects ${c.rule} with line and column, runs the accepted form`, () => {
      expect(() => prepareCode(c.rejected)).toThrow(EspruinoSyntaxError);
      const reply = resultOf(t, c.rejected);
      expect(reply).toMatch(/^Uncaught SyntaxError: .* at line 1 col \d+$/);
      expect(resultOf(t, c.accepted)).toBe(c.value);
    });
  }

  it("names the line and column of the offending token", () => {
    try {
      prepareCode("var a = 1;\nvar b = 2;\nfunction f(x, y = 3) {}");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EspruinoSyntaxError);
      expect((e as EspruinoSyntaxError).line).toBe(3);
      expect((e as EspruinoSyntaxError).column).toBe(15);
      expect((e as Error).message).toContain("at line 3 col 15");
    }
  });

  it("reports what acorn itself cannot parse with line and column", () => {
    expect(resultOf(t, "var = 3")).toMatch(/^Uncaught SyntaxError: .* at line 1 col 5$/);
  });

  it("keeps working after a rejected line", () => {
    expect(resultOf(t, "1 + 1")).toBe("=2");
  });
});
