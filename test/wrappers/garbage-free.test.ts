// A static gate on the hot paths: the per-operation methods of the wrappers create no objects,
// arrays, closures, template strings or concatenated strings, except as arguments to the cold
// calls that only run on a bug or a bad argument (fail, checkLength, report, ...). On Espruino
// each of those would allocate JsVars per call.
import { parse } from "acorn";
import { describe, expect, test } from "vitest";
import { CountingAllocator } from "../../src/wrappers/counting.js";
import { DebugAllocator } from "../../src/wrappers/debug.js";
import { FailingAllocator } from "../../src/wrappers/failing.js";
import { FallbackAllocator } from "../../src/wrappers/fallback.js";
import { PressureAllocator } from "../../src/wrappers/pressure.js";
import { StaticAllocator } from "../../src/wrappers/static.js";

type AnyNode = { type: string; [key: string]: unknown };

const COLD_CALLS = new Set(["fail", "checkLength", "checkAlign", "checkTag", "violation", "report", "stackText", "call"]);

function calleeName(node: AnyNode): string {
  let callee = node.callee as AnyNode;
  // (0, module.fail)(...) after the test runner's import rewrite
  if (callee.type === "SequenceExpression") callee = (callee.expressions as AnyNode[])[(callee.expressions as AnyNode[]).length - 1];
  if (callee.type === "Identifier") return callee.name as string;
  if (callee.type === "MemberExpression" && (callee.property as AnyNode).type === "Identifier") return (callee.property as AnyNode).name as string;
  return "";
}

function isString(node: AnyNode): boolean {
  return (node.type === "Literal" && typeof node.value === "string") || node.type === "TemplateLiteral";
}

/** What in `node` allocates, outside cold calls and outside `if (this.allocStacks ...)` (captureStack, documented to allocate). */
function allocations(node: AnyNode, out: string[]): void {
  if (node === null || typeof node !== "object") return;
  switch (node.type) {
    case "CallExpression":
      if (COLD_CALLS.has(calleeName(node))) return;
      break;
    case "IfStatement": {
      const src = JSON.stringify(node.test);
      if (src.indexOf("allocStacks") >= 0 || src.indexOf("freeStacks") >= 0) {
        if (node.alternate) allocations(node.alternate as AnyNode, out);
        return;
      }
      break;
    }
    case "NewExpression":
    case "ObjectExpression":
    case "ArrayExpression":
    case "FunctionExpression":
    case "ArrowFunctionExpression":
    case "TemplateLiteral":
      out.push(node.type + " at " + String(node.start));
      break;
    case "BinaryExpression":
      if (node.operator === "+" && (isString(node.left as AnyNode) || isString(node.right as AnyNode))) out.push("string concatenation at " + String(node.start));
      break;
  }
  for (const key of Object.keys(node)) {
    const value = node[key] as unknown;
    if (Array.isArray(value)) for (const v of value) allocations(v as AnyNode, out);
    else if (value !== null && typeof value === "object" && typeof (value as AnyNode).type === "string") allocations(value as AnyNode, out);
  }
}

function methodAllocations(proto: object, name: string): string[] {
  const fn = (proto as { [k: string]: unknown })[name];
  expect(typeof fn, name).toBe("function");
  const source = "({ " + (fn as () => void).toString() + " })";
  const program = parse(source, { ecmaVersion: "latest" }) as unknown as AnyNode;
  const method = (((program.body as AnyNode[])[0].expression as AnyNode).properties as AnyNode[])[0].value as AnyNode;
  const out: string[] = [];
  allocations(method.body as AnyNode, out);
  return out;
}

const HOT: Array<[string, object, string[]]> = [
  ["CountingAllocator", CountingAllocator.prototype, ["alloc", "free", "resize", "remap", "changed"]],
  ["FailingAllocator", FailingAllocator.prototype, ["alloc", "free", "resize", "remap", "changed"]],
  ["StaticAllocator", StaticAllocator.prototype, ["alloc", "free", "resize", "remap"]],
  ["FallbackAllocator", FallbackAllocator.prototype, ["alloc", "free", "resize", "remap", "owner", "ownsPtr"]],
  ["PressureAllocator", PressureAllocator.prototype, ["alloc", "free", "resize", "remap", "allocOrShrink", "underPressure", "relieve"]],
  // DebugAllocator: allowed to allocate a report when it reports a bug, and stack text with captureStack.
  ["DebugAllocator", DebugAllocator.prototype, ["alloc", "free", "resize", "remap", "liveFor", "resizeRecord", "checkCanaries", "checkFreed", "releaseOldest", "freeRecord", "setState", "refuse"]],
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
  });
});
