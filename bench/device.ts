// Issue 13's numbers on Espruino: JsVars held after `require` from Storage, and the alloc/free
// replay (bench/device/replay.js), on the board emulator always and on the real interpreter when
// one is named (`npx tsx bench/device.ts --espruino PATH`, a Linux build of Espruino). Every
// measurement runs in a fresh interpreter with the modules written to Storage, as flashed code
// runs. Writes the "device" section of docs/BENCHMARKS.md (also run by `npm run bench`).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadBoard } from "../host/boards.js";
import { EmulatedBoard } from "../host/emulator/board.js";
import { writeDocSection } from "./doc-section.js";

/** Storage file name -> file written there. */
const STORAGE: Record<string, string> = {
  "boot-heap": "dist/espruino/modules/boot-heap.min.js",
  pool: "dist/espruino/modules/pool.min.js",
  tlsf: "dist/espruino/modules/tlsf.min.js",
  "fixed-buffer": "dist/espruino/modules/fixed-buffer.min.js",
  arena: "dist/espruino/modules/arena.min.js",
  replay: "bench/device/replay.js",
};

/** The issue's table, measured on Espruino 2v29 (Linux build, 3000 JsVars) before the work. */
const FOOTPRINTS: [string[], number][] = [
  [["boot-heap"], 160],
  [["pool"], 215],
  [["tlsf"], 366],
  [["boot-heap", "pool"], 362],
  [["boot-heap", "tlsf"], 513],
];

/** Replay kinds with the issue's "before" (net µs per op, ratio to native); "empty" is subtracted. */
const KINDS: [kind: string, label: string, before: string][] = [
  ["native", "`new Uint8Array(n)`", "34–39"],
  ["pool", "MemoryPool (128-byte slots)", "52–63 (0.62–0.66)"],
  ["tlsf", "TlsfAllocator (12 KB)", "277–373 (0.10–0.12)"],
  ["fixed", "FixedBufferAllocator (4 KB, reset when full)", "—"],
  ["arena", "ArenaAllocator over TLSF (reset when full)", "—"],
];
const RUNS = 3;
const OPS = 3000;

/** Runs one console program in a fresh interpreter whose Storage holds STORAGE; returns what it printed. */
type Interpreter = (code: string) => string;

function emulator(): Interpreter {
  const board = loadBoard("LINUX");
  return (code) => {
    let out = "";
    const emulated = new EmulatedBoard({ board, flashPath: null, output: (t) => (out += t) });
    for (const [name, file] of Object.entries(STORAGE)) {
      const text = readFileSync(file, "latin1");
      emulated.storage.write(name, text, 0, text.length);
    }
    emulated.powerOn();
    emulated.evaluate(code);
    emulated.dispose();
    return out;
  };
}

/** The real interpreter: Storage is a file in its working directory, filled once by one run per file. */
function realEspruino(path: string, dir: string): Interpreter {
  const run = (code: string): string => {
    writeFileSync(join(dir, "run.js"), code);
    // stdin at end of file: the Linux build exits when the program is done instead of waiting for the console.
    return execFileSync(path, ["run.js"], { cwd: dir, input: "", encoding: "latin1", timeout: 300_000 });
  };
  // One file per run: the text is in RAM while it is written, and all of it at once would not fit.
  for (const [name, file] of Object.entries(STORAGE)) {
    const out = run(`print(require("Storage").write(${JSON.stringify(name)}, ${JSON.stringify(readFileSync(file, "latin1"))}) ? "STORED" : "FAILED");`);
    if (!out.includes("STORED")) throw new Error(`could not write ${name} to Storage:\n${out}`);
  }
  return run;
}

function footprint(run: Interpreter, names: string[]): number {
  const code = `var u0 = process.memory().usage; ${names.map((n, i) => `var m${i} = require(${JSON.stringify(n)}); `).join("")}print("JSVARS " + (process.memory().usage - u0));`;
  const out = run(code);
  const m = /JSVARS (-?\d+)/.exec(out);
  if (!m) throw new Error(`footprint of ${names.join(" + ")}: no result in\n${out}`);
  return Number(m[1]);
}

