// Runs `bootheap emulate` as a child process for the end-to-end tests and stops it cleanly.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const BOOTHEAP_BIN = fileURLToPath(new URL("../../bin/bootheap.js", import.meta.url));

export interface RunningEmulator {
  port: number;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts the emulator on a free port (--port 0) and resolves once it says which one. */
export function startEmulator(args: string[], timeoutMs = 30_000): Promise<RunningEmulator> {
  const child = spawn(process.execPath, [BOOTHEAP_BIN, "emulate", "--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
      child.once("exit", () => {
        clearTimeout(killer);
        resolve();
      });
      child.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`emulator did not start: ${out}`));
    }, timeoutMs);
    const onData = (): void => {
      const m = out.match(/console on tcp:\/\/127\.0\.0\.1:(\d+)/);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      resolve({ port: Number(m[1]), child, output: () => out, stop });
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with ${code}: ${out}`));
    });
  });
}

/** Runs `bootheap ...args` to completion, in `cwd`, with `input` as its stdin (default: none). */
export function runBootheap(args: string[], timeoutMs = 60_000, options: { cwd?: string; input?: string } = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BOOTHEAP_BIN, ...args], { cwd: options.cwd, stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
    if (options.input !== undefined) child.stdin!.end(options.input);
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}
