// The Espruino rules on a user's own source (host/rules/source-rules.ts): each construct the
// device rejects is found at its position, and what costs nothing on the device (types, names
// that only look like missing built-ins) is left alone.
import { describe, expect, it } from "vitest";
import { checkSource } from "../../host/rules/source-rules.js";
import { locate } from "../../host/build/build-error.js";

function found(source: string, file = "app.js"): string[] {
  return checkSource(file, source).map((v) => locate(file, source, v.position) + " " + v.message);
}

describe("Espruino rules on the user's source", () => {
  const cases: Array<[string, string, RegExp]> = [
    ["default parameter", "function f(a, b = 2) { return a + b; }", /app\.js:1:15 default parameters/],
    ["rest parameter", "function f(a, ...more) { return more; }", /app\.js:1:15 rest parameters/],
    ["destructuring declaration", "var { a, b } = o;", /app\.js:1:5 destructuring is/],
    ["array destructuring", "var x;\nvar [a, b] = [1, 2];", /app\.js:2:5 destructuring is/],
    ["destructuring assignment", "[a, b] = [b, a];", /app\.js:1:1 destructuring assignment/],
    ["spread call", "Math.max(...list);", /app\.js:1:10 spread/],
    ["object spread", "var c = { ...a };", /app\.js:1:11 spread/],
    ["computed key", "var o = { [k]: 1 };", /app\.js:1:11 computed property names/],
    ["tagged template", "tag`x`;", /app\.js:1:1 tagged templates/],
    ["exponent", "var y = x ** 2;", /app\.js:1:9 `\*\*`/],
    ["optional chaining", "var y = a?.b;", /app\.js:1:9 optional chaining/],
    ["label", "outer: for (;;) break outer;", /app\.js:1:1 labels/],
    ["async function", "async function f() { return 1; }", /app\.js:1:1 `async` functions/],
    ["await", "async function f() { await g(); }", /app\.js:1:22 `await`/],
    ["generator", "function* g() { yield 1; }", /app\.js:1:1 generators/],
    ["extends Error", "class E extends Error {}", /app\.js:1:9 `extends Error`/],
    ["Map", "var m = new Map();", /app\.js:1:13 `Map` does not exist/],
    ["Symbol", "var s = Symbol('x');", /app\.js:1:9 `Symbol` does not exist/],
    ["Math.imul", "var p = Math.imul(a, b);", /app\.js:1:9 `Math\.imul` does not exist/],
    ["Array.from", "var a = Array.from(x);", /app\.js:1:9 `Array\.from` does not exist/],
    ["at()", "var last = list.at(-1);", /app\.js:1:12 `\.at` does not exist/],
    ["length write", "list.length = 0;", /app\.js:1:1 writing `\.length`/],
    ["length decrement", "list.length--;", /app\.js:1:1 writing `\.length`/],
  ];
  for (const [name, source, expected] of cases) {
    it(`finds ${name}`, () => {
      const violations = found(source);
      expect(violations.length, violations.join("\n")).toBeGreaterThan(0);
      expect(violations.join("\n")).toMatch(expected);
    });
  }

  it("leaves alone what the device runs: ES5, classes, arrows, let/const, templates, for-of", () => {
    const source = "let a = [1, 2];\nconst f = (x) => x * 2;\nclass C { m() { return `v${a.length}`; } }\nfor (const v of a) f(v);\nvar o = { map: 1, Map: 2 };\no.Map = 3;\nvar n = a.length;\n";
    expect(found(source)).toEqual([]);
  });

  it("skips TypeScript types: a Map type costs nothing on the device", () => {
    const source = "interface Index { byName: Map<string, number> }\ntype S = Set<number>;\nlet m: Map<string, number> | null = null;\nfunction f(x: Symbol): void {}\n";
    expect(found(source, "app.ts")).toEqual([]);
  });

  it("reports every violation of a file, each at its own line", () => {
    const violations = found("var m = new Map();\nfunction f(a = 1) {}\nMath.max(...x);\n");
    expect(violations.map((v) => v.split(" ")[0])).toEqual(["app.js:1:13", "app.js:2:12", "app.js:3:10"]);
  });
});
