// Does a firmware fit its board? Modelled as the emulator models the device
// (host/emulator/memory/jsvar-heap.ts): the heap is one flat string, a header block plus
// ceil(bytes / blockBytes) blocks; the program's own objects need room (a reserve); and code:
// - flashed to Storage (what `bootheap flash` does), Espruino runs it from flash and a function
//   keeps only references to its text: FUNCTION_BLOCKS per function;
// - uploaded to RAM, the text itself is kept in chained blocks.
// The firmware must also fit the board's Storage; whether a saved heap image fits beside it is reported.
import type { Board } from "./board.js";
import type { MemoryPlan } from "./plan.js";
import { planHeapBytes, regionPlanBytes } from "./plan.js";

/** Bytes of a block a chained string cannot use for characters. */
const CHAIN_OVERHEAD_BYTES = 3;
/** Blocks the interpreter holds after boot (as the emulator models it). */
export const INTERPRETER_BLOCKS = 64;
/** A function run from flash: its name, the function object, a reference to its text. */
export const FUNCTION_BLOCKS = 3;
/** Share of the board's JsVars kept for the program's own objects at run time. */
export const RUNTIME_RESERVE_SHARE = 0.1;
/** Bytes Storage spends on a file's header (name and length), rounded up. */
const STORAGE_FILE_OVERHEAD_BYTES = 64;

export type CodeIn = "flash" | "ram";

export interface Code {
  /** Bytes the code takes where it is kept: pretokenised in Storage, text in RAM. */
  bytes: number;
  /** Bytes of the bundle as text (what dist/ holds). */
  textBytes: number;
  functionCount: number;
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

/** `extraHeapBytes`: what a debug build adds to the plan (firmware/instrument.ts). */
export function checkFit(board: Board, appName: string, plan: MemoryPlan, code: Code, codeIn: CodeIn, limits: string, extraHeapBytes = 0): Fit {
  const heapBytes = planHeapBytes(plan) + extraHeapBytes;
  const heapBlocks = 1 + Math.ceil(heapBytes / board.blockBytes);
  const codeBlocks = codeIn === "flash" ? code.functionCount * FUNCTION_BLOCKS : Math.ceil(code.bytes / (board.blockBytes - CHAIN_OVERHEAD_BYTES));
  const reserveBlocks = INTERPRETER_BLOCKS + Math.ceil(board.jsVars * RUNTIME_RESERVE_SHARE);
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
    message = `${appName} does not fit ${board.name}: ${-spareBlocks * board.blockBytes} bytes (${-spareBlocks} JsVars of ${board.blockBytes} B) too many: ${ram} > ${board.jsVars} JsVars. Largest regions: ${largest}.` + (limits ? ` App limits: ${limits}.` : "");
  } else {
    message = `${appName} does not fit ${board.name}'s Storage: the code is ${-spareStorageBytes} bytes too big: ${code.bytes} B > ${board.storageBytes} B.`;
  }
  return { fits, codeBytes: code.bytes, codeTextBytes: code.textBytes, heapBytes, heapBlocks, codeBlocks, reserveBlocks, spareBlocks, spareStorageBytes, imageFits, message };
}
