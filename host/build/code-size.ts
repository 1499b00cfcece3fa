// What a bundle costs the board, as plan/fit.ts counts it: its bytes (Storage, or RAM when
// uploaded as text) and its functions (each keeps a few JsVars when run from flash).
import { parse } from "acorn";
import type { Code } from "../../plan/fit.js";

export function codeOf(source: string): Code {
  let functionCount = 0;
  const visit = (node: unknown): void => {
    if (!node || typeof node !== "object") return;
    const n = node as { type?: string; [key: string]: unknown };
    if (n.type === "FunctionDeclaration" || n.type === "FunctionExpression") functionCount++;
    for (const key of Object.keys(n)) {
      const value = n[key];
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === "object") visit(value);
    }
  };
  visit(parse(source, { ecmaVersion: 5 }));
  return { bytes: source.length, functionCount };
}
