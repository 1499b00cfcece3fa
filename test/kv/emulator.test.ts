// kv in the board emulator (`bootheap emulate`, the built dist/firmware/<BOARD>/kv.js), driven by
// the real redis-cli and redis-benchmark and by raw TCP clients.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { testWithTool } from "../system/tools.js";
import { Client, resp } from "./helpers.js";
import { emulateKv, ensureBundles, regionsUsed, type Emulated } from "./emulator.js";

const run = promisify(execFile);

/** MEM.check() and the store's own check() pass at the board's console. */
async function expectChecksPass(emu: Emulated): Promise<void> {
  expect(await emu.console("MEM.check()", /ok: \d+ regions checked/)).toContain("ok:");
  expect(await emu.console('KV.kv.check();print("kv "+"checked")', /kv checked|Uncaught/)).toContain("kv checked");
}
/**
 * ESP32: its Storage holds the image beside the firmware, and its RAM holds the heap while the
 * emulator reads the image back (the emulator charges Storage.readArrayBuffer as RAM, which the
 * device maps from flash: on LINUX's 4096 JsVars the restore runs out of memory).
 */
const SAVE_BOARD = "ESP32";
const INSTALL = "sudo apt-get install redis-tools";
/** The benchmark's LPUSH test pushes -n elements on one list before LPOP takes them: a config for that. */
export const BENCH_CONFIG = { connectionsMax: 12, keyCount: 64, keySizeMax: 32, valueSizeMax: 16, listLengthMax: 20000, listElementBytes: 3 };

async function info(port: number): Promise<string> {
  const c = new Client(port);
  await c.ready();
  const r = await c.cmd("INFO", "memory");
  c.close();
  await c.waitClosed();
  return r as string;
}

/** Used bytes per region with one client (the asking one) connected; waits for closes to land. */
async function settledUsed(port: number, want?: { [name: string]: number }): Promise<{ [name: string]: number }> {
  let used = regionsUsed(await info(port));
  const end = Date.now() + 5000;
  while (want !== undefined && JSON.stringify(used) !== JSON.stringify(want) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    used = regionsUsed(await info(port));
  }
  return used;
}

