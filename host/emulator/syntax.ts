// Parses code as Espruino would see it, rejects the syntax the real interpreter rejects, and
// rewrites the accepted code so that V8 behaves like Espruino where the two differ:
//  - function declarations are not hoisted (they become assignments at their position),
//  - every loop body polls the interrupt flag (Ctrl-C, out of memory), since V8 cannot be
//    stopped from outside while it spins,
//  - every catch re-throws the emulator's interrupt, which the device's try/catch cannot catch.
import { parse, type Node } from "acorn";

/** Global names the rewritten code uses; the context defines them, non-enumerable. */
export const HOOK_FLAGS = "__bhF";
export const HOOK_TICK = "__bhT";
/** Counts loop iterations down to the memory model's next look (memory/board-memory.ts). */
export const HOOK_LOOP_COUNTER = "__bhN";
/** What the rewritten loops run at the top of each iteration: Ctrl-C, and now and then a memory count. */
export const LOOP_TICK = `if(${HOOK_FLAGS}[0]|!--${HOOK_LOOP_COUNTER}[0])${HOOK_TICK}();`;
export const HOOK_CATCH = "__bhC";
export const HOOK_STORE = "__bhW";
export const HOOK_LENGTH = "__bhL";
export const HOOK_DELETE = "__bhD";
export const HOOK_REDECLARE = "__bhR";
/** Mark the `let` loop rewrite (shareLoopVariable) so function-text.ts can undo it. */
export const LOOP_LET_OPEN = "/*__bhO*/";
export const LOOP_LET_KEYWORD = "/*__bhK*/";
export const LOOP_LET_CLOSE = "/*__bhZ*/";
/** The binding given to a `catch {` without one. */
export const CATCH_BINDING = "__bhE";
/** Marks the braces added around a loop body that had none, so they can be taken out again. */
export const ADDED_BRACE_MARK = "/*__bhB*/";

export class EspruinoSyntaxError extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(`${message} at line ${line} col ${column}`);
  }
}

export interface PreparedCode {
  /** The code to run in V8. */
  code: string;
  /** Characters of function source the device keeps in JsVars after running the code. */
  retainedSourceChars: number;
  /** Functions and classes the code defines outside any other function. */
  retainedFunctionCount: number;
  /**
   * The device runs statement by statement as it parses: code before a statement it cannot parse
   * runs, then the SyntaxError is thrown. Set when `code` is that leading part of the source.
   */
  deferredError?: EspruinoSyntaxError;
}

type AnyNode = Node & Record<string, unknown> & { loc?: { start: { line: number; column: number } } };

interface Edit {
  pos: number;
  /** End of the replaced source; equal to pos for an insertion. */
  end: number;
  text: string;
  /** At one position: closing text of deeper nodes first, then opening text of outer ones. */
  rank: number;
}

const open = (pos: number, depth: number, text: string): Edit => ({ pos, end: pos, text, rank: 2e6 + depth });
const close = (pos: number, depth: number, text: string): Edit => ({ pos, end: pos, text, rank: 1e6 - depth });
const replace = (pos: number, end: number, text: string): Edit => ({ pos, end, text, rank: 1.5e6 });

const LOOPS = new Set(["WhileStatement", "DoWhileStatement", "ForStatement", "ForInStatement", "ForOfStatement"]);
const FUNCTIONS = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);
const FORBIDDEN_NAMES = new Set(["of", "static"]);
/** `undefined` can be read on the device, but not declared or assigned. */
const BINDING_PARENTS: Record<string, string[]> = {
  VariableDeclarator: ["id"],
  FunctionDeclaration: ["id", "params"],
  FunctionExpression: ["id", "params"],
  ArrowFunctionExpression: ["params"],
  ClassDeclaration: ["id"],
  CatchClause: ["param"],
  AssignmentExpression: ["left"],
  UpdateExpression: ["argument"],
};

