// Build gates: what every bundle that may run on a board must satisfy (ESPRUINO.md).
// Parsed as ECMAScript 5, so any later syntax is a parse error here rather than on the device.
import { parse, type Node } from "acorn";
import { FORBIDDEN_IDENTIFIERS, MISSING_GLOBALS, MISSING_METHODS, MISSING_STATICS } from "./espruino-rules.js";

export interface Violation {
  rule: "syntax" | "identifier" | "built-in" | "hoisting";
  message: string;
  /** Character offset in the source. */
  position: number;
}

type AnyNode = Node & { [key: string]: unknown };

const forbidden = new Set(FORBIDDEN_IDENTIFIERS);
const missingGlobals = new Set(MISSING_GLOBALS);
const missingStatics = new Set(MISSING_STATICS);
const missingMethods = new Set(MISSING_METHODS);

export function checkBundle(source: string): Violation[] {
  let program: AnyNode;
  try {
    program = parse(source, { ecmaVersion: 5, sourceType: "script" }) as unknown as AnyNode;
  } catch (e) {
    const error = e as { message: string; pos?: number };
    return [{ rule: "syntax", message: "not ECMAScript 5: " + error.message, position: error.pos ?? 0 }];
  }
  const violations: Violation[] = [];
  visit(program, null, violations);
  checkForInitialisers(program, source, violations);
  checkHoisting(program, violations);
  return violations;
}

function children(node: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const key of Object.keys(node)) {
    if (key === "type" || key === "start" || key === "end") continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item === "object" && typeof (item as AnyNode).type === "string") out.push(item as AnyNode);
    } else if (value && typeof value === "object" && typeof (value as AnyNode).type === "string") {
      out.push(value as AnyNode);
    }
  }
  return out;
}

function declaredNames(node: AnyNode): AnyNode[] {
  switch (node.type) {
    case "VariableDeclarator":
      return [node.id as AnyNode];
    case "FunctionDeclaration":
    case "FunctionExpression":
      return (node.id ? [node.id as AnyNode] : []).concat(node.params as AnyNode[]);
    case "CatchClause":
      return [node.param as AnyNode];
    default:
      return [];
  }
}

function visit(node: AnyNode, parent: AnyNode | null, out: Violation[]): void {
  for (const id of declaredNames(node)) {
    if (id.type === "Identifier" && forbidden.has(id.name as string)) {
      out.push({ rule: "identifier", message: "declares `" + String(id.name) + "`, which Espruino cannot take as a name", position: id.start });
    }
  }
  if (node.type === "Identifier" && missingGlobals.has(node.name as string) && !isPropertyName(node, parent)) {
    out.push({ rule: "built-in", message: "uses `" + String(node.name) + "`, missing on Espruino", position: node.start });
  }
  if (node.type === "MemberExpression" && !node.computed) {
    const object = node.object as AnyNode;
    const property = (node.property as AnyNode).name as string;
    if (object.type === "Identifier" && missingStatics.has(String(object.name) + "." + property)) {
      out.push({ rule: "built-in", message: "uses `" + String(object.name) + "." + property + "`, missing on Espruino", position: node.start });
    } else if (missingMethods.has(property)) {
      out.push({ rule: "built-in", message: "uses `." + property + "`, missing on Espruino", position: node.start });
    }
  }
  const written = (node.type === "UpdateExpression" ? node.argument : node.type === "AssignmentExpression" ? node.left : null) as AnyNode | null;
  if (written && written.type === "MemberExpression" && !written.computed && (written.property as AnyNode).name === "length") {
    out.push({ rule: "built-in", message: "writes `.length`, which Espruino refuses on arrays (Assignment to a constant)", position: node.start });
  }
  for (const child of children(node)) visit(child, node, out);
}

/** Espruino's parser reads `function` at the start of a for-initialiser as a declaration and fails. */
function checkForInitialisers(node: AnyNode, source: string, out: Violation[]): void {
  const init = node.type === "ForStatement" ? (node.init as AnyNode | null) : null;
  if (init && source.startsWith("function", init.start)) {
    out.push({ rule: "syntax", message: "a for-initialiser starts with `function`, which Espruino cannot parse (wrap the function in parentheses)", position: init.start });
  }
  for (const child of children(node)) checkForInitialisers(child, source, out);
}

function isPropertyName(node: AnyNode, parent: AnyNode | null): boolean {
  if (parent === null) return false;
  if (parent.type === "MemberExpression" && parent.property === node && !parent.computed) return true;
  if (parent.type === "Property" && parent.key === node && !parent.computed) return true;
  return false;
}

/**
 * Espruino does not hoist: a function declared later in the same body cannot be called (or
 * even referenced, as down-levelled `extends` does) by statements that run before it, and a
 * `var` does not exist until its statement runs, so a name used before it (a minifier may put
 * `var x` after a `return`) means the outer `x`. References inside nested functions run later
 * and are fine.
 */
function checkHoisting(node: AnyNode, out: Violation[]): void {
  const body = bodyOf(node);
  if (body) {
    // Where each name is first declared in this function, in source order: the statements
    // before that point (or an earlier part of a loop body, on its first pass) see the outer name.
    const declaredAt = new Map<string, { start: number; what: string }>();
    for (const statement of body) {
      if (statement.type === "FunctionDeclaration") declaredAt.set(String((statement.id as AnyNode).name), { start: statement.start, what: "function" });
    }
    for (const statement of body) {
      for (const id of varIds(statement)) {
        const name = String(id.name);
        if (!declaredAt.has(name)) declaredAt.set(name, { start: id.start, what: "var" });
      }
    }
    const params = new Set(((node.params as AnyNode[] | undefined) ?? []).map((p) => String(p.name)));
    for (const statement of body) {
      for (const ref of referencesOutsideFunctions(statement)) {
        const at = declaredAt.get(String(ref.name));
        if (at !== undefined && ref.start < at.start && !params.has(String(ref.name))) {
          out.push({ rule: "hoisting", message: "uses " + at.what + " `" + String(ref.name) + "` before its declaration runs (Espruino does not hoist)", position: ref.start });
        }
      }
    }
  }
  for (const child of children(node)) checkHoisting(child, out);
}

/** The identifiers a statement declares with `var`, outside nested functions. */
function varIds(statement: AnyNode): AnyNode[] {
  const ids: AnyNode[] = [];
  const walk = (node: AnyNode): void => {
    if (node.type === "FunctionDeclaration" || node.type === "FunctionExpression") return;
    if (node.type === "VariableDeclarator" && (node.id as AnyNode).type === "Identifier") ids.push(node.id as AnyNode);
    for (const child of children(node)) walk(child);
  };
  walk(statement);
  return ids;
}

function bodyOf(node: AnyNode): AnyNode[] | null {
  if (node.type === "Program") return node.body as AnyNode[];
  if ((node.type === "FunctionDeclaration" || node.type === "FunctionExpression") && (node.body as AnyNode).type === "BlockStatement") {
    return (node.body as AnyNode).body as AnyNode[];
  }
  return null;
}

function referencesOutsideFunctions(statement: AnyNode): AnyNode[] {
  const refs: AnyNode[] = [];
  const walk = (node: AnyNode, parent: AnyNode | null): void => {
    if (node.type === "FunctionDeclaration" || node.type === "FunctionExpression") return;
    if (node.type === "Identifier" && !isPropertyName(node, parent)) refs.push(node);
    for (const child of children(node)) walk(child, node);
  };
  walk(statement, null);
  return refs;
}
