// What a bundle costs the board, as plan/fit.ts counts it: its bytes (Storage, or RAM when
// uploaded as text) and its functions (each keeps a few JsVars when run from flash). Flashed
// code reaches Storage pretokenised (`bootheap flash` has the espruino tool do it), so that is
// the size Storage must hold; code uploaded to RAM stays text (the tool tokenises only what it saves).
import { parse } from "acorn";
import { FIRMWARE_VERSION } from "../../plan/board.js";
import type { Code, CodeIn } from "../../plan/fit.js";
import { pretokenise, tokenFormsFor } from "../pretokenised.js";

export function codeOf(source: string, codeIn: CodeIn): Code {
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
  const bytes = codeIn === "flash" ? pretokenise(source, tokenFormsFor(FIRMWARE_VERSION)).length : source.length;
  return { bytes, textBytes: source.length, functionCount };
}
