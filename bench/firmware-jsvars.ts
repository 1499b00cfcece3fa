// What a firmware's code holds on the real interpreter, the figures behind plan/fit.ts's
// FUNCTION_BLOCKS and reserve: `npx tsx bench/firmware-jsvars.ts --espruino PATH [FIRMWARE.js ...]`
// (a Linux build of Espruino). Each firmware is stored pretokenised as .bootcde, as `bootheap flash`
// leaves it, and booted with load(); a .boot0 file reads process.memory() before it and after.
// The code's JsVars are what is in use after boot, less the interpreter's own and what boot took
// (the firmware's "N JsVars" line: heap, allocators, MEM); per function, after one JsVar per
// parameter and per outer variable (host/build/code-size.ts). Writes the "firmware-jsvars"
// section of docs/BENCHMARKS.md.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { codeOf } from "../host/build/code-size.js";
import { pretokenise, tokenFormsFor } from "../host/pretokenised.js";
import { FIRMWARE_VERSION } from "../plan/board.js";
import { writeDocSection } from "./doc-section.js";

const DEFAULT_FIRMWARE = ["dist/firmware/PUCKJS/logger.js", "dist/firmware/PUCKJS/demo.js", "dist/firmware/PIXLJS/logger.debug.js"];
/** Bytes of Storage written per run: the text is in RAM while it is written. */
const CHUNK_BYTES = 2048;

/** A string literal of latin1 text in printable ASCII. */
function literal(text: string): string {
  return '"' + text.replace(/[\\"]|[^\x20-\x7e]/g, (c) => (c === "\\" || c === '"' ? "\\" + c : "\\x" + c.charCodeAt(0).toString(16).padStart(2, "0"))) + '"';
}

function main(): void {
  const args = process.argv.slice(2);
  const at = args.indexOf("--espruino");
  if (at < 0 || !args[at + 1]) {
    console.log("bench/firmware-jsvars.ts: no real interpreter named (--espruino PATH), nothing measured.");
    return;
  }
  const espruino = resolve(args[at + 1]);
  const files = args.filter((_, i) => i !== at && i !== at + 1);
  const rows: string[] = [];
  let version = "version unknown";
  for (const file of files.length > 0 ? files : DEFAULT_FIRMWARE) {
    const dir = mkdtempSync(join(tmpdir(), "bootheap-fw-jsvars-"));
    try {
      const run = (code: string): string => {
        writeFileSync(join(dir, "run.js"), code);
        try {
          return execFileSync(espruino, ["run.js"], { cwd: dir, input: "", encoding: "latin1", timeout: 120_000 });
        } catch (e) {
          return (e as { stdout: string }).stdout;
        }
      };
      const source = readFileSync(file, "utf8");
      const stored = pretokenise(source, tokenFormsFor(FIRMWARE_VERSION), "utf8");
      for (let i = 0; i < stored.length; i += CHUNK_BYTES) {
        const out = run(`print(require("Storage").write(".bootcde", ${literal(stored.slice(i, i + CHUNK_BYTES))}, ${i}, ${stored.length}) ? "STORED" : "FAILED");`);
        if (!out.includes("STORED")) throw new Error(`could not write ${file} to Storage:\n${out}`);
      }
      run(`require("Storage").write(".boot0", ${literal('print("START " + process.memory().usage); setTimeout(function () { var m = process.memory(); print("AFTER " + m.usage + " " + MEM.check() + " " + m.blocksize); }, 10);')});`);
      const out = run("load();");
      version = / (\d+v\d+(\.\d+)?) /.exec(out)?.[1] ?? version;
      const start = Number(/START (\d+)/.exec(out)?.[1]);
      const after = /AFTER (\d+) (\w+) (\d+)/.exec(out);
      const boot = /bootheap: .*heap (\d+) bytes.*, (\d+) JsVars/.exec(out);
      if (!after || !boot || Number.isNaN(start)) throw new Error(`${file} did not boot:\n${out}`);
      const code = codeOf(source, "flash");
      const codeJsVars = Number(after[1]) - Number(boot[2]) - start;
      const perFunction = (codeJsVars - code.parameterCount - code.outerVariableCount) / code.functionCount;
      // Boot's own objects: what boot took beside the heap (one flat string: a header and its blocks).
      const bootObjects = Number(boot[2]) - 1 - Math.ceil(Number(boot[1]) / Number(after[3]));
      rows.push(`| \`${file}\` | ${after[2]} | ${after[1]} | ${start} | ${boot[2]} (${bootObjects}) | ${codeJsVars} | ${code.functionCount} / ${code.parameterCount} / ${code.outerVariableCount} | ${perFunction.toFixed(2)} |`);
      console.log(rows[rows.length - 1]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  writeDocSection("firmware-jsvars", [
    "## What a firmware's code holds on Espruino (plan/fit.ts)",
    "",
    `- ${new Date().toISOString().slice(0, 10)}, \`npx tsx bench/firmware-jsvars.ts --espruino ${args[at + 1]}${files.length > 0 ? " " + files.join(" ") : ""}\`, Espruino ${version} Linux build.`,
    "- Each firmware stored pretokenised as `.bootcde` (as `bootheap flash` leaves it) and booted with `load()`.",
    "- Code = in use after boot − at the start of boot − what boot took (the firmware's own line: heap, allocators, MEM).",
    "",
    "| firmware | MEM.check() | in use after boot | at start | boot took (its objects beside the heap) | code | functions / parameters / outer variables | JsVars per function |",
    "|---|---|---:|---:|---:|---:|---:|---:|",
    ...rows,
    "",
    "`plan/fit.ts` counts 7 JsVars per function (the upper end, with a margin) and keeps 15% of the board's",
    "JsVars for the objects boot and the program make.",
  ].join("\n"));
}

main();
