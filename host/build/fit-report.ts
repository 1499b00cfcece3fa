// The one report `bootheap build` prints: what the firmware costs the board and what is left,
// in bytes and JsVars, or, when it does not fit, plan/fit.ts's reason (the bytes missing and the
// largest regions) under the same numbers.
import type { MemoryPlan } from "../../src/app.js";
import type { Board } from "../../plan/board.js";
import { INTERPRETER_BLOCKS, type CodeIn, type Fit } from "../../plan/fit.js";
import { regionPlanBytes } from "../../plan/plan.js";

const number = (n: number): string => n.toLocaleString("en-US");

/** `heapBudgetBytes`: what the app planned for (plan/fit.ts heapBudgetFor), named when the code left less than the board's default. */
export function fitReport(board: Board, appName: string, plan: MemoryPlan, fit: Fit, codeIn: CodeIn, outFile: string, heapBudgetBytes: number): string {
  const atBoot = fit.heapBlocks + fit.codeBlocks + INTERPRETER_BLOCKS;
  const regions = plan.regions.map((r) => `${r.name} (${r.kind}) ${number(regionPlanBytes(r))}`).join(", ");
  const lines = [
    `${appName} for ${board.name}: ${fit.fits ? "fits" : "DOES NOT FIT"}`,
    `  code     ${number(fit.codeBytes)} bytes in ${codeIn}${codeIn === "flash" ? ` (pretokenised; ${number(fit.codeTextBytes)} as text)` : ""}: ${fit.codeBlocks} JsVars; Storage ${number(board.storageBytes)} bytes, ${fit.spareStorageBytes >= 0 ? number(fit.spareStorageBytes) + " left" : number(-fit.spareStorageBytes) + " missing"}`,
    `  heap     ${number(fit.heapBytes)} bytes in ${plan.regions.length} region${plan.regions.length === 1 ? "" : "s"}: ${fit.heapBlocks} JsVars (${regions})` +
      (heapBudgetBytes < board.heapBudgetBytes ? `; planned for ${number(heapBudgetBytes)} bytes, what the code leaves of the board's ${number(board.heapBudgetBytes)}` : ""),
    `  JsVars   ${atBoot} at boot (heap ${fit.heapBlocks} + code ${fit.codeBlocks} + interpreter ${INTERPRETER_BLOCKS}) + reserve ${fit.reserveBlocks - INTERPRETER_BLOCKS} for the program's objects, of ${board.jsVars}: ` +
      (fit.spareBlocks >= 0 ? `${fit.spareBlocks} left (${number(fit.spareBlocks * board.blockBytes)} bytes)` : `${-fit.spareBlocks} missing (${number(-fit.spareBlocks * board.blockBytes)} bytes)`),
  ];
  if (fit.fits) {
    if (!fit.imageFits) lines.push(`  note     Storage has too little room for MEM.save() (the image needs ${number(fit.heapBytes + 8)} bytes)`);
    lines.push(`  wrote    ${outFile}`);
  } else {
    lines.push(`  ${fit.message}`);
  }
  return lines.join("\n");
}
