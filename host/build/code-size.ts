// What a bundle costs the board, as plan/fit.ts counts it: its bytes (Storage, or RAM when
// uploaded as text), its functions and their parameters, and its outer variables (JsVars
// wherever the text is). Flashed
// code reaches Storage pretokenised (`bootheap flash` has the espruino tool do it), so that is
// the size Storage must hold; code uploaded to RAM stays text (the tool tokenises only what it saves).
import { parse } from "acorn";
import { FIRMWARE_VERSION } from "../../plan/board.js";
import type { Code, CodeIn } from "../../plan/fit.js";
import { pretokenise, tokenFormsFor } from "../pretokenised.js";

interface Node {
  type?: string;
  [key: string]: unknown;
}

const isFunction = (n: Node): boolean => n.type === "FunctionDeclaration" || n.type === "FunctionExpression";

/** `(function(){…})()` or `!function(){…}()`: a function run once whose scope the code's closures keep. */
function wrapperOf(statement: Node): Node | null {
  let e = statement.type === "ExpressionStatement" ? (statement.expression as Node) : null;
  if (e?.type === "UnaryExpression") e = e.argument as Node;
  const callee = e?.type === "CallExpression" ? (e.callee as Node) : null;
  return callee && callee.type === "FunctionExpression" ? callee : null;
}

export function codeOf(source: string, codeIn: CodeIn): Code {
  let functionCount = 0;
  let parameterCount = 0;
  let outerVariableCount = 0;
  const program = parse(source, { ecmaVersion: 5 }) as unknown as Node;
  const outerScopes = new Set<Node>([program, ...(program.body as Node[]).map(wrapperOf).filter((w): w is Node => w !== null)]);
  const visit = (node: unknown, scope: Node): void => {
    if (!node || typeof node !== "object") return;
    const n = node as Node;
    if (isFunction(n)) {
      functionCount++;
      parameterCount += (n.params as unknown[]).length;
    }
    if (n.type === "VariableDeclarator" && outerScopes.has(scope)) outerVariableCount++;
    const inner = isFunction(n) ? n : scope;
    for (const key of Object.keys(n)) {
      const value = n[key];
      if (Array.isArray(value)) value.forEach((v) => visit(v, inner));
      else if (value && typeof value === "object") visit(value, inner);
    }
  };
  visit(program, program);
  const bytes = codeIn === "flash" ? pretokenise(source, tokenFormsFor(FIRMWARE_VERSION)).length : source.length;
  return { bytes, textBytes: source.length, functionCount, parameterCount, outerVariableCount };
}
