// The on-device minifier (host/build/es5.ts): TypeScript's class IIFEs flattened, module-level
// constants inlined, private members renamed with one map for every bundle.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { checkBundle } from "../../host/rules/gates.js";
import { hoistStrings, minifyES5, unwrapClasses } from "../../host/build/es5.js";
import { inlineHelpers } from "../../host/build/inline-helpers.js";
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

  test("a firmware's strings written 4 times or more become one variable, spaced where minified code needs it", () => {
    const script = '!function(){function f(n){if(n)return"InvalidArgument";throw new Error("InvalidArgument"+n)}var a=[f(1),"InvalidArgument","InvalidArgument"];print(a.join())}();';
    const out = hoistStrings(script);
    expect(out.match(/InvalidArgument/g)).toHaveLength(1);
    expect(out).toContain("return bootheap$s0");
    const printed: string[] = [];
    new Function("print", out)((s: string) => printed.push(s));
    expect(printed).toEqual(["InvalidArgument,InvalidArgument,InvalidArgument"]);
    expect(hoistStrings('!function(){var t=typeof x=="function",u=typeof y=="function",v=typeof z=="function",w=typeof q=="function"}();')).not.toContain("bootheap$s");
  });

  test("writes a helper that returns an expression of its parameters into its calls, and drops it", () => {
    const script = [
      "var ALIGN = 8;",
      "function alignForward(n, align) { return (n + align - 1) & ~(align - 1); }",
      "function slots(count) { return count * ALIGN; }",
      "var o = { at: 13 };",
      "exports.a = alignForward(o.at, 4) + alignForward(o.at + 1, ALIGN) + slots(3);",
    ].join("\n");
    const out = inlineHelpers(script);
    expect(out).not.toMatch(/function (alignForward|slots)/);
    expect(out).toContain("((o.at) + (4) - 1) & ~((4) - 1)");
    expect(out).toContain("((3) * (8))");
    const exports: Record<string, number> = {};
    new Function("exports", out)(exports);
    expect(exports.a).toBe(16 + 16 + 24);
  });

  test("keeps a helper that is passed as a value, called with a call for argument, reads another name, or would grow the code", () => {
    const kept = [
      "function twice(n) { return n + n; } exports.a = [1].map(twice);",
      "function twice(n) { return n + n; } exports.a = twice(Math.random());",
      "var LIMIT = 4; LIMIT++; function over(n) { return n > LIMIT; } exports.a = over(1);",
      "function whole(v, max) { return typeof v === 'number' && v >= 0 && v <= max && v % 1 === 0; } exports.a = whole(a, b) + whole(c, d) + whole(e, f) + whole(g, h);",
    ];
    for (const script of kept) expect(inlineHelpers(script)).toBe(script);
    // Inside a firmware (one function called at once) too, and a local of the same name is left alone.
    const firmware = "(function () { function half(n) { return n >> 1; } exports.a = half(8) + (function (half) { return half; })(1); })();";
    const out = inlineHelpers(firmware);
    expect(out).not.toContain("function half");
    const exports: Record<string, number> = {};
    new Function("exports", out)(exports);
    expect(exports.a).toBe(5);
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

describe("the modules of dist/espruino/modules share their helpers (run the build first)", () => {
  // As Espruino's require does: each module runs in its own function scope, with `global`.
  function requireInto(global: Record<string, unknown>, file: string): Record<string, unknown> {
    const exports: Record<string, unknown> = {};
    new Function("exports", "module", "global", readFileSync(file, "utf8"))(exports, { exports }, global);
    return exports;
  }

  test("the second module defines only the helpers the first did not, and both work together", () => {
    const global: Record<string, unknown> = {};
    const B = requireInto(global, "dist/espruino/modules/boot-heap.min.js") as { BootHeap: new (n: number) => { carve(n: number, a: number, name: string): unknown } };
    const holders = Object.keys(global);
    expect(holders.length).toBe(1);
    const shared = global[holders[0]] as Record<string, unknown>;
    const afterBootHeap = { ...shared };
    const P = requireInto(global, "dist/espruino/modules/pool.min.js") as { MemoryPool: new (h: unknown, r: unknown, n: number) => { alloc(n: number): number; free(p: number, n: number): void; check(): void } };
    expect(Object.keys(global)).toEqual(holders);
    // The helpers boot-heap defined are the very functions pool uses: none defined twice.
    for (const key of Object.keys(afterBootHeap)) expect(shared[key]).toBe(afterBootHeap[key]);
    expect(Object.keys(shared).length).toBeGreaterThan(Object.keys(afterBootHeap).length);
    const heap = new B.BootHeap(4096);
    const pool = new P.MemoryPool(heap, heap.carve(640, 8, "p"), 64);
    const p = pool.alloc(10);
    expect(p).toBeGreaterThan(0);
    pool.free(p, 10);
    pool.check();
    expect(() => pool.free(12345, 10)).toThrow(/InvalidFree/);
  });

  test("the smallest helpers are written into their calls, not defined", () => {
    const bootHeap = readFileSync("dist/espruino/modules/boot-heap.min.js", "utf8");
    // alignForward, isPowerOfTwo and regionTableBytes (HEADER_FIXED_BYTES + n * REGION_ENTRY_BYTES).
    expect(bootHeap).not.toMatch(/return \w+\+\w+-1&~\(\w+-1\)/);
    expect(bootHeap).not.toMatch(/return 24\+48\*\w+\}/);
    expect(bootHeap).toMatch(/24\+48\*/);
  });
});
