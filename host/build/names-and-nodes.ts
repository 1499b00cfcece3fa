// Small pieces the on-device minifier's passes share (es5.ts, private-names.ts, shared-helpers.ts).
import type { Node } from "acorn";

/** An acorn node whose fields are read by name. */
export type AnyNode = Node & { [key: string]: unknown };

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
