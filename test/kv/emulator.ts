// Runs the kv firmware bundle (dist/firmware/<BOARD>/kv.js, built by `npm run build`; built here
// if missing) in the board emulator, `bootheap emulate`, with KV_PORT / KV_CONFIG set by lines
// put before the bundle, and talks to it over TCP like any Redis client.
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { KvConfig } from "../../firmware/apps/kv/config.js";
import { Client } from "./helpers.js";

export function bundlePath(board: string, debug?: boolean): string {
  return resolve("dist", "firmware", board, debug ? "kv.debug.js" : "kv.js");
}

/** The newest modification time among the sources a kv bundle is built from. */
function newestSource(): number {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else if (name.endsWith(".ts") && st.mtimeMs > newest) newest = st.mtimeMs;
    }
  };
  walk("src");
  walk("firmware");
  return newest;
}

/**
 * Builds kv for every board (one build) when a release bundle of `boards`, or a debug bundle of
 * `debugBoards`, is missing or older than its sources. (Not every board's debug build fits: the
 * WiFi's Storage cannot hold it, so the build makes none.) A build that fails for another app
 * does not stop kv's tests once kv's bundles are fresh; otherwise its output is the error.
 */
export function ensureBundles(boards: string[], debugBoards: string[]): void {
  const newest = newestSource();
  const wanted = boards.map((b) => bundlePath(b)).concat(debugBoards.map((b) => bundlePath(b, true)));
  const stale = () => wanted.filter((p) => !existsSync(p) || statSync(p).mtimeMs < newest);
  if (stale().length === 0) return;
  try {
    execFileSync("npx", ["tsx", "host/build/build.ts", "--app", "kv"], { stdio: "pipe", timeout: 600_000 });
  } catch (e) {
    const out = e as { stdout?: Buffer; stderr?: Buffer };
    if (stale().length > 0) throw new Error("the kv build left " + stale().join(", ") + " missing or stale:\n" + String(out.stdout) + String(out.stderr));
  }
}

/** The bundle for `board`, built if missing. */
export function ensureBundle(board: string, debug?: boolean): string {
  const path = bundlePath(board, debug);
  if (!existsSync(path)) ensureBundles(debug ? [] : [board], debug ? [board] : []);
  return path;
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = net.createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => ok(port));
    });
  });
}

export interface Emulated {
  port: number;
  consolePort: number;
  child: ChildProcess;
  output(): string;
  /** Everything the board printed on its console since the first console() call. */
  consoleOutput(): string;
  /** Sends a line to the board's console and waits for `until` in the output that follows. */
  console(line: string, until: RegExp, ms?: number): Promise<string>;
  stop(): Promise<void>;
}

export async function emulateKv(opts: { board: string; config?: Partial<KvConfig>; flashDir?: string; timeoutMs?: number; debug?: boolean; code?: string }): Promise<Emulated> {
  const board = opts.board;
  // `code`: another program that serves RESP on KV_PORT (the benchmark's object-based store).
  const code = opts.code ?? readFileSync(ensureBundle(board, opts.debug), "utf8");
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "kv-emu-"));
  const file = join(dir, "kv-" + board + ".js");
  writeFileSync(file, "var KV_PORT=" + port + ";\n" + (opts.config ? "var KV_CONFIG=" + JSON.stringify(opts.config) + ";\n" : "") + code);
  const flashDir = opts.flashDir ?? mkdtempSync(join(tmpdir(), "kv-flash-"));
  const child = spawn(process.execPath, ["bin/bootheap.js", "emulate", "--board", board, "--port", "0", "--flash-dir", flashDir, file], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (b: Buffer) => (out += b.toString("latin1")));
  child.stderr!.on("data", (b: Buffer) => (out += b.toString("latin1")));
  let exited = false;
  child.on("exit", () => (exited = true));
  const stop = async () => {
    if (exited) return;
    child.kill("SIGTERM");
    const end = Date.now() + 5000;
    while (!exited && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    if (!exited) child.kill("SIGKILL");
  };
  // Ready when the console port is printed and kv answers PING.
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let consolePort = 0;
  for (;;) {
    if (exited) throw new Error("the emulator exited:\n" + out);
    if (Date.now() > deadline) {
      await stop();
      throw new Error("kv did not come up in the emulator:\n" + out);
    }
    const m = /console on tcp:\/\/127\.0\.0\.1:(\d+)/.exec(out);
    if (m) consolePort = Number(m[1]);
    if (consolePort > 0) {
      const c = new Client(port);
      try {
        await c.ready();
        if ((await c.cmd("PING")) === "PONG") {
          c.close();
          break;
        }
      } catch {
        // not listening yet
      }
      c.close();
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  let consoleSocket: net.Socket | null = null;
  let consoleText = "";
  return {
    port,
    consolePort,
    child,
    output: () => out,
    consoleOutput: () => consoleText,
    async console(line: string, until: RegExp, ms = 10_000) {
      if (consoleSocket === null) {
        consoleSocket = net.connect(consolePort, "127.0.0.1");
        consoleSocket.on("data", (b: Buffer) => (consoleText += b.toString("latin1")));
        consoleSocket.on("error", () => {});
        await new Promise<void>((r) => consoleSocket!.once("connect", () => r()));
      }
      const from = consoleText.length;
      consoleSocket.write(line + "\n");
      const end = Date.now() + ms;
      while (!until.test(consoleText.slice(from))) {
        if (Date.now() > end) throw new Error("console: no " + until + " after " + JSON.stringify(line) + "; got " + JSON.stringify(consoleText.slice(from)));
        await new Promise((r) => setTimeout(r, 20));
      }
      return consoleText.slice(from);
    },
    async stop() {
      if (consoleSocket !== null) consoleSocket.destroy();
      await stop();
    },
  };
}

/** Used bytes per region from INFO memory ("region_keys:used=128,..."). */
export function regionsUsed(info: string): { [name: string]: number } {
  const out: { [name: string]: number } = {};
  const re = /region_(\w+):used=(\d+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(info)) !== null) out[m[1]] = Number(m[2]);
  return out;
}
