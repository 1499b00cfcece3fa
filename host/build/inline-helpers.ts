// Small helpers written into their calls in on-device code. On Espruino a function, once defined,
// holds about five JsVars plus one per parameter for as long as the code is loaded, and each call
// costs about as much as a dozen operators. A helper whose whole body is `return EXPR`, where EXPR
// reads only its parameters and top-level constants (alignForward, isPowerOfTwo,
// regionTableBytes), costs neither once written into each call, the constants as their values.
// Done when every reference to it is such a call and the code grows by no more than the
// definition it removes (flash is short on some boards too: ESPRUINOBOARD).
//
// Terser inlines only functions used once; this does the ones used a few times. Run on a
// firmware before minifying (es5.ts) and on a module's shared helpers (shared-helpers.ts).
import { parse } from "acorn";
import { applyEdits, children, scopeReferences, type AnyNode, type Edit } from "./names-and-nodes.js";

const PURE_OPERATORS = new Set(["UnaryExpression", "BinaryExpression", "LogicalExpression", "ConditionalExpression"]);

/**
 * An expression that can be evaluated twice, or not at all, or in another order, with no
 * difference: names, literals, `this`, property reads (the library's getters only read) and
 * operators over them; no calls, `new`, assignments, updates, `delete` or functions. `names`:
 * the names it may read (null: any, and `this`).
 */
function isPure(node: AnyNode, names: ((name: string) => boolean) | null): boolean {
  if (node.type === "Identifier") return names === null || names(String(node.name));
  if (node.type === "Literal") return !(node.value instanceof RegExp);
  if (node.type === "ThisExpression") return names === null;
  if (node.type === "MemberExpression") return isPure(node.object as AnyNode, names) && (!node.computed || isPure(node.property as AnyNode, names));
  if (!PURE_OPERATORS.has(node.type) || node.operator === "delete") return false;
  return children(node).every((child) => isPure(child, names));
}

/** Name -> value text of the constants declared in `root`'s own statements: `var X = literal`, never assigned again. */
export function topLevelConstants(code: string, root: AnyNode): Map<string, string> {
  const constants = new Map<string, string>();
  for (const statement of root.body as AnyNode[]) {
    if (statement.type !== "VariableDeclaration") continue;
    for (const declarator of statement.declarations as AnyNode[]) {
      const init = declarator.init as AnyNode | null;
      if (init !== null && init.type === "Literal" && !(init.value instanceof RegExp)) constants.set(String((declarator.id as AnyNode).name), code.slice(init.start, init.end));
    }
  }
  const walk = (node: AnyNode): void => {
    const target = node.type === "AssignmentExpression" ? (node.left as AnyNode) : node.type === "UpdateExpression" ? (node.argument as AnyNode) : null;
    if (target !== null && target.type === "Identifier") constants.delete(String(target.name));
    for (const child of children(node)) walk(child);
  };
  walk(root);
  return constants;
}

/** The expression `fn` returns when its body is `return EXPR;` and EXPR is pure and reads only fn's parameters and `constants`; else null. */
export function returnedExpression(fn: AnyNode, constants: Map<string, string>): AnyNode | null {
  const body = (fn.body as AnyNode).body as AnyNode[];
  if (body.length !== 1 || body[0].type !== "ReturnStatement" || !body[0].argument) return null;
  const params = new Set((fn.params as AnyNode[]).map((p) => String(p.name)));
  const expression = body[0].argument as AnyNode;
  return isPure(expression, (name) => params.has(name) || constants.has(name)) ? expression : null;
}

/** `expression`'s text with each parameter replaced by its argument's text (`void 0` for one not passed) and each constant by its value. */
function substituted(code: string, fn: AnyNode, expression: AnyNode, args: AnyNode[], constants: Map<string, string>): string {
  const params = (fn.params as AnyNode[]).map((p) => String(p.name));
  const uses: AnyNode[] = [];
  const collect = (node: AnyNode, parent: AnyNode | null): void => {
    const propertyName = parent !== null && parent.type === "MemberExpression" && parent.property === node && !parent.computed;
    if (node.type === "Identifier" && !propertyName) uses.push(node);
    for (const child of children(node)) collect(child, node);
  };
  collect(expression, null);
  let text = "";
  let at = expression.start;
  for (const use of uses.sort((a, b) => a.start - b.start)) {
    const index = params.indexOf(String(use.name));
    const arg = args[index];
    const value = index < 0 ? constants.get(String(use.name))! : arg === undefined ? "void 0" : code.slice(arg.start, arg.end);
    text += code.slice(at, use.start) + "(" + value + ")";
    at = use.end;
  }
  return "(" + text + code.slice(at, expression.end) + ")";
}

/**
 * The edits that write `fn` (a function declaration) into every one of its `references` and
 * delete it, or null when one is not a call with pure arguments (at most one per parameter), or
 * when the code would grow by more than the declaration's length. `calls` maps a callee node to
 * its call.
 */
export function inlineEdits(code: string, fn: AnyNode, references: AnyNode[], calls: Map<AnyNode, AnyNode>, constants: Map<string, string>): Edit[] | null {
  const expression = returnedExpression(fn, constants);
  if (expression === null || references.length === 0) return null;
  const edits: Edit[] = [];
  let growth = -(fn.end - fn.start);
  for (const reference of references) {
    const call = calls.get(reference);
    if (call === undefined) return null;
    const args = call.arguments as AnyNode[];
    if (args.length > (fn.params as AnyNode[]).length || !args.every((arg) => isPure(arg, null))) return null;
    const text = substituted(code, fn, expression, args, constants);
    growth += text.length - (call.end - call.start);
    edits.push({ start: call.start, end: call.end, text });
  }
  if (growth > 0) return null;
  edits.push({ start: fn.start, end: fn.end, text: "" });
  return edits;
}

/** Every call in `root` by its callee node. */
export function callsByCallee(root: AnyNode): Map<AnyNode, AnyNode> {
  const calls = new Map<AnyNode, AnyNode>();
  const walk = (node: AnyNode): void => {
    if (node.type === "CallExpression") calls.set(node.callee as AnyNode, node);
    for (const child of children(node)) walk(child);
  };
  walk(root);
  return calls;
}

/**
 * `code` (a script, or a script that is one function called at once: a firmware) with the
 * functions declared at its top level that qualify (see the top of this file) written into
 * their calls.
 */
export function inlineHelpers(code: string): string {
  const program = parse(code, { ecmaVersion: 5, sourceType: "script", allowReturnOutsideFunction: true }) as unknown as AnyNode;
  let root = program;
  const body = program.body as AnyNode[];
  if (body.length === 1 && body[0].type === "ExpressionStatement") {
    let call = body[0].expression as AnyNode;
    if (call.type === "UnaryExpression") call = call.argument as AnyNode;
    if (call.type === "CallExpression" && (call.callee as AnyNode).type === "FunctionExpression") root = (call.callee as AnyNode).body as AnyNode;
  }
  const constants = topLevelConstants(code, root);
  const functions = new Map<string, AnyNode>();
  for (const statement of root.body as AnyNode[]) {
    if (statement.type === "FunctionDeclaration" && returnedExpression(statement, constants) !== null) functions.set(String((statement.id as AnyNode).name), statement);
  }
  if (functions.size === 0) return code;
  const references = scopeReferences(root, new Set(functions.keys()));
  const calls = callsByCallee(root);
  const edits: Edit[] = [];
  for (const [name, fn] of functions) {
    const found = inlineEdits(code, fn, references.filter((r) => r.name === name), calls, constants);
    if (found !== null) edits.push(...found);
  }
  return applyEdits(code, edits);
}
