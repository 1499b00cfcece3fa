// Short names for the library's private members in every on-device bundle. Espruino looks a
// property up by walking the object's properties and comparing text, and keeps the name in RAM
// on every instance (a name longer than a JsVar's inline text costs a second block): `this.stateWord`
// as `this.$a` is a few bytes less in flash on every use, a quicker lookup, and a JsVar less per
// instance for a long name.
//
// Separately built modules (dist/espruino/modules/*.min.js) are require'd together and reach
// into each other's objects (a wrapper over a pool), so every bundle must use the same names:
// the map is computed once from the library's sources (src/, firmware/, plan/: what the package
// ships), sorted, and handed to terser as a fixed name cache.
//
// A name is renamed only when nothing can reach it by that name from outside: it is declared
// `private` in some class, and nowhere declared public (a public or protected class member, an
// interface or type member, an object literal's key), never written as a string (a dynamic access,
// a name the host tools send over the console), and not a property of a built-in (terser keeps
// those anyway).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { packagePath } from "../package-root.js";
import { shortName } from "./names-and-nodes.js";

/**
 * Source folders whose private members are renamed: what the package ships (not firmware/apps),
 * so a user's build from the installed package makes the same map. Folders whose strings may
 * name a member (host tools send expressions to the board): the tool's sources in the
 * repository, its compiled copy in a package.
 */
const SOURCE_DIRS = ["src", "firmware", "plan"];
const SKIPPED_DIRS = ["apps", "node_modules"];
const STRING_DIRS = ["host", join("dist", "tool", "host")];

/** Espruino's own property names (every object inherits on/emit) and names the mangler must never produce. */
const ESPRUINO_NAMES = ["on", "emit", "removeListener", "removeAllListeners", "prependListener", "of", "static", "undefined"];

function tsFiles(dir: string, js = false): string[] {
  let out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (SKIPPED_DIRS.includes(name) || name.startsWith(".")) continue;
    if (statSync(path).isDirectory()) out = out.concat(tsFiles(path, js));
    else if ((name.endsWith(".ts") && !name.endsWith(".d.ts")) || (js && name.endsWith(".js"))) out.push(path);
  }
  return out.sort();
}

function memberName(name: ts.PropertyName | ts.BindingName | undefined): string | null {
  if (!name) return null;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return null;
}

function isPrivate(node: ts.Node): boolean {
  return (ts.canHaveModifiers(node) ? ts.getModifiers(node) ?? [] : []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword);
}

interface Names {
  privates: Set<string>;
  publics: Set<string>;
  strings: Set<string>;
}

function scan(file: string, names: Names, stringsOnly: boolean): void {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node)) {
      for (const word of node.text.match(/[A-Za-z_$][\w$]*/g) ?? []) names.strings.add(word);
    }
    if (!stringsOnly) {
      if (ts.isPropertyDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) {
        const name = memberName(node.name);
        if (name !== null) {
          if (ts.isClassLike(node.parent) && isPrivate(node)) names.privates.add(name);
          else names.publics.add(name);
        }
      } else if (ts.isParameter(node) && ts.isConstructorDeclaration(node.parent) && ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).length > 0) {
        const name = memberName(node.name);
        if (name !== null) (isPrivate(node) ? names.privates : names.publics).add(name);
      } else if (ts.isPropertySignature(node) || ts.isMethodSignature(node) || ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node) || ts.isEnumMember(node)) {
        const name = memberName(node.name);
        if (name !== null) names.publics.add(name);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

/** Property names of the JavaScript built-ins (as far as Node has them). */
function builtinNames(): Set<string> {
  const out = new Set<string>();
  const roots: unknown[] = [
    globalThis, Object, Function, Array, String, Number, Boolean, Math, JSON, Date, RegExp, Error, Promise,
    ArrayBuffer, DataView, Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array, Float64Array, Uint8ClampedArray,
  ];
  for (const root of roots) {
    for (let o = root as object | null; o !== null; o = Object.getPrototypeOf(o)) for (const name of Object.getOwnPropertyNames(o)) out.add(name);
    const proto = (root as { prototype?: object }).prototype;
    for (let o = proto ?? null; o !== null; o = Object.getPrototypeOf(o)) for (const name of Object.getOwnPropertyNames(o)) out.add(name);
  }
  for (const name of ESPRUINO_NAMES) out.add(name);
  return out;
}


let cached: Map<string, string> | null = null;

/** Private member name -> its short name, the same for every bundle built from these sources. */
export function privateNameMap(): Map<string, string> {
  if (cached !== null) return cached;
  const names: Names = { privates: new Set(), publics: new Set(), strings: new Set() };
  for (const dir of SOURCE_DIRS) for (const file of tsFiles(packagePath(dir))) scan(file, names, false);
  for (const dir of STRING_DIRS) for (const file of tsFiles(packagePath(dir), true)) scan(file, names, true);
  const builtins = builtinNames();
  const renamed = [...names.privates].filter((name) => !names.publics.has(name) && !names.strings.has(name) && !builtins.has(name) && !name.startsWith("$")).sort();
  cached = new Map(renamed.map((name, i) => [name, "$" + shortName(i)]));
  return cached;
}

/** terser options that rename exactly the private members, with the fixed map. */
export function privateNameOptions(): { mangleProperties: { regex: RegExp; reserved: string[] }; nameCache: { props: { props: { [key: string]: string } } } } {
  const map = privateNameMap();
  const props: { [key: string]: string } = {};
  for (const [name, short] of map) props["$" + name] = short;
  const escaped = [...map.keys()].map((name) => name.replace(/[$]/g, "\\$"));
  return {
    mangleProperties: { regex: escaped.length === 0 ? /^$/ : new RegExp("^(?:" + escaped.join("|") + ")$"), reserved: ESPRUINO_NAMES },
    nameCache: { props: { props } },
  };
}
