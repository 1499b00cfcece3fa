// What a bundle costs the board, as plan/fit.ts counts it: its bytes (Storage, or RAM when
// uploaded as text), its functions and their parameters, and its outer variables (JsVars
// wherever the text is). Flashed code reaches Storage pretokenised (`bootheap flash` has the
// espruino tool do it), so that is the size Storage must hold; code uploaded to RAM stays text
// (the tool tokenises only what it saves).
import { parse } from "acorn";
import { FIRMWARE_VERSION } from "../../plan/board.js";
import type { Code, CodeIn } from "../../plan/fit.js";
import { pretokenise, tokenFormsFor } from "../pretokenised.js";
import { children, type AnyNode } from "./names-and-nodes.js";

const isFunction = (n: AnyNode): boolean => n.type === "FunctionDeclaration" || n.type === "FunctionExpression";

/** `(function(){…})()` or `!function(){…}()`: a function run once whose scope the code's closures keep. */
function wrapperOf(statement: AnyNode): AnyNode | null {
  let e = statement.type === "ExpressionStatement" ? (statement.expression as AnyNode) : null;
  if (e?.type === "UnaryExpression") e = e.argument as AnyNode;
  const callee = e?.type === "CallExpression" ? (e.callee as AnyNode) : null;
  return callee && callee.type === "FunctionExpression" ? callee : null;
}

export function codeOf(source: string, codeIn: CodeIn): Code {
  let functionCount = 0;
  let parameterCount = 0;
  let outerVariableCount = 0;
  const program = parse(source, { ecmaVersion: 5 }) as unknown as AnyNode;
  const outerScopes = new Set<AnyNode>([program, ...(program.body as AnyNode[]).map(wrapperOf).filter((w): w is AnyNode => w !== null)]);
  const visit = (n: AnyNode, scope: AnyNode): void => {
    if (isFunction(n)) {
      functionCount++;
      parameterCount += (n.params as unknown[]).length;
    }
    if (n.type === "VariableDeclarator" && outerScopes.has(scope)) outerVariableCount++;
    const inner = isFunction(n) ? n : scope;
    for (const child of children(n)) visit(child, inner);
  };
  visit(program, program);
  const bytes = codeIn === "flash" ? pretokenise(source, tokenFormsFor(FIRMWARE_VERSION)).length : source.length;
  return { bytes, textBytes: source.length, functionCount, parameterCount, outerVariableCount };
}
