// Boot of every built firmware on every board in the emulator, loaded as `bootheap flash`
// leaves it (code in Storage as .bootcde, then power-on): boot time and JsVars used, as the
// boot line reports them, and the board's memory after boot. Writes its section of
// docs/BENCHMARKS.md (`npx tsx bench/boot.ts`, also run by `npm run bench`).
import { existsSync, readFileSync } from "node:fs";
import { cpus } from "node:os";
import { loadAllBoards } from "../host/boards.js";
import { EmulatedBoard } from "../host/emulator/board.js";
import { writeDocSection } from "./doc-section.js";

interface Row {
  board: string;
  firmware: string;
  codeBytes: number;
  heapBytes: number;
  bootMs: number;
  bootJsVars: number;
  usedJsVars: number;
  totalJsVars: number;
}

const BOOT_LINE = /bootheap: \S+(?: \(debug\))? on \S+: heap (\d+) bytes in \d+ regions, sealed(?:, image restored)?, boot (\d+) ms, (-?\d+) JsVars/;

export function bootOnce(boardName: string, file: string): Row | string {
  const board = loadAllBoards().find((b) => b.name === boardName)!;
  let out = "";
  const emulated = new EmulatedBoard({ board, flashPath: null, output: (t) => (out += t) });
  const code = readFileSync(file, "utf8");
  emulated.storage.write(".bootcde", code, 0, code.length);
  emulated.powerOn();
  const line = BOOT_LINE.exec(out);
  const memory = emulated.evaluate("process.memory()");
  emulated.dispose();
  if (!line || !memory.ok) return out.split("\n").filter((l) => /bootheap|OUT OF MEMORY|Uncaught/.test(l)).join(" / ").trim() || "no boot line";
  const m = memory.value as { usage: number; total: number };
  return {
    board: boardName,
    firmware: file.split("/").pop()!,
    codeBytes: code.length,
    heapBytes: Number(line[1]),
    bootMs: Number(line[2]),
    bootJsVars: Number(line[3]),
    usedJsVars: m.usage,
    totalJsVars: m.total,
  };
}

function main(): void {
  const rows: Row[] = [];
  const failures: string[] = [];
  for (const board of loadAllBoards()) {
    for (const app of ["logger", "demo", "kv"]) {
      for (const variant of ["", ".debug"]) {
        const file = `dist/firmware/${board.name}/${app}${variant}.js`;
        if (!existsSync(file)) continue;
        const result = bootOnce(board.name, file);
        if (typeof result === "string") failures.push(`${board.name} ${app}${variant}: ${result}`);
        else rows.push(result);
      }
    }
  }
  const lines = [
    "## Boot on every board (emulator)",
    "",
    `Written by \`npx tsx bench/boot.ts\` (part of \`npm run bench\`) on ${new Date().toISOString()}, ${cpus()[0]?.model ?? "unknown cpu"}, Node ${process.version}.`,
    "Each firmware is written to Storage as `.bootcde` and the board powered on, as after `bootheap flash`.",
    "Boot ms and boot JsVars are what the boot line reports (reserve, carve, seal, MEM; the app's start excluded);",
    "used JsVars is `process.memory().usage` once the app has started. Emulated boot time is host time, not the board's.",
    "",
    "| board | firmware | code B | heap B | boot ms | boot JsVars | used JsVars | of |",
    "|---|---|---:|---:|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.board} | ${r.firmware} | ${r.codeBytes} | ${r.heapBytes} | ${r.bootMs} | ${r.bootJsVars} | ${r.usedJsVars} | ${r.totalJsVars} |`),
  ];
  if (failures.length > 0) lines.push("", "Did not boot:", "", ...failures.map((f) => "- " + f));
  writeDocSection("boot", lines.join("\n"));
  console.log(lines.join("\n"));
  if (failures.length > 0) process.exitCode = 1;
}

main();