/** Line of the source's first line in its file (the espruino tool sends ESC [ n d marks). */
let lineOffset = 0;

function reject(node: AnyNode, message: string): never {
  const loc = node.loc!.start;
  throw new EspruinoSyntaxError(message, loc.line + lineOffset, loc.column + 1);
}

function children(node: AnyNode): Array<[string, AnyNode]> {
  const out: Array<[string, AnyNode]> = [];
  for (const key of Object.keys(node)) {
    if (key === "loc" || key === "type") continue;
    const v = node[key];
    if (Array.isArray(v)) {
      for (const c of v) if (c && typeof c === "object" && typeof (c as AnyNode).type === "string") out.push([key, c as AnyNode]);
    } else if (v && typeof v === "object" && typeof (v as AnyNode).type === "string") {
      out.push([key, v as AnyNode]);
    }
  }
  return out;
}

/** The syntax Espruino 2v29 rejects (tested on the interpreter; see ESPRUINO.md). */
function checkNode(node: AnyNode, parent: AnyNode | null, key: string): void {
  switch (node.type) {
    case "AssignmentPattern":
      reject(node, "Got '=' expected ',' (default parameters are not supported)");
    case "ObjectPattern":
    case "ArrayPattern":
      reject(node, "Got '" + (node.type === "ObjectPattern" ? "{" : "[") + "' expected ID (destructuring is not supported)");
    case "SpreadElement":
    case "RestElement":
      reject(node, "Got '.' expected EOF (spread and rest are not supported)");
    case "ChainExpression":
      reject(node, "Got '?.' expected EOF (optional chaining is not supported)");
    case "TaggedTemplateExpression":
      reject(node, "Got TEMPLATE expected EOF (tagged templates are not supported)");
    case "LabeledStatement":
      reject(node, "Got ':' expected EOF (labels are not supported)");
    case "AwaitExpression":
      reject(node, "Got ID:await expected EOF (async/await is not supported)");
    case "YieldExpression":
      reject(node, "Got ID:yield expected EOF (generators are not supported)");
    // Class fields are accepted by 2v29; private names and static blocks are not.
    case "StaticBlock":
      reject(node, "Got '{' expected ID (static blocks are not supported)");
    case "PrivateIdentifier":
      reject(node, "Got '#' expected '}' (private class members are not supported)");
    case "NewExpression": {
      // The device refuses `new` right after `new` (`new new A().b()`); parenthesised is fine.
      const callee = node.callee as AnyNode;
      let inner = callee;
      while (inner.type === "MemberExpression" || inner.type === "CallExpression") inner = (inner.object ?? inner.callee) as AnyNode;
      if (inner.type === "NewExpression" && inner.start === callee.start) reject(node, "Nesting 'new' operators is unsupported");
      break;
    }
    case "ImportExpression":
    case "MetaProperty":
      reject(node, `Got '.' expected EOF (${node.type} is not supported)`);
    case "BinaryExpression":
    case "AssignmentExpression":
      if (node.operator === "**" || node.operator === "**=") reject(node, "Got '**' expected EOF (exponent operator is not supported)");
      break;
    case "Property":
    case "MethodDefinition":
      if (node.computed) reject(node, "Got '[' expected ID (computed keys are not supported)");
      break;
    case "Literal":
      if (typeof node.bigint === "string") reject(node, "Got ID expected EOF (BigInt literals are not supported)");
      break;
    case "Identifier": {
      const name = node.name as string;
      const isPropertyName =
        parent !== null &&
        ((parent.type === "MemberExpression" && key === "property" && !parent.computed) ||
          ((parent.type === "Property" || parent.type === "MethodDefinition") && key === "key" && !parent.computed));
      if (FORBIDDEN_NAMES.has(name) && !isPropertyName) reject(node, `Got ID:${name} (${name} cannot be used as an identifier)`);
      if (name === "undefined" && parent && BINDING_PARENTS[parent.type]?.includes(key)) {
        reject(node, "Got ID:undefined (undefined cannot be declared or assigned)");
      }
      break;
    }
  }
  if (FUNCTIONS.has(node.type)) {
    if (node.async) reject(node, "Got ID:async expected EOF (async functions are not supported)");
    if (node.generator) reject(node, "Got '*' expected '(' (generators are not supported)");
  }
}

