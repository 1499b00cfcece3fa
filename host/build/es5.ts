// How every on-device bundle is minified: the library's (rollup.config.js) and every firmware's,
// the repository's apps and a user's alike (host/build/firmware-bundle.ts).
// Espruino cannot take `of`, `static` or `undefined` as identifiers (ESPRUINO.md); the mangler
// must never produce them. Espruino hoists nothing: a `var` does not exist until its statement
// runs, so a name used before it is the outer one. Minifying moves code around (branches
// swapped, one `var` kept for several loops, arguments of inlined functions made `var`s after
// the return). hoist_vars puts each function's vars in one statement at its top; inline: 1
// stops inlining functions with arguments, whose `var`s a late pass would add after hoisting.
// The build gates (host/rules/gates.ts) check every bundle for it. wrap_iife: Espruino's parser
// takes a `function` at the start of a for-initialiser for a declaration
// (`for(function(){}();;)` is a SyntaxError there); `(function(){})()` parses. reduce_funcs:
// false keeps a function called from one place a declaration: pasted into its caller it would be
// a function expression, a new closure (garbage) on every call of a hot path (found in kv).
// keep_fargs: false drops parameters a function never reads: Espruino keeps a JsVar for every
// parameter name of every function it has defined.
//
// Two passes of terser (minifyES5): the first without hoist_vars, so a module-level constant
// (`var HEAP_SIZE_MAX = 0xfffff8`) is still one assignment at its declaration and terser puts
// its value where it is used (with hoist_vars first, the declaration and the assignment are
// apart and terser no longer knows the value: every constant stayed a module-level variable,
// a JsVar on the device and a scope lookup on every use); the second with hoist_vars, for the
// rule above.
//
// The second pass also renames the library's private members (host/build/private-names.ts).
//
// Before terser, unwrapClasses flattens TypeScript's ES5 class pattern
// `var C = (function () { function C() {} C.prototype.m = ...; return C; }());` into the
// statements inside. On Espruino a function defined two scopes deep (module, then that IIFE)
// keeps a copy of the scope chain: an array and one entry per scope, 3 JsVars per method
// (measured on the real interpreter, 2v29), where a function one scope deep only points at it.
// First of all, inlineHelpers writes small helpers into their calls (inline-helpers.ts).
import { parse } from "acorn";
import { minify, type MinifyOptions } from "terser";
import type { Plugin } from "rollup";
import { inlineHelpers } from "./inline-helpers.js";
import { privateNameOptions } from "./private-names.js";
import { shareHelpers } from "./shared-helpers.js";
import { applyEdits, children, declaredNames, type AnyNode, type Edit } from "./names-and-nodes.js";

const reserved = ["of", "static", "undefined"];

export const terserOptions = {
  ecma: 5 as const,
  mangle: { reserved },
  compress: { passes: 2, hoist_vars: true, inline: 1 as const, reduce_funcs: false, keep_fargs: false },
  format: { comments: false, wrap_iife: true },
};

/** Names a function body declares for itself (vars and function declarations, not inside nested functions), and whether it uses `this` or `arguments` outside them. */
function ownScope(body: AnyNode[]): { names: Set<string>; usesThis: boolean } {
  let usesThis = false;
  const names = declaredNames(body, new Set<string>(), (node) => {
    if (node.type === "ThisExpression" || (node.type === "Identifier" && node.name === "arguments")) usesThis = true;
  });
  return { names, usesThis };
}