describe("kv in the emulator", () => {
  // `npm test` builds first; a bare `vitest run` builds kv here when a bundle is missing or stale.
  beforeAll(() => ensureBundles(["ESPRUINOWIFI", "ESP32"], ["ESP32"]), 600_000);

  testWithTool("redis-cli: a scripted session, compared line by line", "redis-cli", INSTALL, async (cli) => {
    const emu = await emulateKv({ board: "ESPRUINOWIFI" });
    try {
      const script = readFileSync("test/kv/session.redis", "utf8");
      const expected = readFileSync("test/kv/session.expected", "utf8").split("\n");
      const child = execFile(cli, ["-p", String(emu.port)], { timeout: 30_000 });
      let out = "";
      child.stdout!.on("data", (d) => (out += d));
      child.stdin!.end(script);
      await new Promise((r) => child.on("exit", r));
      const lines = out.split("\n");
      for (let i = 0; i < expected.length; i++) expect({ line: i + 1, text: lines[i] }).toEqual({ line: i + 1, text: expected[i] });
      expect(lines.length).toBe(expected.length);
      // The README's first steps.
      expect((await run(cli, ["-p", String(emu.port), "SET", "a", "1"])).stdout).toBe("OK\n");
      expect((await run(cli, ["-p", String(emu.port), "GET", "a"])).stdout).toBe("1\n");
      // KV_PORT, not the default 6379 (issue 11, defect 14).
      expect((await run(cli, ["-p", String(emu.port), "INFO", "server"])).stdout).toContain("tcp_port:" + emu.port + "\r\n");
      const mem = (await run(cli, ["-p", String(emu.port), "INFO", "memory"])).stdout;
      expect(mem).toContain("limits: connectionsMax=4 keyCount=128 keySizeMax=32 valueSizeMax=64 listLengthMax=128");
      await expectChecksPass(emu);
    } finally {
      await emu.stop();
    }
  }, 90_000);

  testWithTool("redis-benchmark -t ping,set,get,lpush,lpop -n 20000 -c 8 -P 4: no errors, memory back", "redis-benchmark", INSTALL, async (bench) => {
    const emu = await emulateKv({ board: "ESP32", config: BENCH_CONFIG });
    try {
      const before = await settledUsed(emu.port);
      const { stdout, stderr } = await run(bench, ["-p", String(emu.port), "-t", "ping,set,get,lpush,lpop", "-n", "20000", "-c", "8", "-P", "4", "-q"], { timeout: 120_000 });
      const text = (stdout + stderr).split("\r").join("\n");
      expect(text).not.toMatch(/error/i);
      const results = [...text.matchAll(/^(\w+): ([\d.]+) requests per second/gm)].map((m) => [m[1], Number(m[2])] as [string, number]);
      expect(results.map((r) => r[0])).toEqual(["PING_INLINE", "PING_MBULK", "SET", "GET", "LPUSH", "LPOP"]);
      for (const [, rps] of results) expect(rps).toBeGreaterThan(0);
      // The benchmark leaves its SET key; once it is gone every region is back where it was.
      const c = new Client(emu.port);
      await c.ready();
      expect(await c.cmd("DBSIZE")).toBe(1);
      expect(await c.cmd("LLEN", "mylist")).toBe(0);
      expect(await c.cmd("FLUSHALL")).toBe("OK");
      c.close();
      await c.waitClosed();
      expect(await settledUsed(emu.port, before)).toEqual(before);
      await expectChecksPass(emu);
    } finally {
      await emu.stop();
    }
  }, 180_000);

  test("a connection flood beyond connectionsMax: the extras are refused and closed, the rest unaffected", async () => {
    const emu = await emulateKv({ board: "ESPRUINOWIFI" });
    try {
      const before = await settledUsed(emu.port);
      const clients: Client[] = [];
      for (let i = 0; i < 4; i++) {
        const c = new Client(emu.port);
        await c.ready();
        expect(await c.cmd("PING")).toBe("PONG");
        clients.push(c);
      }
      const extras: Client[] = [];
      for (let i = 0; i < 6; i++) extras.push(new Client(emu.port));
      for (const e of extras) {
        expect(await e.reply()).toEqual({ error: "ERR max number of clients reached" });
        await e.waitClosed();
      }
      for (let i = 0; i < clients.length; i++) expect(await clients[i].cmd("SET", "k" + i, "v" + i)).toBe("OK");
      // A pipeline split across TCP packets at awkward places.
      const whole = resp("SET", "split", "across packets").toString("latin1") + "PING\r\n" + resp("GET", "split").toString("latin1");
      for (const piece of [whole.slice(0, 5), whole.slice(5, 17), whole.slice(17, 40), whole.slice(40)]) {
        clients[3].send(piece);
        await new Promise((r) => setTimeout(r, 30));
      }
      expect(await clients[3].reply()).toBe("OK");
      expect(await clients[3].reply()).toBe("PONG");
      expect(await clients[3].reply()).toBe("across packets");
      expect(await clients[3].cmd("DEL", "split")).toBe(1);
      for (let i = 0; i < clients.length; i++) expect(await clients[i].cmd("GET", "k" + i)).toBe("v" + i);
      expect(await clients[0].cmd("DEL", "k0", "k1", "k2", "k3")).toBe(4);
      for (const c of clients) c.close();
      for (const c of clients) await c.waitClosed();
      expect(await settledUsed(emu.port, before)).toEqual(before);
      await expectChecksPass(emu);
    } finally {
      await emu.stop();
    }
  }, 90_000);

  test("limits, wrong types and bad input: error replies, bad connections closed, memory unchanged", async () => {
    const emu = await emulateKv({ board: "ESPRUINOWIFI", config: { keyCount: 4, listLengthMax: 8 } });
    try {
      const c = new Client(emu.port);
      await c.ready();
      expect(await c.cmd("SET", "a", "1")).toBe("OK");
      const before = await settledUsed(emu.port);
      expect(await c.cmd("SET", "a", "x".repeat(65))).toEqual({ error: "ERR value too long (valueSizeMax)" });
      expect(await c.cmd("SET", "k".repeat(33), "1")).toEqual({ error: "ERR key too long (keySizeMax)" });
      expect(await c.cmd("LPUSH", "a", "1")).toEqual({ error: "WRONGTYPE Operation against a key holding the wrong kind of value" });
      for (const k of ["b", "c", "d"]) expect(await c.cmd("SET", k, "1")).toBe("OK");
      const full = await settledUsed(emu.port);
      expect(await c.cmd("SET", "e", "1")).toEqual({ error: expect.stringMatching(/^OOM /) });
      expect(await c.cmd("RPUSH", "e", "1")).toEqual({ error: expect.stringMatching(/^OOM /) });
      expect(await settledUsed(emu.port, full)).toEqual(full);
      expect(await c.cmd("DEL", "b", "c", "d")).toBe(3);
      expect(await c.cmd("RPUSH", "l", "1", "2", "3", "4", "5", "6")).toBe(6);
      expect(await c.cmd("RPUSH", "l", "7", "8", "9")).toEqual({ error: "ERR list too long (listLengthMax)" });
      expect(await c.cmd("DEL", "l")).toBe(1);
      expect(await c.cmd("GET", "a")).toBe("1");
      for (const bad of ["*2\r\n$3\r\nGET\r\n$1\r\nab\r\n", "*1\r\n$99999\r\n", "\x00\x01binary\xff\r\n", "GET " + "a".repeat(700)]) {
        const b = new Client(emu.port);
        await b.ready();
        b.send(bad);
        expect(await b.reply()).toEqual({ error: expect.stringMatching(/^ERR Protocol error/) });
        await b.waitClosed();
        expect(await c.cmd("PING")).toBe("PONG");
      }
      expect(await settledUsed(emu.port, before)).toEqual(before);
      c.close();
      await expectChecksPass(emu);
    } finally {
      await emu.stop();
    }
  }, 90_000);

  test("fuzzed RESP over TCP: the server keeps serving, memory comes back", async () => {
    const emu = await emulateKv({ board: "ESPRUINOWIFI" });
    try {
      const probe = new Client(emu.port);
      await probe.ready();
      const before = await settledUsed(emu.port);
      const piece = fc.oneof(
        fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 5 }).map((a) => resp(...a).toString("latin1")),
        fc.constantFrom("*1\r\n$4\r\nPING\r\n", "PING\r\n", "*3\r\n$3\r\nSET\r\n$1\r\nf\r\n$1\r\nv\r\n", "*2\r\n$3\r\nDEL\r\n$1\r\nf\r\n"),
        fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString("latin1")),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 6 }), async (pieces) => {
          const c = new Client(emu.port);
          await c.ready();
          for (const p of pieces) c.send(Buffer.from(p, "latin1"));
          await new Promise((r) => setTimeout(r, 20));
          c.close();
          expect(await probe.cmd("PING")).toBe("PONG");
        }),
        { numRuns: 40, seed: 5 },
      );
      expect(await probe.cmd("FLUSHALL")).toBe("OK");
      probe.close();
      await probe.waitClosed();
      // `before` was taken with the probe connected as well as the asking client: one record and two 576-byte buffers fewer now.
      const want = { ...before, conns: before.conns - 24, rx: before.rx - 576, tx: before.tx - 576 };
      expect(await settledUsed(emu.port, want)).toEqual(want);
      await expectChecksPass(emu);
    } finally {
      await emu.stop();
    }
  }, 120_000);

  test("SAVE, restart the board, the data is still there", async () => {
    const flashDir = mkdtempSync(join(tmpdir(), "kv-save-"));
    let emu = await emulateKv({ board: SAVE_BOARD, flashDir });
    try {
      const c = new Client(emu.port);
      await c.ready();
      expect(await c.cmd("SET", "a", "1")).toBe("OK");
      expect(await c.cmd("RPUSH", "l", "x", "y", "z")).toBe(3);
      expect(await c.cmd("INCR", "n")).toBe(1);
      expect(await c.cmd("INFO", "server")).toContain("kv_restored:0");
      expect(await c.cmd("SAVE")).toBe("OK");
      c.close();
    } finally {
      await emu.stop();
    }
    emu = await emulateKv({ board: SAVE_BOARD, flashDir });
    try {
      const c = new Client(emu.port);
      await c.ready();
      expect(await c.cmd("GET", "a")).toBe("1");
      expect(await c.cmd("LRANGE", "l", "0", "-1")).toEqual(["x", "y", "z"]);
      expect(await c.cmd("INCR", "n")).toBe(2);
      expect(await c.cmd("DBSIZE")).toBe(3);
      // Only this connection is live: the one that saved did not come back with the image.
      expect(regionsUsed((await c.cmd("INFO", "memory")) as string).conns).toBe(24);
      expect(await c.cmd("INFO", "server")).toContain("kv_restored:1");
      c.close();
      await expectChecksPass(emu);
    } finally {
      await emu.stop();
    }
  }, 90_000);

  test("the debug firmware (kv.debug.js) serves too", async () => {
    const emu = await emulateKv({ board: "ESP32", debug: true });
    try {
      const c = new Client(emu.port);
      await c.ready();
      expect(await c.cmd("SET", "a", "1")).toBe("OK");
      expect(await c.cmd("RPUSH", "l", "x", "y")).toBe(2);
      expect(await c.cmd("LRANGE", "l", "0", "-1")).toEqual(["x", "y"]);
      expect(await c.cmd("FLUSHALL")).toBe("OK");
      c.close();
      await expectChecksPass(emu);
    } finally {
      await emu.stop();
    }
  }, 60_000);

  test("4000 requests leave the board's JsVar usage (process.memory().usage) where it was", async () => {
    const emu = await emulateKv({ board: "ESPRUINOWIFI" });
    try {
      const usage = async () => Number(/U=(\d+)/.exec(await emu.console('print("U="+process.memory().usage)', /U=\d+/))![1]);
      const c = new Client(emu.port);
      await c.ready();
      expect(await c.cmd("PING")).toBe("PONG");
      const before = await usage();
      for (let round = 0; round < 20; round++) {
        const batch: Buffer[] = [];
        for (let i = 0; i < 50; i++) batch.push(resp("SET", "k" + i, "v" + round), resp("RPUSH", "l", "x" + i), resp("GET", "k" + i), resp("LPOP", "l"));
        c.send(Buffer.concat(batch));
        for (let i = 0; i < 200; i++) await c.reply();
      }
      expect(await usage()).toBe(before);
      c.close();
    } finally {
      await emu.stop();
    }
  }, 60_000);
});