/**
 * `o[k] = v` becomes `__bhW(o, k, v)` (same evaluation order), which throws for a negative
 * index on a typed array as the device does; V8 would silently ignore the store.
 */
function storeEdits(source: string, node: AnyNode, depth: number): Edit[] {
  const left = node.left as AnyNode;
  const object = left.object as AnyNode;
  const property = left.property as AnyNode;
  const right = node.right as AnyNode;
  const bracket = object.end + source.slice(object.end, property.start).lastIndexOf("[");
  const between = source.slice(property.end, right.start);
  const closing = property.end + between.indexOf("]");
  const equals = closing + source.slice(closing, right.start).indexOf("=");
  return [
    open(node.start, depth, `${HOOK_STORE}(`),
    replace(bracket, bracket + 1, ","),
    replace(closing, equals + 1, ","),
    close(node.end, depth, ")"),
  ];
}

/**
 * `delete o.p` becomes `__bhD(o, "p", 0)` and `delete o[k]` `__bhD(o, k, 1)` (the last argument
 * says which, for function-text.ts): on the device deleting a property the object does not have
 * returns false, where V8 returns true. `delete (o.p)` (parenthesised) is left as it is.
 */
function deleteEdits(source: string, node: AnyNode, depth: number): Edit[] {
  const target = node.argument as AnyNode;
  const object = target.object as AnyNode;
  const property = target.property as AnyNode;
  if (source.slice(node.start, target.start).includes("(")) return [];
  const head = replace(node.start, target.start, `${HOOK_DELETE}(`);
  if (!target.computed) {
    const dot = object.end + source.slice(object.end, property.start).lastIndexOf(".");
    return [head, replace(dot, property.end, `,${JSON.stringify(property.name)},0`), close(node.end, depth, ")")];
  }
  const bracket = object.end + source.slice(object.end, property.start).lastIndexOf("[");
  const closing = property.end + source.slice(property.end, target.end).lastIndexOf("]");
  return [head, replace(bracket, bracket + 1, ","), replace(closing, closing + 1, ",1"), close(node.end, depth, ")")];
}

/** Names a function body declares other than through function declarations. */
function scopeNames(fn: AnyNode): Set<string> {
  const names = new Set<string>();
  for (const p of (fn.params as AnyNode[]) ?? []) if (p.type === "Identifier") names.add(p.name as string);
  const opensOwnScope = (n: AnyNode): boolean => FUNCTIONS.has(n.type) || n.type === "ClassDeclaration" || n.type === "ClassExpression";
  const visit = (node: AnyNode, top: boolean): void => {
    if (node.type === "VariableDeclaration" && (node.kind === "var" || top)) {
      for (const d of node.declarations as AnyNode[]) if ((d.id as AnyNode).type === "Identifier") names.add((d.id as AnyNode).name as string);
    }
    if (node.type === "ClassDeclaration" && top && node.id) names.add((node.id as AnyNode).name as string);
    if (opensOwnScope(node)) return;
    for (const [, c] of children(node)) visit(c, false);
  };
  const body = fn.body as AnyNode;
  if (body.type === "BlockStatement" || body.type === "Program") for (const s of body.body as AnyNode[]) visit(s, true);
  return names;
}

/** How many line ends before a parse error are tried as the end of the code that runs first. */
const PREFIX_TRIES = 50;