/** The statements of `var C = (function () { ...; return C; }())` without the return, or null when the declaration is not that pattern. */
function classBody(node: AnyNode): { name: string; body: AnyNode[] } | null {
  if (node.type !== "VariableDeclaration" || (node.declarations as AnyNode[]).length !== 1) return null;
  const declarator = (node.declarations as AnyNode[])[0];
  const id = declarator.id as AnyNode;
  const init = declarator.init as AnyNode | null;
  if (id.type !== "Identifier" || !init || init.type !== "CallExpression" || (init.arguments as AnyNode[]).length !== 0) return null;
  const callee = init.callee as AnyNode;
  if (callee.type !== "FunctionExpression" || (callee.params as AnyNode[]).length !== 0 || callee.id) return null;
  const body = (callee.body as AnyNode).body as AnyNode[];
  const first = body[0];
  const last = body[body.length - 1];
  if (body.length < 2 || first.type !== "FunctionDeclaration" || (first.id as AnyNode).name !== id.name) return null;
  if (last.type !== "ReturnStatement" || !last.argument || (last.argument as AnyNode).type !== "Identifier" || (last.argument as AnyNode).name !== id.name) return null;
  return { name: String(id.name), body: body.slice(0, -1) };
}

/**
 * The class's statements, its `C.prototype` written through one variable when it comes up
 * three times or more (`p.m = function ...` is 10 bytes less than `C.prototype.m = ...` for
 * every method once minified).
 */
function flatClass(code: string, name: string, body: AnyNode[], counts: Map<string, number>): string {
  const start = body[0].start;
  const uses: AnyNode[] = [];
  const find = (node: AnyNode): void => {
    if (node.type === "MemberExpression" && !node.computed && (node.object as AnyNode).type === "Identifier" && (node.object as AnyNode).name === name && (node.property as AnyNode).name === "prototype") {
      uses.push(node);
      return;
    }
    for (const child of children(node)) find(child);
  };
  for (const statement of body.slice(1)) find(statement);
  const alias = name + "_prototype";
  if (uses.length < 3 || counts.has(alias)) return code.slice(start, body[body.length - 1].end);
  let text = code.slice(start, body[0].end) + "\nvar " + alias + " = " + name + ".prototype;";
  let at = body[0].end;
  for (const use of uses) {
    text += code.slice(at, use.start) + alias;
    at = use.end;
  }
  return text + code.slice(at, body[body.length - 1].end);
}

/**
 * Flattens TypeScript's ES5 class IIFEs where that cannot change a name's meaning: the IIFE
 * declares no name but the class's own that appears anywhere else in the script, and does not
 * use `this` or `arguments` at its top level.
 */
export function unwrapClasses(code: string): string {
  const program = parse(code, { ecmaVersion: 5, sourceType: "script", allowReturnOutsideFunction: true }) as unknown as AnyNode;
  const counts = new Map<string, number>();
  const countNames = (node: AnyNode): void => {
    if (node.type === "Identifier") counts.set(String(node.name), (counts.get(String(node.name)) ?? 0) + 1);
    for (const child of children(node)) countNames(child);
  };
  countNames(program);
  const edits: Edit[] = [];
  const visit = (node: AnyNode): void => {
    const found = classBody(node);
    if (found) {
      const scope = ownScope(found.body);
      const inside = new Map<string, number>();
      const countInside = (n: AnyNode): void => {
        if (n.type === "Identifier") inside.set(String(n.name), (inside.get(String(n.name)) ?? 0) + 1);
        for (const child of children(n)) countInside(child);
      };
      countInside(node);
      const clash = [...scope.names].some((name) => name !== found.name && (counts.get(name) ?? 0) !== (inside.get(name) ?? 0));
      if (!clash && !scope.usesThis) {
        edits.push({ start: node.start, end: node.end, text: flatClass(code, found.name, found.body, counts) });
        return;
      }
    }
    for (const child of children(node)) visit(child);
  };
  visit(program);
  return applyEdits(code, edits);
}

/**
 * In a script that is one function called at once (a firmware: rollup's iife), a string written
 * at least `STRING_USES_MIN` times and `STRING_LENGTH_MIN` characters long (the error codes:
 * "InvalidArgument" comes 28 times in the logger) becomes one variable of that function. A few
 * hundred bytes less in flash for one JsVar and the string's in RAM. Not in modules, whose
 * JsVars after require are what is measured; not in comparisons (`typeof x == "number"` is
 * quicker with the text at hand).
 */
