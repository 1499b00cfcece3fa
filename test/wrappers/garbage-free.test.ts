// A static gate on the hot paths: the per-operation methods of the wrappers create no objects,
// arrays, closures, template strings or concatenated strings, except as arguments to the cold
// calls that only run on a bug or a bad argument (fail, checkLength, report, ...). On Espruino
// each of those would allocate JsVars per call.
import { describe, expect, test } from "vitest";
import { allocationsIn } from "../support/garbage.js";
import { CountingAllocator } from "../../src/wrappers/counting.js";
import { DebugAllocator } from "../../src/wrappers/debug.js";
import { FailingAllocator } from "../../src/wrappers/failing.js";
import { FallbackAllocator } from "../../src/wrappers/fallback.js";
import { PressureAllocator } from "../../src/wrappers/pressure.js";
import { StaticAllocator } from "../../src/wrappers/static.js";

// Cold calls run only on a bug or a bad argument; `if (this.allocStacks ...)` is captureStack,
// documented to allocate.
const RULES = {
  coldCalls: ["fail", "checkLength", "checkAlign", "checkTag", "violation", "report", "stackText", "call"],
  coldConditions: ["allocStacks", "freeStacks"],
};

function methodAllocations(proto: object, name: string): string[] {
  const fn = (proto as { [k: string]: unknown })[name];
  expect(typeof fn, name).toBe("function");
  return allocationsIn(fn, RULES);
}

const HOT: Array<[string, object, string[]]> = [
  ["CountingAllocator", CountingAllocator.prototype, ["alloc", "free", "resize", "remap", "changed"]],
  ["FailingAllocator", FailingAllocator.prototype, ["alloc", "free", "resize", "remap"]],
  ["StaticAllocator", StaticAllocator.prototype, ["alloc", "free", "resize", "remap"]],
  ["FallbackAllocator", FallbackAllocator.prototype, ["alloc", "free", "resize", "remap", "owner", "ownsPtr"]],
  ["PressureAllocator", PressureAllocator.prototype, ["alloc", "free", "resize", "remap", "allocOrShrink", "underPressure", "relieve"]],
  // DebugAllocator: allowed to allocate a report when it reports a bug, and stack text with captureStack.
  ["DebugAllocator", DebugAllocator.prototype, ["alloc", "free", "resize", "remap", "liveFor", "resizeRecord", "checkCanaries", "checkFreed", "releaseQuarantine", "freeRecord", "setState", "refuse"]],
];

describe("hot paths make no garbage", () => {
  for (const [cls, proto, methods] of HOT) {
    for (const m of methods) {
      test(cls + "." + m, () => {
        expect(methodAllocations(proto, m)).toEqual([]);
      });
    }
  }

  test("the gate catches an allocation", () => {
    const proto = { f(a: number) { return [a]; }, g(a: number) { return "x" + a; }, h(a: number) { if (a < 0) fail("bad " + a); return a; } };
    function fail(m: string): void { throw new Error(m); }
    expect(methodAllocations(proto, "f").length).toBe(1);
    expect(methodAllocations(proto, "g").length).toBe(1);
    expect(methodAllocations(proto, "h")).toEqual([]);
    expect(allocationsIn(function (a: number) { return a ? "x" : "y"; }, { stringLiterals: true })).toHaveLength(2);
    expect(allocationsIn(function (a: number) { return a ? "x" : "y"; }, {})).toEqual([]);
  });
});
