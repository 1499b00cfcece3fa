// `npm run bench`: builds (via the npm script), then measures the allocators on Node with the
// bundle users import (dist/node/index.js) and under Duktape with the ES5 on-device bundle
// (dist/espruino/bootheap.min.js), and writes docs/BENCHMARKS.md.
//
//   tsx bench/run.ts [--quick] [--no-duktape] [--only abcd]
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { writeDocSection } from "./doc-section.js";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import { build } from "esbuild";
import ts from "typescript";
import { MemPool } from "@thi.ng/malloc";
import type * as Library from "../src/index.js";
import { churnSeeds, Env, metadata, MetadataResult, Result, runAll } from "./workloads.js";

const ROOT = resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const withDuktape = !args.includes("--no-duktape");
const onlyIndex = args.indexOf("--only");
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
/** Duktape interprets bytecode ~50-100x slower than V8's JIT: it runs the same workloads scaled down. */
const DUK_SCALE = quick ? 0.01 : 0.05;
const DUK_CHURN_OPS = quick ? 2000 : 1000000;

function log(line: string): void {
  process.stdout.write(line + "\n");
}

function sh(cmd: string, cmdArgs: string[]): string {
  try {
    return execFileSync(cmd, cmdArgs, { encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

/** @thi.ng/malloc as one ES5 script for Duktape: bundled by esbuild, lowered by TypeScript. */
async function thingEs5(): Promise<string> {
  const bundled = await build({ stdin: { contents: 'export { MemPool } from "@thi.ng/malloc";', resolveDir: ROOT }, bundle: true, format: "iife", globalName: "THING", target: "es2020", write: false });
  const es5 = ts.transpileModule(bundled.outputFiles[0].text, { compilerOptions: { target: ts.ScriptTarget.ES5, module: ts.ModuleKind.None, allowJs: true, downlevelIteration: true } }).outputText;
  // @thi.ng/api names BigInt64Array at load time; Duktape (ES5.1 + typed arrays) has none.
  return "var BigInt64Array = function () {}; var BigUint64Array = function () {};\n" + es5;
}

function es5Module(file: string, name: string): string {
  const out = ts.transpileModule(readFileSync(file, "utf8"), { compilerOptions: { target: ts.ScriptTarget.ES5, module: ts.ModuleKind.CommonJS, removeComments: true } }).outputText;
  return "var " + name + " = (function () { var exports = {};\n" + out + "\nreturn exports; })();\n";
}

interface DukOutput {
  results: Result[];
  metadata: MetadataResult[];
}

async function runDuktape(): Promise<{ out: DukOutput | null; seconds: number; error: string }> {
  const bundle = readFileSync(join(ROOT, "dist/espruino/bootheap.min.js"), "utf8");
  const script = [
    "var BH = (function () { var exports = {};\n" + bundle + "\nreturn exports; })();",
    await thingEs5(),
    es5Module(join(ROOT, "bench/workloads.ts"), "W"),
    "var env = { engine: 'duktape', L: BH, M: THING.MemPool, clock: function () { return Date.now(); }, scale: " + DUK_SCALE + ", repeats: 1, warmup: false, churnOps: " + DUK_CHURN_OPS + ", log: function (l) { print('# ' + l); } };",
    "var results = W.runAll(env, " + JSON.stringify(only === undefined ? "abcd" : only) + ");",
    "print('RESULT ' + JSON.stringify({ results: results, metadata: W.metadata(env) }));",
  ].join("\n");
  const dir = mkdtempSync(join(tmpdir(), "bootheap-bench-"));
  const file = join(dir, "bench-duktape.js");
  writeFileSync(file, script);
  const t0 = performance.now();
  return new Promise((done) => {
    const child = spawn("duk", [file]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      const text = d.toString();
      stdout += text;
      for (const line of text.split("\n")) if (line.startsWith("# ")) log("  " + line.slice(2));
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (e) => done({ out: null, seconds: 0, error: String(e) }));
    child.on("close", () => {
      const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
      const seconds = (performance.now() - t0) / 1000;
      done({ out: line ? (JSON.parse(line.slice(7)) as DukOutput) : null, seconds, error: line ? "" : (stderr || stdout).slice(-2000) });
    });
  });
}

/**
 * Bytes V8 holds per `new Uint8Array(n)` beyond n (object, ArrayBuffer, backing-store
 * bookkeeping), measured in a fresh `node --expose-gc` so nothing else is on the heap.
 */
function v8BytesPerUint8Array(): number {
  const script = [
    "const count = 20000; const sizes = []; for (let i = 0; i < count; i++) sizes.push(8 + ((i * 7919) % 249));",
    "const keep = new Array(count); gc(); gc(); const before = process.memoryUsage(); let payload = 0;",
    "for (let i = 0; i < count; i++) { keep[i] = new Uint8Array(sizes[i]); payload += sizes[i]; }",
    "gc(); gc(); const after = process.memoryUsage();",
    "const bytes = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);",
    "console.log(keep.length === count ? (bytes - payload) / count : NaN);",
  ].join("\n");
  const out = Number(sh(process.execPath, ["--expose-gc", "-e", script]));
  return Number.isFinite(out) ? out : NaN;
}


function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

function ratio(a: number, b: number): string {
  return b > 0 ? (a / b).toFixed(2) + "x" : "n/a";
}

const WORKLOADS: Record<string, string> = {
  a: "(a) random sizes 8-256 bytes, up to 512 live, random-order frees",
  b: "(b) pool-shaped churn: one size (64 bytes), up to 512 live, random-order frees",
  c: "(c) request/response: 20 allocations of 16-512 bytes, then everything freed (reset where the allocator has one)",
  d: "(d) long churn: 75% 8-128 bytes, 25% 129-2048 bytes, up to 120 live in a 64 KB region",
};

function table(results: Result[], engineName: string, workload: string): string {
  const rows = results.filter((r) => r.engine === engineName && r.workload === workload);
  if (rows.length === 0) return "";
  const thingRow = rows.find((r) => r.contestant.startsWith("@thi.ng"));
  const engineRow = rows.find((r) => r.contestant.startsWith("new Uint8Array"));
  const churn = workload === "d";
  const lines = [
    "| contestant | operations | ms | ops/s | vs @thi.ng/malloc | vs new Uint8Array(n) |" + (churn ? " failed allocs | free bytes at end | largest alloc possible | fragmentation |" : ""),
    "|---|---:|---:|---:|---:|---:|" + (churn ? "---:|---:|---:|---:|" : ""),
  ];
  for (const r of rows) {
    let line = "| " + r.contestant + " | " + fmt(r.ops) + " | " + fmt(r.ms) + " | " + fmt(r.opsPerSec) + " | " + (thingRow ? ratio(r.opsPerSec, thingRow.opsPerSec) : "n/a") + " | " + (engineRow ? ratio(r.opsPerSec, engineRow.opsPerSec) : "n/a") + " |";
    if (churn) {
      const measured = !r.contestant.startsWith("new Uint8Array");
      line += " " + fmt(r.fails) + " | " + (measured ? fmt(r.freeBytes) : "n/a (engine)") + " | " + (measured ? fmt(r.largest) : "n/a") + " | " + (measured ? r.fragmentation.toFixed(3) : "n/a") + " |";
    }
    lines.push(line);
  }
  return lines.join("\n");
}

function find(results: Result[], engineName: string, workload: string, prefix: string): Result | undefined {
  return results.find((r) => r.engine === engineName && r.workload === workload && r.contestant.startsWith(prefix));
}

async function main(): Promise<void> {
  const started = new Date();
  const loadStart = loadavg();
  const t0 = performance.now();
  const L = (await import(pathToFileURL(join(ROOT, "dist/node/index.js")).href)) as typeof Library;
  const env: Env = { engine: "node", L, M: MemPool, clock: () => performance.now(), scale: quick ? 0.05 : 1, repeats: quick ? 1 : 5, warmup: true, churnOps: quick ? 50000 : 1000000, log };
  log("Node " + process.version + ": workloads on dist/node/index.js");
  const results = runAll(env, only);
  const nodeMeta = metadata(env);
  const seeds = only === undefined || only.indexOf("d") >= 0 ? churnSeeds(env, [5, 6, 7, 8, 9]) : [];
  const v8PerArray = v8BytesPerUint8Array();
  const nodeSeconds = (performance.now() - t0) / 1000;

  let duk: Awaited<ReturnType<typeof runDuktape>> = { out: null, seconds: 0, error: "skipped (--no-duktape)" };
  if (withDuktape) {
    log("Duktape: the same workloads on dist/espruino/bootheap.min.js, scaled by " + DUK_SCALE);
    duk = await runDuktape();
    if (duk.out) results.push(...duk.out.results);
    else log("Duktape run failed: " + duk.error);
  }

  const modulesDir = join(ROOT, "dist/espruino/modules");
  const modules = readdirSync(modulesDir).filter((f) => f.endsWith(".min.js")).sort().map((f) => ({ name: f, bytes: statSync(join(modulesDir, f)).size }));
  const whole = statSync(join(ROOT, "dist/espruino/bootheap.min.js")).size;

  const machine = {
    uname: sh("uname", ["-a"]),
    cpu: (cpus()[0]?.model ?? "unknown") + " x " + cpus().length,
    node: process.version,
    duk: sh("dpkg-query", ["-W", "-f", "${Version}", "duktape"]),
  };

  // Targets, from the issue: workload (a) on Node.
  const a = (p: string) => find(results, "node", "a", p);
  const tl = a("TlsfAllocator");
  const th = a("@thi.ng");
  const en = a("new Uint8Array");
  const po = a("MemoryPool");
  const targets: string[] = [];
  if (tl && th && en && po) {
    const x1 = tl.opsPerSec / th.opsPerSec;
    const x2 = tl.opsPerSec / en.opsPerSec;
    const x3 = po.opsPerSec / th.opsPerSec;
    targets.push("| TlsfAllocator >= 5x @thi.ng/malloc | " + x1.toFixed(2) + "x | " + (x1 >= 5 ? "met" : "**missed**") + " |");
    targets.push("| TlsfAllocator faster than new Uint8Array(n) | " + x2.toFixed(2) + "x | " + (x2 > 1 ? "met" : "**missed**") + " |");
    targets.push("| MemoryPool >= 20x @thi.ng/malloc | " + x3.toFixed(2) + "x | " + (x3 >= 20 ? "met" : "**missed**") + " |");
  }

  const dukMeta = duk.out ? duk.out.metadata : [];
  const metaRows = nodeMeta.map((m) => {
    const header: Record<string, string> = {
      TlsfAllocator: "4-byte header per used block (docs/TLSF.md)",
      "MemoryPool(256)": "none; each allocation takes a whole 256-byte slot",
      FixedBufferAllocator: "none; alignment padding only",
      "@thi.ng/malloc MemPool": "8-byte block header, blocks aligned to 8",
    };
    const d = dukMeta.find((x) => x.contestant === m.contestant);
    return "| " + m.contestant + " | " + m.perAllocation.toFixed(1) + " | " + (d ? d.perAllocation.toFixed(1) : "n/a") + " | " + (header[m.contestant] ?? "") + " |";
  });
  metaRows.push("| new Uint8Array(n) on Node | " + v8PerArray.toFixed(1) + " | n/a | V8 heap: JSTypedArray + JSArrayBuffer objects and backing-store bookkeeping (measured with gc, heapUsed + arrayBuffers) |");
  metaRows.push("| ArenaAllocator | 0 + 16 per chunk | 0 + 16 per chunk | no per-allocation header; a 16-byte header per chunk taken from its child |");
  metaRows.push("| new Uint8Array(n) on Espruino | 1 JsVar + rounding | n/a | ESPRUINO.md: one header block plus ceil(n / blocksize) blocks of 12-16 bytes |");

  const cmd = "npm run bench" + (args.length ? " -- " + args.join(" ") : "");
  const doc = [
    "## Allocators",
    "",
    "Written by `" + cmd + "` (bench/run.ts; the workloads are bench/workloads.ts) between the allocators markers. Do not edit by hand: run it again.",
    "",
    "- date: " + started.toISOString(),
    "- machine: `" + machine.uname + "`",
    "- cpu: " + machine.cpu,
    "- Node " + machine.node + " running `dist/node/index.js` (the bundle users import); Duktape " + machine.duk + " (`duk`) running `dist/espruino/bootheap.min.js` (the ES5 on-device bundle)",
    "- @thi.ng/malloc " + JSON.parse(readFileSync(join(ROOT, "node_modules/@thi.ng/malloc/package.json"), "utf8")).version + " `MemPool` (defaults: align 8, compact, split); on Duktape bundled by esbuild and lowered to ES5 by TypeScript",
    "- Node: " + env.repeats + " timed runs per pair after one warm-up run, the fastest reported (the least disturbed by other work on the machine); Duktape (an interpreter: nothing to warm up): one run, operation counts of (a)-(c) scaled by " + DUK_SCALE + " to keep the run short; (d) " + fmt(DUK_CHURN_OPS) + " operations on both engines",
    "- load average (1, 5, 15 min) at start " + loadStart.map((x) => x.toFixed(2)).join(", ") + ", at end " + loadavg().map((x) => x.toFixed(2)).join(", ") + " (" + cpus().length + " cores)",
    "- time: Node part " + nodeSeconds.toFixed(0) + " s, Duktape part " + duk.seconds.toFixed(0) + " s, total " + ((performance.now() - t0) / 1000).toFixed(0) + " s",
    "",
    "An operation is one alloc or one free (workload (c): one allocation, the reset included in the time).",
    "Every contestant replays the same pre-computed stream of decisions; each runs in its own function",
    "compiled with its own calls written in (no adapter), and writes one byte into each allocation.",
    "",
    "### Targets (workload (a), Node)",
    "",
    "| target | measured | |",
    "|---|---:|---|",
    ...targets,
    "",
    ...["node", "duktape"].flatMap((e) => [
      "### " + (e === "node" ? "Node" : "Duktape"),
      "",
      ...["a", "b", "c", "d"].flatMap((w) => {
        const t = table(results, e, w);
        return t ? ["#### " + WORKLOADS[w], "", t, ""] : [];
      }),
    ]),
    duk.out ? "" : "Duktape: not measured (" + duk.error.split("\n")[0] + ").\n",
    ...(seeds.length === 0 ? [] : [
      "### Workload (d) with five other random streams (Node)",
      "",
      "One stream can flatter either heap; the same churn with other seeds (same operation count):",
      "",
      "| seed | TLSF failed allocs | TLSF largest possible / free | @thi.ng failed allocs | @thi.ng largest possible / free |",
      "|---:|---:|---:|---:|---:|",
      ...[5, 6, 7, 8, 9].map((seed) => {
        const t = seeds.find((x) => x.seed === seed && x.contestant === "TlsfAllocator")!;
        const g = seeds.find((x) => x.seed === seed && x.contestant !== "TlsfAllocator")!;
        return "| " + seed + " | " + fmt(t.fails) + " | " + fmt(t.largest) + " / " + fmt(t.freeBytes) + " | " + fmt(g.fails) + " | " + fmt(g.largest) + " / " + fmt(g.freeBytes) + " |";
      }),
      "| total | " + fmt(seeds.filter((x) => x.contestant === "TlsfAllocator").reduce((a, x) => a + x.fails, 0)) + " | | " + fmt(seeds.filter((x) => x.contestant !== "TlsfAllocator").reduce((a, x) => a + x.fails, 0)) + " | |",
      "",
    ]),
    "### Metadata bytes per allocation",
    "",
    "Bytes counted as used beyond the payload, averaged over 512 allocations of 8-256 bytes (workload (a)'s sizes):",
    "headers, rounding and slot waste together.",
    "",
    "| contestant | Node | Duktape | per-allocation metadata |",
    "|---|---:|---:|---|",
    ...metaRows,
    "",
    "### On-device module sizes (minified, ES5, `dist/espruino/modules/`)",
    "",
    "Each module carries what it imports (errors, checks, typed helpers), so the sizes overlap.",
    "",
    "| module | bytes |",
    "|---|---:|",
    ...modules.map((m) => "| " + m.name + " | " + fmt(m.bytes) + " |"),
    "| bootheap.min.js (everything) | " + fmt(whole) + " |",
    "",
    readFileSync(join(ROOT, "bench/NOTES.md"), "utf8").trim(),
    "",
  ].join("\n");
  writeDocSection("allocators", doc.trim(), join(ROOT, "docs/BENCHMARKS.md"));
  log("wrote docs/BENCHMARKS.md in " + ((performance.now() - t0) / 1000).toFixed(0) + " s");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