const STRING_USES_MIN = 4;
const STRING_LENGTH_MIN = 7;

export function hoistStrings(code: string): string {
  const program = parse(code, { ecmaVersion: 5, sourceType: "script" }) as unknown as AnyNode;
  const body = program.body as AnyNode[];
  if (body.length !== 1 || body[0].type !== "ExpressionStatement") return code;
  let call = body[0].expression as AnyNode;
  if (call.type === "UnaryExpression") call = call.argument as AnyNode;
  if (call.type !== "CallExpression" || (call.callee as AnyNode).type !== "FunctionExpression") return code;
  const fn = call.callee as AnyNode;
  const uses = new Map<string, AnyNode[]>();
  const names = new Set<string>();
  const walk = (node: AnyNode, parent: AnyNode | null): void => {
    if (node.type === "Identifier") names.add(String(node.name));
    if (node.type === "Literal" && typeof node.value === "string" && node.value.length >= STRING_LENGTH_MIN && parent !== null) {
      const key = parent.type === "Property" && parent.key === node;
      const compared = parent.type === "BinaryExpression" && /^[!=]==?$/.test(String(parent.operator));
      if (!key && !compared) uses.set(node.value, [...(uses.get(node.value) ?? []), node]);
    }
    for (const child of children(node)) walk(child, node);
  };
  walk(fn.body as AnyNode, null);
  const edits: Edit[] = [];
  const declarations: string[] = [];
  for (const [value, nodes] of [...uses].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (nodes.length < STRING_USES_MIN) continue;
    let name = "bootheap$s" + declarations.length;
    while (names.has(name)) name += "$";
    declarations.push(name + "=" + JSON.stringify(value));
    // Minified code writes `return"x"`: the name needs a space where the quote needed none.
    const word = /[\w$]/;
    for (const node of nodes) edits.push({ start: node.start, end: node.end, text: (word.test(code[node.start - 1] ?? "") ? " " : "") + name + (word.test(code[node.end] ?? "") ? " " : "") });
  }
  if (declarations.length === 0) return code;
  const first = ((fn.body as AnyNode).body as AnyNode[])[0];
  edits.push({ start: first.start, end: first.start, text: "var " + declarations.join(",") + ";" });
  return applyEdits(code, edits);
}

/**
 * Minifies ES5 for a board: classes unwrapped, then terser twice (see the top of this file).
 * `toplevel`: the script's own top-level names may be renamed and dropped (a CommonJS module).
 * `strings`: repeated strings become variables (hoistStrings; for a firmware).
 */
export async function minifyES5(code: string, toplevel: boolean, strings = false): Promise<string> {
  const unwrapped = unwrapClasses(inlineHelpers(code));
  const first: MinifyOptions = { ecma: 5, toplevel, mangle: false, compress: { ...terserOptions.compress, hoist_vars: false }, format: { comments: false, beautify: false } };
  const once = await minify(unwrapped, first);
  if (once.code === undefined) throw new Error("terser produced no code");
  if (strings) once.code = hoistStrings(once.code);
  // The library's private members get the short names of private-names.ts, the same in every bundle.
  const names = privateNameOptions();
  const twice = await minify(once.code, { ...terserOptions, toplevel, mangle: { reserved, properties: names.mangleProperties }, nameCache: names.nameCache });
  if (twice.code === undefined) throw new Error("terser produced no code");
  return twice.code;
}

/**
 * The rollup plugin that minifies every chunk with minifyES5. `share`: a module of
 * dist/espruino/modules, whose helpers are defined once per board (shared-helpers.ts; `debug` is
 * its build mode).
 */
export function es5Minifier(share?: { debug: boolean }): Plugin {
  return {
    name: "bootheap-es5-minify",
    async renderChunk(code, chunk, outputOptions) {
      const cjs = outputOptions.format === "cjs";
      const input = share && cjs ? shareHelpers(code, chunk.modules, share.debug) : code;
      return { code: await minifyES5(input, cjs), map: null };
    },
  };
}
