// The helpers every on-device module carries (errors, argument checks, byte copies, typed
// helpers, state decoders), evaluated once per board instead of once per module.
//
// Each module of dist/espruino/modules is built on its own and must work alone (require("pool")
// without "boot-heap"), so each still carries the helpers' text; on Espruino that text stays in
// flash and costs nothing until it runs. What costs RAM is a function once defined: about five
// JsVars and one per parameter. So a module defines a helper only if no module loaded before it
// did: the helpers live on one object on the global object (named with a hash of the helpers'
// sources and the build mode, so modules of different builds never mix), each written
// `H.k || (H.k = function (...) {...})`, and every use is `H.k(...)`. The first module loaded
// pays for the helpers it uses, the others only for the ones it adds.
//
// Done on a module's ES5 code before minifying (es5.ts): the top-level function declarations
// that rollup rendered from SHARED_FILES become those assignments, and every reference to them
// (resolved by scope: a local of the same name is left alone) a property of H.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { parse } from "acorn";
import ts from "typescript";
import { packagePath } from "../package-root.js";
import { callsByCallee, inlineEdits, topLevelConstants } from "./inline-helpers.js";
import { applyEdits, scopeReferences, shortName, type AnyNode, type Edit } from "./names-and-nodes.js";

/** Source files whose top-level functions are shared (paths from the package root). */
export const SHARED_FILES = [
  "src/heap/errors.ts",
  "src/heap/checks.ts",
  "src/heap/memory.ts",
  "src/heap/layout.ts",
  "src/allocators/typed.ts",
  "src/allocators/state.ts",
  "src/wrappers/common.ts",
];

/** Helpers that stay a module's own: on a hot path, a local is one lookup where H.k is two. */
const NOT_SHARED = new Set(["tlsfCheckBits", "tlsfLast", "poolStride"]);

interface Registry {
  /** "file:name" -> short key on the shared object. */
  keys: Map<string, string>;
  /** Hash of the shared files' text. */
  hash: string;
}

let registry: Registry | null = null;

/** Every top-level function of SHARED_FILES with its key: the same keys in every module. */
function sharedRegistry(): Registry {
  if (registry !== null) return registry;
  const hash = createHash("sha256");
  const ids: string[] = [];
  for (const file of SHARED_FILES) {
    const text = readFileSync(packagePath(file), "utf8");
    hash.update(file + "\0" + text + "\0");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
    for (const statement of source.statements) {
      if (ts.isFunctionDeclaration(statement) && statement.name && statement.body && !NOT_SHARED.has(statement.name.text)) ids.push(file + ":" + statement.name.text);
    }
  }
  ids.sort();
  registry = { keys: new Map(ids.map((id, i) => [id, shortName(i)])), hash: hash.digest("hex").slice(0, 8) };
  return registry;
}

/** A module's rendered code, as rollup gives it per module of a chunk. */
export interface RenderedModules {
  [id: string]: { code: string | null };
}

/**
 * `code` (a CommonJS chunk, ES5) with the functions rendered from SHARED_FILES defined once per
 * board on a shared object (see the top of this file). `debug`: the build mode, part of the
 * object's name.
 */
export function shareHelpers(code: string, modules: RenderedModules, debug: boolean): string {
  const { keys, hash } = sharedRegistry();
  const program = parse(code, { ecmaVersion: 5, sourceType: "script" }) as unknown as AnyNode;
  // Where each shared file's rendered code is in the chunk.
  const ranges: { file: string; start: number; end: number }[] = [];
  for (const [id, module] of Object.entries(modules)) {
    const file = relative(packagePath(), id).split("\\").join("/");
    if (!SHARED_FILES.includes(file) || !module.code) continue;
    const at = code.indexOf(module.code);
    if (at >= 0) ranges.push({ file, start: at, end: at + module.code.length });
  }
  // Top-level function declarations inside those ranges: rendered name -> key.
  const shared = new Map<string, { key: string; node: AnyNode }>();
  for (const statement of program.body as AnyNode[]) {
    if (statement.type !== "FunctionDeclaration") continue;
    const range = ranges.find((r) => statement.start >= r.start && statement.end <= r.end);
    if (!range) continue;
    const rendered = String((statement.id as AnyNode).name);
    const key = keys.get(range.file + ":" + rendered.replace(/\$\d+$/, ""));
    if (key !== undefined) shared.set(rendered, { key, node: statement });
  }
  if (shared.size === 0) return code;
  let holder = "bootheap$shared";
  while (code.includes(holder)) holder += "$";
  const references = scopeReferences(program, new Set(shared.keys()));
  const calls = callsByCallee(program);
  const constants = topLevelConstants(code, program);
  const edits: Edit[] = [];
  // A helper written into its calls (inline-helpers.ts) is not defined at all; a reference to
  // another helper inside one of those calls would be lost with the call's text, so none is.
  const inlined = new Set<string>();
  for (const [rendered, { node }] of shared) {
    const found = inlineEdits(code, node, references.filter((r) => r.name === rendered), calls, constants);
    if (found === null) continue;
    const spans = found.slice(0, -1);
    if (references.some((r) => r.name !== rendered && spans.some((c) => r.start >= c.start && r.end <= c.end))) continue;
    edits.push(...found);
    inlined.add(rendered);
  }
  for (const [rendered, { key, node }] of shared) {
    if (inlined.has(rendered)) continue;
    // `function f(a, b) {...}` -> `H.k || (H.k = function (a, b) {...});`
    const paramsStart = code.indexOf("(", (node.id as AnyNode).end);
    edits.push({ start: node.start, end: paramsStart, text: holder + "." + key + " || (" + holder + "." + key + " = function " });
    edits.push({ start: node.end, end: node.end, text: ");" });
  }
  for (const ref of references) {
    if (!inlined.has(String(ref.name))) edits.push({ start: ref.start, end: ref.end, text: holder + "." + shared.get(String(ref.name))!.key });
  }
  const out = applyEdits(code, edits);
  if (inlined.size === shared.size) return out;
  const name = "bh" + hash.slice(0, 5) + (debug ? "d" : "r");
  // Espruino and Node have `global`; elsewhere a module function called without a `this` sees the global object.
  const prelude = "var " + holder + " = (function (g) { return g." + name + " || (g." + name + " = {}); })(typeof global === \"object\" ? global : this);\n";
  return prelude + out;
}
