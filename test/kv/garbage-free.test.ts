// A static gate on kv's request path: the per-request and per-byte functions create no objects,
// arrays, closures, template strings or concatenated strings (each would allocate JsVars on
// Espruino). Allowed: the socket API's strings (bytesToString builds the one string write()
// needs), and INFO, which builds its text from strings on purpose (not a hot command).
import { parse } from "acorn";
import { expect, test } from "vitest";
import { Kv } from "../../firmware/apps/kv/commands.js";
import { Lists } from "../../firmware/apps/kv/lists.js";
import { parseRequest } from "../../firmware/apps/kv/resp.js";
import { KvServer } from "../../firmware/apps/kv/server.js";
import { Store } from "../../firmware/apps/kv/store.js";

type AnyNode = { type: string; [key: string]: unknown };

function isString(node: AnyNode): boolean {
  return (node.type === "Literal" && typeof node.value === "string") || node.type === "TemplateLiteral";
}

function allocations(node: AnyNode, out: string[]): void {
  if (node === null || typeof node !== "object") return;
  switch (node.type) {
    case "NewExpression":
    case "ObjectExpression":
    case "ArrayExpression":
    case "FunctionExpression":
    case "ArrowFunctionExpression":
    case "TemplateLiteral":
      out.push(node.type + " at " + String(node.start));
      break;
    case "Literal":
      if (typeof node.value === "string") out.push("string literal " + JSON.stringify(node.value) + " at " + String(node.start));
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

function bodyAllocations(fn: unknown, asMethod: boolean): string[] {
  const text = (fn as () => void).toString();
  const source = asMethod ? "({ " + text + " })" : "(" + text + ")";
  const program = parse(source, { ecmaVersion: "latest" }) as unknown as AnyNode;
  const expr = (program.body as AnyNode[])[0].expression as AnyNode;
  const f = asMethod ? ((expr.properties as AnyNode[])[0].value as AnyNode) : expr;
  const out: string[] = [];
  allocations(f.body as AnyNode, out);
  return out;
}

const HOT: Array<[string, object, string[]]> = [
  ["Kv", Kv.prototype, ["exec", "run", "lookup", "nameHash", "argc", "ap", "an", "is2", "intArg", "parseInt", "spill", "flush", "room", "byte", "raw", "text", "error", "crlf", "num", "digitsAt", "int", "bulk", "arity", "unknown", "quoted", "find", "set", "get", "delExists", "incr", "digitCount", "push", "list", "lrange", "llen", "lpop", "replyText"]],
  ["Store", Store.prototype, ["hash", "find", "insert", "remove", "flush", "sweep"]],
  ["Lists", Lists.prototype, ["room", "reserve", "release", "push", "take", "popLeft", "range", "free"]],
  ["KvServer", KvServer.prototype, ["receive", "release", "close"]],
];

/** Once per received chunk, telling a String from a byte array: the chunk itself is the socket API's string. */
const ALLOWED: { [method: string]: string[] } = { "KvServer.receive": ['string literal "string"'] };

for (const [name, proto, methods] of HOT) {
  test(name + ": the request path allocates nothing", () => {
    for (const m of methods) {
      const fn = (proto as { [k: string]: unknown })[m];
      expect(typeof fn, name + "." + m).toBe("function");
      const allowed = ALLOWED[name + "." + m] || [];
      const found = bodyAllocations(fn, true).filter((a) => !allowed.some((ok) => a.startsWith(ok)));
      expect(found, name + "." + m).toEqual([]);
    }
  });
}

test("parseRequest allocates nothing", () => {
  expect(bodyAllocations(parseRequest, false)).toEqual([]);
});
