// kv benchmark: redis-benchmark against kv running in the board emulator (the built firmware
// bundle), and the same run against Debian's redis-server on this machine as the reference;
// plus memory per key/value at the default config against an object-based store in the
// emulator's JsVar model. Writes its section of docs/BENCHMARKS.md between
// <!-- kv:start --> and <!-- kv:end --> (appended at the end when absent).
//
//   npx tsx bench/kv.ts [--requests N] [--no-write]
import { execFile, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { writeDocSection } from "./doc-section.js";
import { cpus } from "node:os";
import { promisify } from "node:util";
import { DEFAULT_CONFIG, kvLayout, kvMemoryReport, elementBytes } from "../firmware/apps/kv/config.js";
import { loadBoard } from "../host/boards.js";
import { emulateKv, freePort } from "../test/kv/emulator.js";
import { Client, Reply, resp } from "../test/kv/helpers.js";

const run = promisify(execFile);
const TESTS = "ping,set,get,lpush,lpop";
const CLIENTS = 8;
const PIPELINE = 4;
/** redis-benchmark's LPUSH test pushes every request on one list before LPOP takes them back. */
const BENCH_CONFIG = { connectionsMax: 12, keyCount: 64, keySizeMax: 32, valueSizeMax: 16, listLengthMax: 20000, listElementBytes: 3 };
const BENCH_BOARD = "ESP32";

function which(cmd: string): string | null {
  try {
    const out = execFileSync("sh", ["-c", "command -v " + cmd], { encoding: "utf8" }).trim();
    return out || null;
  } catch {
    return null;
  }
}

type Result = { test: string; rps: number; p50: number };

async function benchmark(port: number, requests: number): Promise<{ results: Result[]; errors: string }> {
  const { stdout, stderr } = await run("redis-benchmark", ["-p", String(port), "-t", TESTS, "-n", String(requests), "-c", String(CLIENTS), "-P", String(PIPELINE), "-q"], { timeout: 600_000 });
  const text = (stdout + stderr).split("\r").join("\n");
  const results: Result[] = [];
  for (const m of text.matchAll(/^(\w+): ([\d.]+) requests per second, p50=([\d.]+) msec/gm)) results.push({ test: m[1], rps: Number(m[2]), p50: Number(m[3]) });
  const errors = text.split("\n").filter((l) => /error/i.test(l)).join("\n");
  return { results, errors };
}

async function redisServer(requests: number): Promise<{ results: Result[]; version: string } | null> {
  if (which("redis-server") === null) return null;
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  try {
    const end = Date.now() + 10_000;
    for (;;) {
      const c = new Client(port);
      try {
        await c.ready();
        if ((await c.cmd("PING")) === "PONG") {
          c.close();
          break;
        }
      } catch {
        // starting
      }
      c.close();
      if (Date.now() > end) throw new Error("redis-server did not start");
      await new Promise((r) => setTimeout(r, 100));
    }
    const version = (await run("redis-server", ["--version"])).stdout.trim();
    return { results: (await benchmark(port, requests)).results, version };
  } finally {
    child.kill("SIGTERM");
  }
}

/** Blocks an object store of `n` keys takes in the emulator's JsVar model (E.getSizeOf), per key. */
async function objectStoreCost(emu: Awaited<ReturnType<typeof emulateKv>>, n: number, keyBytes: number, valueBytes: number): Promise<{ objectBlocks: number; listBlocks: number }> {
  const value = "v".repeat(valueBytes - 1);
  const key = "k".repeat(keyBytes - 5);
  const out = await emu.console(
    "var o={};for(var i=0;i<" + n + ";i++)o['" + key + "'+(10000+i)]='" + value + "'+i%10;var l=[];for(var i=0;i<" + n + ";i++)l.push('" + value + "'+i%10);" +
      "print('OBJ='+E.getSizeOf(o)+' LIST='+E.getSizeOf(l));o=undefined;l=undefined;",
    /OBJ=\d+ LIST=\d+/,
  );
  const m = /OBJ=(\d+) LIST=(\d+)/.exec(out)!;
  return { objectBlocks: Number(m[1]) / n, listBlocks: Number(m[2]) / n };
}

interface Fill {
  stored: number;
  firstError: string;
  /** A SET got no reply within the timeout: the program stopped serving. */
  stalled: boolean;
  /** A new connection still gets PONG afterwards. */
  alive: boolean;
  /** The first key stored still reads back. */
  intact: boolean;
  outOfMemory: boolean;
}

/** SETs distinct keys (keyBytes / valueBytes each) one by one until the server refuses or stops answering. */
async function fillUntilFailure(emu: Awaited<ReturnType<typeof emulateKv>>, keyBytes: number, valueBytes: number, maxKeys: number): Promise<Fill> {
  await emu.console('print("fill"+"ing")', /filling/);
  const key = (i: number) => ("key:" + i + ":").padEnd(keyBytes, "k");
  const value = (i: number) => ("value:" + i + ":").padEnd(valueBytes, "v");
  const c = new Client(emu.port);
  await c.ready();
  let stored = 0;
  let firstError = "";
  let stalled = false;
  let refusals = 0;
  for (let i = 0; i < maxKeys; i++) {
    c.send(resp("SET", key(i), value(i)));
    let r: Reply;
    try {
      r = await c.reply(3000);
    } catch {
      stalled = true;
      break;
    }
    if (r !== null && typeof r === "object" && "error" in r) {
      if (firstError === "") firstError = r.error;
      if (++refusals >= 20) break;
    } else {
      stored++;
    }
  }
  c.close();
  let alive = false;
  let intact = false;
  const probe = new Client(emu.port);
  try {
    await probe.ready();
    alive = (await probe.cmd("PING").catch(() => null)) === "PONG";
    intact = alive && (await probe.cmd("GET", key(0)).catch(() => null)) === value(0);
  } catch {
    alive = false;
  }
  probe.close();
  return { stored, firstError, stalled, alive, intact, outOfMemory: /OUT OF MEMORY/.test(emu.consoleOutput()) };
}

export async function runKvBench(opts: { requests?: number; write?: boolean } = {}): Promise<string> {
  const requests = opts.requests ?? 20000;
  if (which("redis-benchmark") === null) throw new Error("kv bench needs redis-benchmark: sudo apt-get install redis-tools");
  const started = Date.now();
  const emu = await emulateKv({ board: BENCH_BOARD, config: BENCH_CONFIG });
  let kv: { results: Result[]; errors: string };
  let cost: { objectBlocks: number; listBlocks: number };
  let costMax: { objectBlocks: number; listBlocks: number };
  try {
    kv = await benchmark(emu.port, requests);
  } finally {
    await emu.stop();
  }
  // Memory per key at the default config, on the default board.
  const board = loadBoard("ESPRUINOWIFI");
  const emu2 = await emulateKv({ board: board.name });
  try {
    cost = await objectStoreCost(emu2, 100, 9, 9);
    costMax = await objectStoreCost(emu2, 100, DEFAULT_CONFIG.keySizeMax, DEFAULT_CONFIG.valueSizeMax);
  } finally {
    await emu2.stop();
  }
  // Fill both stores with the same keys until they stop: the engine's objects, then kv.
  const objectCode = readFileSync("bench/kv-object-store.js", "utf8");
  const emu3 = await emulateKv({ board: board.name, code: objectCode });
  let objects: Fill;
  let freeBlocks = 0;
  const OBJECT_KEYS_CAP = 2000;
  try {
    freeBlocks = Number(/F=(\d+)/.exec(await emu3.console('print("F="+process.memory().free)', /F=\d+/))![1]);
    objects = await fillUntilFailure(emu3, DEFAULT_CONFIG.keySizeMax, DEFAULT_CONFIG.valueSizeMax, OBJECT_KEYS_CAP);
  } finally {
    await emu3.stop();
  }
  const emu4 = await emulateKv({ board: board.name });
  let kvFill: Fill;
  try {
    kvFill = await fillUntilFailure(emu4, DEFAULT_CONFIG.keySizeMax, DEFAULT_CONFIG.valueSizeMax, 5000);
  } finally {
    await emu4.stop();
  }
  const reference = await redisServer(requests);
  const l = kvLayout(DEFAULT_CONFIG);
  const lines: string[] = [];
  lines.push("## kv: a Redis-compatible server on the boot heap");
  lines.push("");
  lines.push("Written by `npx tsx bench/kv.ts` (part of `npm run bench`). Do not edit by hand: run it again.");
  lines.push("");
  lines.push("- date: " + new Date().toISOString() + "; cpu: " + cpus()[0].model + " x " + cpus().length + "; Node " + process.version);
  lines.push("- `redis-benchmark -t " + TESTS + " -n " + requests + " -c " + CLIENTS + " -P " + PIPELINE + " -q` against kv in the emulator (`bootheap emulate --board " + BENCH_BOARD +
    "`, the built dist/firmware/" + BENCH_BOARD + "/kv.js) with KV_CONFIG " + JSON.stringify(BENCH_CONFIG) + " (the LPUSH test puts all " + requests + " elements on one list), and against " +
    (reference ? reference.version.split(" ").slice(0, 3).join(" ") : "redis-server (not installed: no reference)") + " on the same machine");
  lines.push("- errors from kv: " + (kv.errors === "" ? "none" : "`" + kv.errors + "`"));
  lines.push("- time: " + Math.round((Date.now() - started) / 1000) + " s");
  lines.push("");
  lines.push("| test | kv requests/s | kv p50 ms | redis-server requests/s | redis-server p50 ms | kv / redis-server |");
  lines.push("|---|---:|---:|---:|---:|---:|");
  for (const r of kv.results) {
    const ref = reference ? reference.results.find((x) => x.test === r.test) : undefined;
    lines.push("| " + r.test + " | " + Math.round(r.rps) + " | " + r.p50 + " | " + (ref ? Math.round(ref.rps) : "-") + " | " + (ref ? ref.p50 : "-") + " | " + (ref ? (r.rps / ref.rps).toFixed(3) : "-") + " |");
  }
  lines.push("");
  lines.push("The emulator runs the ES5 bundle on V8 under Espruino's rules; a real board interprets the source text and is");
  lines.push("orders of magnitude slower per request (ESPRUINO.md, \"Speed\"). What carries over is the shape: no request allocates");
  lines.push("from the engine beyond the strings the socket API hands over, so nothing degrades over a long run.");
  lines.push("");
  lines.push("### Memory per key at the default config (ESPRUINOWIFI, " + board.blockBytes + "-byte JsVars)");
  lines.push("");
  const b = board.blockBytes;
  const ks = DEFAULT_CONFIG.keySizeMax;
  const vs = DEFAULT_CONFIG.valueSizeMax;
  lines.push("| store | string key, 9-byte key and value | string key, " + ks + "-byte key, " + vs + "-byte value | list element, 9 bytes | list element, " + vs + " bytes | bounded | fragmentation |");
  lines.push("|---|---:|---:|---:|---:|---|---|");
  lines.push("| kv (boot heap) | " + (l.entryBytes + 4) + " B | " + (l.entryBytes + 4) + " B | " + elementBytes(9) + " B | " + elementBytes(vs) + " B | yes: the limits say how many | none: fixed slots |");
  lines.push("| JS object / array in the JsVar model (E.getSizeOf) | " + (cost.objectBlocks * b).toFixed(1) + " B | " + (costMax.objectBlocks * b).toFixed(1) + " B | " + (cost.listBlocks * b).toFixed(1) + " B | " + (costMax.listBlocks * b).toFixed(1) +
    " B | no: until OUT OF MEMORY | blocks scattered over the JsVar heap |");
  lines.push("");
  lines.push("kv: a key entry (" + l.entryBytes + " B) has room for a " + ks + "-byte key and a " + vs + "-byte value, plus its 4-byte bucket; list elements are packed into " + l.pageBytes + "-byte pages (1 length byte below 128).");
  lines.push("");
  lines.push("kv pays for the worst case up front: a key entry has room for the longest key and value, so short values waste");
  lines.push("space, and the whole store is reserved at boot whether used or not. In exchange every limit is known before the");
  lines.push("program runs, a full store is an `-OOM` reply instead of a crash, and list elements cost " + elementBytes(9) + " bytes each, packed.");
  lines.push("");
  lines.push("### Filling the store until it stops (ESPRUINOWIFI, " + board.jsVars + " JsVars)");
  lines.push("");
  lines.push("One client SETs distinct keys of " + ks + " bytes with " + vs + "-byte values, one at a time, until the server refuses or");
  lines.push("stops answering (3 s). The object store is bench/kv-object-store.js: the same protocol, keys in a plain object.");
  lines.push("");
  lines.push("| server | keys stored | at the limit | serving afterwards | first key still there |");
  lines.push("|---|---:|---|---|---|");
  const at = (f: Fill) => (f.firstError !== "" ? "`-" + f.firstError.slice(0, 60) + (f.firstError.length > 60 ? "..." : "") + "`, connection open" : f.stalled ? "no reply" + (f.outOfMemory ? " (console: OUT OF MEMORY)" : "") : "no limit reached");
  const capped = objects.stored >= OBJECT_KEYS_CAP && objects.firstError === "" && !objects.stalled;
  lines.push("| engine objects (bench/kv-object-store.js) | " + objects.stored + (capped ? " (the run's cap)" : "") + " | " + at(objects) + " | " + (objects.alive ? "yes" : "no") + " | " + (objects.intact ? "yes" : "no") + " |");
  lines.push("| kv (default config) | " + kvFill.stored + " | " + at(kvFill) + " | " + (kvFill.alive ? "yes" : "no") + " | " + (kvFill.intact ? "yes" : "no") + " |");
  lines.push("");
  if (capped) {
    const perKey = costMax.objectBlocks;
    lines.push("The object store never runs out in the emulator: its JsVar model charges buffers, views and code, not plain");
    lines.push("objects and strings (" + objects.stored + " such keys are " + Math.round((objects.stored * (ks + vs)) / 1024) + " KB of characters on a " + Math.round((board.jsVars * b) / 1024) + " KB board). On the device, at");
    lines.push(perKey.toFixed(1) + " JsVars per key (E.getSizeOf above), the " + freeBlocks + " JsVars free after that program loads hold about " + Math.floor(freeBlocks / perKey) + " keys; the next");
    lines.push("SET ends in `OUT OF MEMORY`, which interrupts the handler mid-request (ESPRUINO.md). kv stops at its limit with a reply.");
    lines.push("");
  }
  lines.push("<details><summary>INFO memory: the plan for the default config</summary>");
  lines.push("");
  lines.push("```");
  for (const line of kvMemoryReport(DEFAULT_CONFIG)) lines.push(line);
  lines.push("```");
  lines.push("</details>");
  const section = lines.join("\n");
  if (opts.write !== false) writeDocSection("kv", section);
  return section;
}


const invokedDirectly = process.argv[1] !== undefined && /bench[\\/]kv\.ts$/.test(process.argv[1]);
if (invokedDirectly) {
  const at = process.argv.indexOf("--requests");
  const requests = at > 0 ? Number(process.argv[at + 1]) : undefined;
  runKvBench({ requests, write: !process.argv.includes("--no-write") })
    .then((s) => {
      console.log(s);
      process.exit(0);
    })
    .catch((e) => {
      console.error("kv bench failed: " + (e instanceof Error ? e.message : String(e)));
      process.exit(1);
    });
}
