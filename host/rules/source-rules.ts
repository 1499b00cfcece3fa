// The Espruino rules (ESPRUINO.md) checked on a user's own source, before it is transpiled, so a
// mistake is reported at its file:line:col in the file the user wrote. The bundle gates
// (gates.ts) check the finished bundle again; this check is what turns "spread" into a line
// number instead of a bundle offset. TypeScript's parser reads both .js and .ts, and type
// annotations are skipped (a `Map<K, V>` type costs nothing on the board).
import ts from "typescript";
import { MISSING_GLOBALS, MISSING_METHODS, MISSING_STATICS } from "./espruino-rules.js";

export interface SourceViolation {
  /** Character offset in the file. */
  position: number;
  message: string;
}

const missingGlobals = new Set(MISSING_GLOBALS);
const missingStatics = new Set(MISSING_STATICS);
const missingMethods = new Set(MISSING_METHODS);

/** Syntax the device's parser rejects (tested on 2v29), with what to write instead. */
function syntaxViolation(node: ts.Node): string | null {
  if (ts.isParameter(node) && node.initializer) return "default parameters are a SyntaxError on Espruino; expected a plain parameter, with `if (x === undefined) x = ...` inside the function";
  if (ts.isParameter(node) && node.dotDotDotToken) return "rest parameters are a SyntaxError on Espruino; expected `arguments`";
  if (ts.isObjectBindingPattern(node) || ts.isArrayBindingPattern(node)) return "destructuring is a SyntaxError on Espruino; expected one variable per value (`var a = o.a`)";
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && (ts.isObjectLiteralExpression(node.left) || ts.isArrayLiteralExpression(node.left))) {
    return "destructuring assignment is a SyntaxError on Espruino; expected one assignment per value";
  }
  if (ts.isSpreadElement(node) || ts.isSpreadAssignment(node)) return "spread (`...`) is a SyntaxError on Espruino; expected `fn.apply(null, args)`, `concat` or `Object.assign`";
  if (ts.isComputedPropertyName(node)) return "computed property names are a SyntaxError on Espruino; expected `o[key] = value` after the literal";
  if (ts.isTaggedTemplateExpression(node)) return "tagged templates are a SyntaxError on Espruino; expected a function call";
  if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.AsteriskAsteriskToken || node.operatorToken.kind === ts.SyntaxKind.AsteriskAsteriskEqualsToken)) {
    return "`**` is a SyntaxError on Espruino; expected Math.pow(a, b)";
  }
  if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isCallExpression(node)) && node.questionDotToken) {
    return "optional chaining (`?.`) is a SyntaxError on Espruino; expected `o && o.x`";
  }
  if (ts.isLabeledStatement(node)) return "labels are a SyntaxError on Espruino; expected a flag or a function with return";
  if (ts.isAwaitExpression(node)) return "`await` is a SyntaxError on Espruino; expected Promise `.then()`";
  if ((ts.isFunctionLike(node) || ts.isMethodDeclaration(node)) && ts.getModifiers(node as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) {
    return "`async` functions are a SyntaxError on Espruino; expected a function returning a Promise";
  }
  if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node)) && node.asteriskToken) return "generators are a SyntaxError on Espruino; expected a function with explicit state";
  if (ts.isHeritageClause(node) && node.token === ts.SyntaxKind.ExtendsKeyword && node.types.some((t) => t.expression.getText() === "Error")) {
    return "`extends Error` fails on Espruino (Calling 'super' outside of class); expected a plain Error with a `code` field";
  }
  return null;
}

/** An identifier that names a value the program reads (not a property name, a declaration or a type). */
function isValueReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if ((ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node)) return false;
  if ((ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent)) && parent.name === node) return false;
  if ((ts.isVariableDeclaration(parent) || ts.isFunctionDeclaration(parent) || ts.isClassDeclaration(parent) || ts.isParameter(parent)) && parent.name === node) return false;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent)) return false;
  return true;
}

function builtInViolation(node: ts.Node): string | null {
  if (ts.isIdentifier(node) && missingGlobals.has(node.text) && isValueReference(node)) return "`" + node.text + "` does not exist on Espruino; expected a plain object or array, or an allocator from bootheap";
  if (ts.isPropertyAccessExpression(node)) {
    const name = node.name.text;
    if (ts.isIdentifier(node.expression) && missingStatics.has(node.expression.text + "." + name)) return "`" + node.expression.text + "." + name + "` does not exist on Espruino";
    if (missingMethods.has(name)) return "`." + name + "` does not exist on Espruino";
  }
  const written = ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment
    ? node.left
    : (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)
      ? node.operand
      : null;
  if (written && ts.isPropertyAccessExpression(written) && written.name.text === "length") return "writing `.length` throws on Espruino (Assignment to a constant); expected splice() or pop()";
  return null;
}

/** Nodes that are types only and vanish in the bundle. */
function isTypeOnly(node: ts.Node): boolean {
  return ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isImportDeclaration(node) || ts.isExportDeclaration(node);
}

export function checkSource(fileName: string, source: string): SourceViolation[] {
  const kind = fileName.endsWith(".ts") ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, kind);
  const out: SourceViolation[] = [];
  const visit = (node: ts.Node): void => {
    if (isTypeOnly(node)) return;
    const message = syntaxViolation(node) ?? builtInViolation(node);
    if (message !== null) out.push({ position: node.getStart(file), message });
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}