/** Seconds of each replay kind (and "empty") per run; the runs interleave so a load change hits all kinds alike. */
function replay(run: Interpreter): Record<string, number[]> {
  const seconds: Record<string, number[]> = {};
  let checksum: string | null = null;
  for (let r = 0; r < RUNS; r++) {
    for (const kind of ["empty", ...KINDS.map((k) => k[0])]) {
      const out = run(`require("replay").run(${JSON.stringify(kind)});`);
      const m = /REPLAY \S+ ([\d.e-]+) (\d+)/.exec(out);
      if (!m) throw new Error(`replay ${kind}: no result in\n${out}`);
      // The sequence is made on the interpreter: the same checksum shows it is the same sequence everywhere.
      if (checksum !== null && m[2] !== checksum) throw new Error(`replay ${kind}: sequence checksum ${m[2]}, expected ${checksum}`);
      checksum = m[2];
      (seconds[kind] ??= []).push(Number(m[1]));
    }
  }
  return seconds;
}

interface Measured {
  footprints: number[];
  seconds: Record<string, number[]>;
}

/** `only`: "footprint" or "replay" skips the other part (a quick look while working; the doc is not written). */
function measure(run: Interpreter, only: string | undefined): Measured {
  return {
    footprints: only === "replay" ? [] : FOOTPRINTS.map(([names]) => footprint(run, names)),
    seconds: only === "footprint" ? {} : replay(run),
  };
}

/**
 * Net µs per op of `kind` in each run, after the fastest empty replay: the loop costs the same every
 * run, and on a shared machine one slow empty run would otherwise skew a whole run's figures.
 */
function netMicros(m: Measured, kind: string): number[] {
  const empty = Math.min(...m.seconds.empty);
  return m.seconds[kind].map((s) => ((s - empty) * 1e6) / OPS);
}

/** Whole µs where the interpreter is slow; the emulator runs on V8, where an operation is a fraction of one. */
function micros(n: number): string {
  return Math.abs(n) >= 10 ? n.toFixed(0) : n.toFixed(2);
}

function speedCell(m: Measured, kind: string): string {
  const net = netMicros(m, kind);
  const native = netMicros(m, "native");
  const each = net.map(micros).join(" / ");
  return kind === "native" ? each : `${each} (${net.map((n, r) => (native[r] / n).toFixed(2)).join(" / ")})`;
}

