// The on-device minifier (host/build/es5.ts): TypeScript's class IIFEs flattened, module-level
// constants inlined, private members renamed with one map for every bundle.
import { describe, expect, test } from "vitest";
import { checkBundle } from "../../host/rules/gates.js";
import { minifyES5, unwrapClasses } from "../../host/build/es5.js";
import { privateNameMap } from "../../host/build/private-names.js";

const CLASS = [
  "var LIMIT = 16777208;",
  "var Counter = /** @class */ (function () {",
  "    function Counter(start) { this.stateWord = start; }",
  "    Counter.prototype.add = function (n) { if (n > LIMIT) throw new Error('big'); this.stateWord += n; return this.stateWord; };",
  "    Counter.prototype.twice = function () { return this.add(this.stateWord); };",
  "    Counter.prototype.get = function () { return this.stateWord; };",
  "    return Counter;",
  "}());",
  "exports.Counter = Counter;",
].join("\n");

function load(code: string): { Counter: new (n: number) => { add(n: number): number; twice(): number; get(): number } } {
  const exports = {};
  new Function("exports", code)(exports);
  return exports as ReturnType<typeof load>;
}

describe("the on-device minifier", () => {
  test("flattens a class IIFE into module-level statements, one prototype variable", () => {
    const flat = unwrapClasses(CLASS);
    expect(flat).not.toContain("(function ()");
    expect(flat).toContain("function Counter(start)");
    expect(flat).toContain("var Counter_prototype = Counter.prototype;");
    const c = new (load(flat).Counter)(2);
    expect(c.twice()).toBe(4);
  });

  test("leaves an IIFE alone when its names would meet the module's", () => {
    const clash = "var x = 1;\nvar C = (function () { function C() {} var x = 2; C.prototype.a = function () { return x; }; return C; }());\n";
    expect(unwrapClasses(clash)).toBe(clash);
  });

  test("inlines module-level constants, renames private members, passes the gates", async () => {
    const out = await minifyES5(CLASS, true);
    expect(out).toContain("16777208");
    expect(out).not.toMatch(/var [^;]*=16777208/);
    expect(out).not.toContain("stateWord");
    expect(out).toContain("." + privateNameMap().get("stateWord"));
    expect(checkBundle(out)).toEqual([]);
    const c = new (load(out).Counter)(3);
    expect(c.add(2)).toBe(5);
    expect(c.get()).toBe(5);
  });

  test("renames only private names that nothing reaches from outside", () => {
    const map = privateNameMap();
    expect(map.has("stateWord")).toBe(true);
    // Public API, a public member elsewhere (BootHeap.u32), a built-in's property, Espruino's.
    for (const name of ["alloc", "sizeBytes", "u32", "call", "on", "emit"]) expect(map.has(name)).toBe(false);
    const shorts = [...map.values()];
    expect(new Set(shorts).size).toBe(shorts.length);
    for (const short of shorts) expect(short).toMatch(/^\$[A-Za-z]+$/);
  });
});
