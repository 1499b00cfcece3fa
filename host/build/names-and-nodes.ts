// Small pieces the on-device minifier's passes share (es5.ts, private-names.ts, shared-helpers.ts,
// inline-helpers.ts).
import type { Node } from "acorn";

/** An acorn node whose fields are read by name. */
export type AnyNode = Node & { [key: string]: unknown };

/** Text `text` in place of `code`'s characters from `start` to `end`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** `code` with non-overlapping `edits` made (an insertion and a replacement at one place: the insertion first). */
export function applyEdits(code: string, edits: Edit[]): string {
  let out = code;
  for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/** The nodes directly below `node`. */
export function children(node: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item === "object" && typeof (item as AnyNode).type === "string") out.push(item as AnyNode);
    } else if (value && typeof value === "object" && typeof (value as AnyNode).type === "string") out.push(value as AnyNode);
  }
  return out;
}

/**
 * Adds to `names` what `nodes` declare for their function's scope (vars and function declarations,
 * not inside nested functions); `visit` sees every node walked.
 */
export function declaredNames(nodes: AnyNode[], names: Set<string>, visit?: (node: AnyNode) => void): Set<string> {
  const walk = (node: AnyNode): void => {
    if (node.type === "FunctionDeclaration") {
      names.add(String((node.id as AnyNode).name));
      return;
    }
    if (node.type === "FunctionExpression") return;
    if (node.type === "VariableDeclarator" && (node.id as AnyNode).type === "Identifier") names.add(String((node.id as AnyNode).name));
    visit?.(node);
    for (const child of children(node)) walk(child);
  };
  for (const node of nodes) walk(node);
  return names;
}

/** The n-th short name: a..z, A..Z, then aa, ab ... */
export function shortName(n: number): string {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let s = "";
  do {
    s = letters[n % letters.length] + s;
    n = Math.floor(n / letters.length) - 1;
  } while (n >= 0);
  return s;
}

/** Identifiers that reference a binding (not property names, not declarations). */
function isReference(node: AnyNode, parent: AnyNode | null): boolean {
  if (parent === null) return true;
  if (parent.type === "MemberExpression" && parent.property === node && !parent.computed) return false;
  if (parent.type === "Property" && parent.key === node && !parent.computed) return false;
  if ((parent.type === "FunctionDeclaration" || parent.type === "FunctionExpression") && (parent.id === node || (parent.params as AnyNode[]).includes(node))) return false;
  if (parent.type === "VariableDeclarator" && parent.id === node) return false;
  if (parent.type === "CatchClause" && parent.param === node) return false;
  if ((parent.type === "LabeledStatement" || parent.type === "BreakStatement" || parent.type === "ContinueStatement") && parent.label === node) return false;
  return true;
}

/** Names a function declares for its body: parameters, vars, inner function declarations, its own name if an expression, `arguments`. */
function functionScope(fn: AnyNode): Set<string> {
  const names = new Set<string>(["arguments"]);
  for (const p of fn.params as AnyNode[]) names.add(String(p.name));
  if (fn.type === "FunctionExpression" && fn.id) names.add(String((fn.id as AnyNode).name));
  return declaredNames([fn.body as AnyNode], names);
}

/**
 * Every identifier in `root` (a program, or the body of the function that declares `names`) that
 * refers to one of `names` there: a nested function or catch clause declaring the name hides it.
 */
export function scopeReferences(root: AnyNode, names: Set<string>): AnyNode[] {
  const out: AnyNode[] = [];
  const walk = (node: AnyNode, parent: AnyNode | null, shadowed: Set<string>): void => {
    if (node.type === "Identifier") {
      if (names.has(String(node.name)) && !shadowed.has(String(node.name)) && isReference(node, parent)) out.push(node);
      return;
    }
    let inner = shadowed;
    if (node.type === "FunctionDeclaration" || node.type === "FunctionExpression") {
      inner = new Set(shadowed);
      for (const name of functionScope(node)) if (names.has(name)) inner.add(name);
    } else if (node.type === "CatchClause" && node.param && names.has(String((node.param as AnyNode).name))) {
      inner = new Set(shadowed);
      inner.add(String((node.param as AnyNode).name));
    }
    for (const child of children(node)) walk(child, node, inner);
  };
  walk(root, null, new Set());
  return out;
}