function main(): void {
  const args = process.argv.slice(2);
  const at = args.indexOf("--espruino");
  const espruinoPath = at >= 0 ? args[at + 1] : undefined;
  const onlyAt = args.indexOf("--only");
  const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
  if (args.length !== (at >= 0 ? 2 : 0) + (onlyAt >= 0 ? 2 : 0) || (at >= 0 && !espruinoPath) || (onlyAt >= 0 && only !== "footprint" && only !== "replay")) {
    throw new Error("usage: tsx bench/device.ts [--espruino PATH-TO-ESPRUINO-LINUX-BUILD] [--only footprint|replay]");
  }
  const command = "npx tsx bench/device.ts" + (espruinoPath ? ` --espruino ${espruinoPath}` : "");
  const load = loadavg()[0].toFixed(2);
  const emulated = measure(emulator(), only);
  let real: Measured | null = null;
  let version = "";
  if (espruinoPath) {
    const dir = mkdtempSync(join(tmpdir(), "bootheap-device-"));
    try {
      const run = realEspruino(resolve(espruinoPath), dir);
      version = /\d+v\d+(\.\d+)?/.exec(run(""))?.[0] ?? "unknown version";
      real = measure(run, only);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    console.log("bench/device.ts: no real interpreter named (--espruino PATH), so the real-interpreter columns are skipped; the emulator runs stay.");
  }

  if (only) {
    const figures = only === "footprint" ? FOOTPRINTS.map(([names], i) => `${names.join(" + ")}: real ${real ? real.footprints[i] : "—"}, emulator ${emulated.footprints[i]}`) : KINDS.map(([kind, label]) => `${label}: real ${real ? speedCell(real, kind) : "—"}, emulator ${speedCell(emulated, kind)}`);
    console.log(figures.join("\n"));
    return;
  }
  const realHead = real ? `real Espruino ${version}` : "real interpreter (skipped: no --espruino)";
  const lines = [
    "## On Espruino: footprint and the alloc/free replay (issue 13)",
    "",
    `- ${new Date().toISOString().slice(0, 10)}, \`${command}\`, ${cpus()[0].model} (${cpus().length} cores), load ${load} → ${loadavg()[0].toFixed(2)}.`,
    `- Real: ${real ? `\`${espruinoPath}\`, Espruino ${version} Linux build` : "not run (no `--espruino PATH` given)"}; emulator: \`EmulatedBoard\` with the LINUX profile (${loadBoard("LINUX").jsVars} JsVars of ${loadBoard("LINUX").blockBytes} bytes).`,
    "- Every figure is a fresh interpreter with the modules (`dist/espruino/modules/*.min.js`) and the replay",
    "  (`bench/device/replay.js`) written to Storage and `require`d from there, as flashed code runs.",
    "- \"Before\" is issue 13's measurement on the real interpreter (Espruino 2v29, Linux build, 3000 JsVars).",
    "",
    "JsVars held after `require` from Storage:",
    "",
    `| module(s) | before | ${realHead} | emulator |`,
    "|---|---:|---:|---:|",
    ...FOOTPRINTS.map(([names, before], i) => `| ${names.join(" + ")} | ${before} | ${real ? real.footprints[i] : "—"} | ${emulated.footprints[i]} |`),
    "",
    `The replay: one fixed sequence of ${OPS} alloc/free operations (8–127 bytes, up to 48 live, frees of a random`,
    "live block), made on the interpreter from a fixed seed. Net µs per operation (`getTime()`, minus the same",
    `loop without allocation), runs 1 / 2 / 3, and in brackets \`new Uint8Array(n)\`'s net time over the allocator's`,
    "in the same run (1.00 = as fast as the engine's own allocation). Bump allocators cannot free in any order:",
    "there a dropped reference is the free, and a full buffer ends a batch and is reset.",
    "",
    `| replay | before (real) | ${realHead} | emulator |`,
    "|---|---:|---:|---:|",
    ...KINDS.map(([kind, label, before]) => `| ${label} | ${before} | ${real ? speedCell(real, kind) : "—"} | ${speedCell(emulated, kind)} |`),
    `| empty loop (fastest run subtracted), µs per op | — | ${real ? real.seconds.empty.map((s) => micros((s * 1e6) / OPS)).join(" / ") : "—"} | ${emulated.seconds.empty.map((s) => micros((s * 1e6) / OPS)).join(" / ")} |`,
    "",
    "Reading these:",
    "",
    "- The issue's footprints predate issue 11's hardening (42f7a8a, 7417ffe), which grew the modules: built",
    "  from the commit before it and measured the same way, boot-heap held 152, pool 206, tlsf 357 and",
    "  boot-heap + tlsf 504 JsVars (2026-12-01), within 9 of the issue's figures.",
    "- The Linux build keeps Storage in a file and reads flash by opening, seeking, reading and closing it",
    "  each time (strace, 2026-12-01: about 270,000 `openat` calls in one MemoryPool replay, some 90 per",
    "  operation), and the interpreter reads code from Storage as it runs it. So on that build every",
    "  statement run from Storage pays file I/O: the times above mostly count the allocators' code length,",
    "  and the ratios are far below what a board with memory-mapped flash sees. The same replay with its",
    "  loop in RAM (modules still in Storage) ran the empty loop at about 10 µs per op instead of about 70.",
    "- The emulator runs the code on V8 and charges JsVars by its own model, in which a module's functions",
    "  in Storage cost almost nothing; its columns check that the scripts run, not the device's numbers.",
  ];
  writeDocSection("device", lines.join("\n"));
  console.log(lines.join("\n"));
}

main();
