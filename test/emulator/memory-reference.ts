// The reference program of docs/EMULATOR.md ("Objects, strings and closures, measured"): an
// object store, closures (event handlers each keeping its own state), a string builder, with
// process.memory().usage printed at checkpoints; what the real interpreter printed for it; and,
// run directly, the table of the docs:
//   npx tsx test/emulator/memory-reference.ts [--espruino PATH]
// (with --espruino, the device column is measured again by running PATH on the program).
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { EmulatedBoard } from "../../host/emulator/board.js";
import { loadBoard } from "../../host/boards.js";

/** The Linux build the device numbers come from: 3000 JsVars of 17 bytes (its boards/LINUX.py), 33 of them in use after boot. */
export const DEVICE_BUILD = { ...loadBoard("LINUX"), jsVars: 3000, blockBytes: 17 };
export const DEVICE_BOOT_BLOCKS = 33;

/** The reference program of docs/EMULATOR.md: an object store, closures (event handlers), a string builder. */
export const REFERENCE_PROGRAM = `function u() { return process.memory().usage; }
function makeHandler(id) {
  var state = { count: 0, last: "" };
  return function (ev) { state.count++; state.last = ev; return id + state.count; };
}
var start = u();
print("start " + start);
var store = {};
for (var i = 0; i < 90; i++) {
  store["item" + i] = { id: i, name: "item number " + i, tags: [i, i + 1], price: i + 0.5 };
  if (i % 30 == 29) print("store " + (i + 1) + " " + u());
}
var handlers = [];
for (var j = 0; j < 90; j++) {
  handlers.push(makeHandler(j));
  if (j % 30 == 29) print("handlers " + (j + 1) + " " + u());
}
for (j = 0; j < 90; j++) handlers[j]("event " + j);
print("handlers called " + u());
var text = "";
for (var k = 0; k < 300; k++) {
  text += "line " + k + "\\n";
  if (k % 100 == 99) print("text " + (k + 1) + " " + u());
}
print("sizes " + E.getSizeOf(store) + " " + E.getSizeOf(handlers) + " " + E.getSizeOf(text));
store = handlers = text = undefined;
print("dropped " + u());
`;

/** What the device printed for REFERENCE_PROGRAM (docs/EMULATOR.md has the command). */
export const DEVICE_CHECKPOINTS: Record<string, number> = {
  start: 129,
  "store 30": 494,
  "store 60": 854,
  "store 90": 1214,
  "handlers 30": 1734,
  "handlers 60": 2244,
  "handlers 90": 2754,
  "handlers called": 2755,
  "text 100": 2817,
  "text 200": 2887,
  "text 300": 2956,
  dropped: 146,
};

export function checkpoints(output: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of output.split(/\r?\n/)) {
    // After the prompt was taken off the line (ESC [J), the program's own text.
    const m = /^([a-z]+(?: \d+| called)?) (\d+)$/.exec(line.replace(/^[\s\S]*\x1b\[J/, "").trim());
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}


/** Runs the program on an emulated board like the device build; the checkpoints it printed. */
export function runOnEmulator(bootBlocks?: number): { points: Record<string, number>; output: string; ms: number } {
  let output = "";
  const board = new EmulatedBoard({ board: DEVICE_BUILD, flashPath: null, output: (t) => (output += t), bootBlocks });
  board.powerOn();
  const t0 = performance.now();
  board.evaluate(REFERENCE_PROGRAM);
  const ms = performance.now() - t0;
  board.dispose();
  return { points: checkpoints(output), output, ms };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const at = process.argv.indexOf("--espruino");
  let device = DEVICE_CHECKPOINTS;
  if (at > 0) {
    const dir = mkdtempSync(join(tmpdir(), "bootheap-reference-"));
    writeFileSync(join(dir, "reference.js"), REFERENCE_PROGRAM);
    device = checkpoints(execFileSync(process.argv[at + 1], ["reference.js"], { cwd: dir, input: "", encoding: "utf8" }));
  }
  const own = runOnEmulator(DEVICE_BOOT_BLOCKS);
  const standard = runOnEmulator();
  const pct = (e: number, d: number): string => `${e - d >= 0 ? "+" : ""}${(((e - d) / d) * 100).toFixed(1)}%`;
  console.log("| checkpoint | device | emulator, boot share 33 | emulator, boot share 64 |");
  console.log("|---|---|---|---|");
  for (const k of Object.keys(device)) console.log(`| ${k} | ${device[k]} | ${own.points[k]} (${pct(own.points[k], device[k])}) | ${standard.points[k]} (${pct(standard.points[k], device[k])}) |`);
  console.log(`emulator run: ${own.ms.toFixed(0)} ms`);
}