/** The longest run of whole lines before `errorPos` that parses and holds a statement, or null. */
function runnablePrefix(source: string, errorPos: number): string | null {
  let cut = source.lastIndexOf("\n", errorPos);
  for (let tries = 0; cut > 0 && tries < PREFIX_TRIES; tries++, cut = source.lastIndexOf("\n", cut - 1)) {
    const prefix = source.slice(0, cut);
    try {
      const program = parse(prefix, { ecmaVersion: "latest", sourceType: "script" }) as unknown as { body: unknown[] };
      return program.body.length > 0 ? prefix : null;
    } catch {
      // not a statement boundary; try the line end before
    }
  }
  return null;
}

/**
 * Checks `source` against Espruino's grammar and returns the code to run.
 * Throws EspruinoSyntaxError naming line (counted from `firstLine`) and column for what the
 * device rejects.
 */
export function prepareCode(source: string, firstLine = 1): PreparedCode {
  lineOffset = firstLine - 1;
  let program: AnyNode;
  try {
    program = parse(source, { ecmaVersion: "latest", sourceType: "script", locations: true, allowReturnOutsideFunction: false }) as unknown as AnyNode;
  } catch (e) {
    const err = e as Error & { loc?: { line: number; column: number }; pos?: number };
    const line = (err.loc?.line ?? 1) + lineOffset;
    const column = (err.loc?.column ?? 0) + 1;
    const syntaxError = new EspruinoSyntaxError(err.message.replace(/\s*\(\d+:\d+\)$/, ""), line, column);
    const prefix = runnablePrefix(source, err.pos ?? 0);
    if (prefix === null) throw syntaxError;
    return { ...prepareCode(prefix, firstLine), deferredError: syntaxError };
  }
  const edits: Edit[] = [];
  let retainedSourceChars = 0;
  let retainedFunctionCount = 0;
  // On the device a `let` loop variable is one variable for all iterations (closures see the
  // last value) that does not exist after the loop: `for (let i = 0; …) body` becomes
  // `{let i;for ( i = 0; …) body}`, one binding in a block of its own around the loop.
  const shareLoopVariable = (loop: AnyNode, decl: AnyNode, depth: number): void => {
    if (decl.type !== "VariableDeclaration" || decl.kind !== "let") return;
    const names = (decl.declarations as AnyNode[]).map((d) => (d.id as AnyNode).name as string);
    edits.push(
      open(loop.start, depth, `{let ${names.join(",")};${LOOP_LET_OPEN}`),
      replace(decl.start, decl.start + 3, LOOP_LET_KEYWORD),
      close(loop.end, depth, `${LOOP_LET_CLOSE}}`),
    );
  };
  // Function scopes we are inside, with the names already bound by a `let` rewrite in each.
  const scopes: Array<{ node: AnyNode; names: Set<string>; declared: Set<string> }> = [];

  const rewriteDeclaration = (node: AnyNode, parent: AnyNode, grandParent: AnyNode | null, depth: number): void => {
    const name = (node.id as AnyNode).name as string;
    const fnBody = parent.type === "Program" || (parent.type === "BlockStatement" && grandParent !== null && FUNCTIONS.has(grandParent.type));
    let prefix: string;
    let suffix = ";";
    if (parent.type === "Program") {
      // A global, as on the device; `this` is the global object at script top level,
      // which also keeps "use strict" code working. Declaring it again gives the existing
      // function the new code (__bhR), so timers and handlers holding it run the new one.
      prefix = `this.${name}=${HOOK_REDECLARE}(this.${name},`;
      suffix = ");";
    } else if (fnBody) {
      const scope = scopes[scopes.length - 1];
      // `let` makes an early call a ReferenceError (TDZ), like the device; when the name
      // is bound otherwise too, `let` would be a redeclaration, so assign instead.
      if (scope.names.has(name) || scope.declared.has(name)) prefix = `${name}=`;
      else {
        prefix = `let ${name}=`;
        scope.declared.add(name);
      }
    } else if (parent.type === "BlockStatement" || parent.type === "SwitchCase") {
      prefix = `var ${name}=`;
    } else {
      return;
    }
    edits.push(open(node.start, depth, prefix), close(node.end, depth, suffix));
  };

  const visit = (node: AnyNode, parent: AnyNode | null, key: string, grandParent: AnyNode | null, inFunction: boolean, depth: number): void => {
    checkNode(node, parent, key);
    // The device's parser reads `function` at the start of a for-initialiser as a declaration.
    if (node.type === "ForStatement" && node.init && source.startsWith("function", (node.init as AnyNode).start)) {
      reject(node.init as AnyNode, "Got '(' expected ID (a for-initialiser cannot start with function)");
    }
    const isFunction = FUNCTIONS.has(node.type);
    if ((isFunction || node.type === "ClassDeclaration" || node.type === "ClassExpression") && !inFunction) {
      retainedSourceChars += node.end - node.start;
      retainedFunctionCount++;
    }
    if (node.type === "FunctionDeclaration" && parent) rewriteDeclaration(node, parent, grandParent, depth);
    if (node.type === "ForStatement" && node.init) shareLoopVariable(node, node.init as AnyNode, depth);
    if (node.type === "ForInStatement" || node.type === "ForOfStatement") shareLoopVariable(node, node.left as AnyNode, depth);
    if (LOOPS.has(node.type)) {
      const body = node.body as AnyNode;
      const tick = LOOP_TICK;
      if (body.type === "BlockStatement") edits.push(open(body.start + 1, depth, tick));
      else edits.push(open(body.start, depth, "{" + ADDED_BRACE_MARK + tick), close(body.end, depth, ADDED_BRACE_MARK + "}"));
    }
    if (node.type === "CatchClause") {
      // `catch {` (no binding, accepted by 2v29) gets one, so the interrupt can be re-thrown.
      const param = node.param as AnyNode | null;
      if (!param) edits.push(open((node.body as AnyNode).start, depth, `(${CATCH_BINDING})`));
      edits.push(open((node.body as AnyNode).start + 1, depth, `${HOOK_CATCH}(${param ? (param.name as string) : CATCH_BINDING});`));
    }
    const target = node.left as AnyNode | undefined;
    if (node.type === "AssignmentExpression" && node.operator === "=" && target?.type === "MemberExpression" && target.computed && (target.object as AnyNode).type !== "Super") {
      edits.push(...storeEdits(source, node, depth));
    }
    const deleted = node.argument as AnyNode | undefined;
    if (node.type === "UnaryExpression" && node.operator === "delete" && deleted?.type === "MemberExpression" && !deleted.optional && (deleted.object as AnyNode).type !== "Super") {
      edits.push(...deleteEdits(source, node, depth));
    }
    // `a.length = n`, `a.length--`: the device refuses to change an array's length
    // ("Assignment to a constant"); `__bhL(a)` throws that for an array and returns `a` otherwise.
    const written = (node.type === "UpdateExpression" ? node.argument : node.type === "AssignmentExpression" ? node.left : null) as AnyNode | null;
    if (written?.type === "MemberExpression" && !written.computed && (written.property as AnyNode).name === "length" && (written.object as AnyNode).type !== "Super") {
      const object = written.object as AnyNode;
      edits.push(open(object.start, depth, `${HOOK_LENGTH}(`), close(object.end, depth, ")"));
    }
    const opensScope = isFunction && (node.body as AnyNode).type === "BlockStatement";
    if (opensScope) scopes.push({ node, names: scopeNames(node), declared: new Set() });
    for (const [k, c] of children(node)) visit(c, node, k, parent, inFunction || isFunction || node.type.startsWith("Class"), depth + 1);
    if (opensScope) scopes.pop();
  };
  visit(program, null, "", null, false, 0);

  edits.sort((a, b) => a.pos - b.pos || a.rank - b.rank);
  let code = "";
  let at = 0;
  for (const e of edits) {
    code += source.slice(at, e.pos) + e.text;
    at = e.end;
  }
  code += source.slice(at);
  return { code, retainedSourceChars, retainedFunctionCount };
}
