// A static gate for hot paths: what in a function's body would allocate JsVars on Espruino on
// every call — an object, array, closure, template string or concatenated string, and, when
// asked, a string literal — outside the calls and branches that only run on a bug or a bad
// argument.
import { parse } from "acorn";

type AnyNode = { type: string; [key: string]: unknown };

export interface GarbageRules {
  /** Calls whose arguments may allocate: they run only on a bug or a bad argument (fail, report, ...). */
  coldCalls?: string[];
  /** An `if` whose test mentions one of these runs its then-branch only when allocating is documented. */
  coldConditions?: string[];
  /** Count string literals too (kv's request path keeps its fixed texts in the heap). */
  stringLiterals?: boolean;
}

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

function allocations(node: AnyNode, rules: GarbageRules, out: string[]): void {
  if (node === null || typeof node !== "object") return;
  switch (node.type) {
    case "CallExpression":
      if ((rules.coldCalls ?? []).includes(calleeName(node))) return;
      break;
    case "IfStatement": {
      const test = JSON.stringify(node.test);
      if ((rules.coldConditions ?? []).some((word) => test.indexOf(word) >= 0)) {
        if (node.alternate) allocations(node.alternate as AnyNode, rules, out);
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
    case "Literal":
      if (rules.stringLiterals && typeof node.value === "string") out.push("string literal " + JSON.stringify(node.value) + " at " + String(node.start));
      break;
    case "BinaryExpression":
      if (node.operator === "+" && (isString(node.left as AnyNode) || isString(node.right as AnyNode))) out.push("string concatenation at " + String(node.start));
      break;
  }
  for (const key of Object.keys(node)) {
    const value = node[key] as unknown;
    if (Array.isArray(value)) for (const v of value) allocations(v as AnyNode, rules, out);
    else if (value !== null && typeof value === "object" && typeof (value as AnyNode).type === "string") allocations(value as AnyNode, rules, out);
  }
}

/** What allocates in the body of `fn`, a plain function or a method (shorthand syntax). */
export function allocationsIn(fn: unknown, rules: GarbageRules): string[] {
  if (typeof fn !== "function") throw new Error("allocationsIn expects a function, got " + typeof fn);
  const text = fn.toString();
  const plain = text.startsWith("function") || text.startsWith("(") || /^\w+\s*=>/.test(text);
  const program = parse(plain ? "(" + text + ")" : "({ " + text + " })", { ecmaVersion: "latest" }) as unknown as AnyNode;
  const expression = (program.body as AnyNode[])[0].expression as AnyNode;
  const f = plain ? expression : ((expression.properties as AnyNode[])[0].value as AnyNode);
  const out: string[] = [];
  allocations(f.body as AnyNode, rules, out);
  return out;
}
