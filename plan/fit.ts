// Does a firmware fit its board? The heap is one flat string, a header block plus
// ceil(bytes / blockBytes) blocks; the program's own objects need room (a reserve); and code:
// - every function the code defines holds JsVars however it runs: FUNCTION_BLOCKS, one more per
//   parameter, and one per variable of the bundle's outer scope (`codeBlocks`);
// - flashed to Storage (what `bootheap flash` does), Espruino runs it from flash and a function
//   keeps only a reference to its text;
// - uploaded to RAM, the text itself is kept in chained blocks as well.
// The firmware must also fit the board's Storage; whether a saved heap image fits beside it is reported.
import type { Board } from "./board.js";
import type { MemoryPlan } from "./plan.js";
import { planHeapBytes, regionPlanBytes } from "./plan.js";

/** Bytes of a block a chained string cannot use for characters. */
const CHAIN_OVERHEAD_BYTES = 3;
/** Blocks the interpreter holds after boot (as the emulator models it). */
export const INTERPRETER_BLOCKS = 64;
/**
 * A function defined in the bundle, beside its parameters. Measured on Espruino 2v29 (Linux build,
 * firmware in Storage, 2026-12-02): 5 blocks (the function, its name, the reference to its text,
 * its scope link and the link's name); with the prototypes, long property names and strings that
 * come with functions in real bundles, 5.6-6.5 (logger, debug logger, demo; bench/firmware-jsvars.ts).
 * 7: a firmware that fits here must boot there.
 */
export const FUNCTION_BLOCKS = 7;

/**
 * Share of the board's JsVars kept for the program's own objects: those boot makes (allocators,
 * MEM, the app's state: 289 JsVars for the logger, 347 for demo, 398 for the debug logger, measured
 * on 2v29 by bench/firmware-jsvars.ts) and those it makes at run time.
 */
export const RUNTIME_RESERVE_SHARE = 0.15;
/** Bytes Storage spends on a file's header (name and length), rounded up. */
const STORAGE_FILE_OVERHEAD_BYTES = 64;

export type CodeIn = "flash" | "ram";

export interface Code {
  /** Bytes the code takes where it is kept: pretokenised in Storage, text in RAM. */
  bytes: number;
  /** Bytes of the bundle as text (what dist/ holds). */
  textBytes: number;
  functionCount: number;
  /** Parameters of all those functions: each is a JsVar of its function. */
  parameterCount: number;
  /** Variables of the bundle's outer scope (the program's and its wrapping closure's): one JsVar each. */
  outerVariableCount: number;
}

/** JsVars a bundle's functions and outer variables hold, wherever its text is. */
export function structureBlocks(code: Code): number {
  return code.functionCount * FUNCTION_BLOCKS + code.parameterCount + code.outerVariableCount;
}

export interface Fit {
  fits: boolean;
  codeBytes: number;
  codeTextBytes: number;
  heapBytes: number;
  heapBlocks: number;
  codeBlocks: number;
  reserveBlocks: number;
  /** Blocks left (negative: missing). */
  spareBlocks: number;
  /** Storage bytes left after the firmware (negative: missing). */
  spareStorageBytes: number;
  /** Whether a heap image (MEM.save()) fits in Storage beside the firmware. */
  imageFits: boolean;
  message: string;
}

function codeBlocksOf(board: Board, code: Code, codeIn: CodeIn): number {
  return structureBlocks(code) + (codeIn === "flash" ? 0 : Math.ceil(code.bytes / (board.blockBytes - CHAIN_OVERHEAD_BYTES)));
}

function reserveBlocksOf(board: Board): number {
  return INTERPRETER_BLOCKS + Math.ceil(board.jsVars * RUNTIME_RESERVE_SHARE);
}

/**
 * The heap an app may plan for on `board` once `code` is loaded: the board's heapBudgetBytes, or
 * less where the code, the interpreter and the reserve leave less (a whole number of 8 bytes).
 * `extraHeapBytes`: what a debug build adds beside the plan, out of the same room.
 */
export function heapBudgetFor(board: Board, code: Code, codeIn: CodeIn, extraHeapBytes = 0): number {
  const leftBlocks = board.jsVars - 1 - codeBlocksOf(board, code, codeIn) - reserveBlocksOf(board);
  return Math.max(0, Math.floor((Math.min(board.heapBudgetBytes, leftBlocks * board.blockBytes) - extraHeapBytes) / 8) * 8);
}

/** `extraHeapBytes`: what a debug build adds to the plan (firmware/instrument.ts). */
export function checkFit(board: Board, appName: string, plan: MemoryPlan, code: Code, codeIn: CodeIn, limits: string, extraHeapBytes = 0): Fit {
  const heapBytes = planHeapBytes(plan) + extraHeapBytes;
  const heapBlocks = 1 + Math.ceil(heapBytes / board.blockBytes);
  const codeBlocks = codeBlocksOf(board, code, codeIn);
  const reserveBlocks = reserveBlocksOf(board);
  const spareBlocks = board.jsVars - heapBlocks - codeBlocks - reserveBlocks;
  const spareStorageBytes = board.storageBytes - code.bytes - STORAGE_FILE_OVERHEAD_BYTES;
  const imageFits = spareStorageBytes >= heapBytes + 8 + STORAGE_FILE_OVERHEAD_BYTES;
  const fits = spareBlocks >= 0 && spareStorageBytes >= 0;
  const largest = plan.regions
    .map((r) => ({ name: r.name, kind: r.kind, bytes: regionPlanBytes(r) }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3)
    .map((r) => r.name + " (" + r.kind + ") " + r.bytes + " B")
    .join(", ");
  const ram = `heap ${heapBytes} B (${heapBlocks} blocks) + code in ${codeIn} ${code.bytes} B (${codeBlocks} blocks) + runtime reserve ${reserveBlocks} blocks`;
  let message: string;
  if (fits) {
    message = `${appName} fits ${board.name}: ${ram} of ${board.jsVars}, ${spareBlocks} blocks spare; Storage ${spareStorageBytes} B spare` + (imageFits ? "" : ` (too little for MEM.save(): the image needs ${heapBytes + 8} B)`);
  } else if (spareBlocks < 0) {
    message = `${appName} does not fit ${board.name}: ${-spareBlocks * board.blockBytes} bytes (${-spareBlocks} JsVars of ${board.blockBytes} B) too many: ${ram} > ${board.jsVars} JsVars. Largest regions: ${largest}.` + (limits ? ` App limits: ${limits}.` : "") + (spareStorageBytes < 0 ? ` Nor does it fit Storage: the code is ${-spareStorageBytes} bytes too big: ${code.bytes} B > ${board.storageBytes} B.` : "");
  } else {
    message = `${appName} does not fit ${board.name}'s Storage: the code is ${-spareStorageBytes} bytes too big: ${code.bytes} B > ${board.storageBytes} B.`;
  }
  return { fits, codeBytes: code.bytes, codeTextBytes: code.textBytes, heapBytes, heapBlocks, codeBlocks, reserveBlocks, spareBlocks, spareStorageBytes, imageFits, message };
}
