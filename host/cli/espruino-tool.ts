// Runs the real `espruino` command-line tool (npm package `espruino`) offline: the tool would
// fetch board descriptions and modules from espruino.com; these options point it at a local
// directory instead (board JSON stubs written there), and turn Bluetooth scanning off.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listBoardNames } from "../boards.js";

const require = createRequire(import.meta.url);
export const ESPRUINO_CLI = require.resolve("espruino/bin/espruino-cli.js");

export interface OfflineDir {
  dir: string;
  remove(): void;
}

/** A directory the tool reads instead of espruino.com: `{}` for every known board. */
export function makeOfflineDir(): OfflineDir {
  const dir = mkdtempSync(join(tmpdir(), "bootheap-espruino-"));
  for (const name of listBoardNames()) writeFileSync(join(dir, `${name}.json`), "{}\n");
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Arguments that keep the tool off the network: board JSON and modules from `offlineDir`. */
export function offlineArgs(offlineDir: string): string[] {
  return ["--no-ble", "--config", `BOARD_JSON_URL=${offlineDir}`, "--config", `MODULE_URL=${offlineDir}`];
}

export interface ToolRun {
  /** Exit code and everything printed, once the tool exits. */
  done: Promise<{ code: number; stdout: string; stderr: string }>;
  /** Ends the tool now: for a caller that has what it waited for. */
  stop(): void;
}

/**
 * Starts `node espruino-cli.js ...args`; `onLine` sees each stdout line as it comes. The tool
 * is killed after `timeoutMs`: it can wait forever (e.g. for an upload shorter than one write
 * block, whose completion callback it never calls), and callers must get an answer.
 */
export function runEspruinoTool(args: string[], onLine?: (line: string) => void, timeoutMs = 120_000): ToolRun {
  const child = spawn(process.execPath, [ESPRUINO_CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const killer = setTimeout(() => {
    stderr += `\nbootheap: the espruino tool did not finish within ${timeoutMs / 1000} s; stopped it\n`;
    child.kill("SIGKILL");
  }, timeoutMs);
  let stdout = "";
  let stderr = "";
  let partial = "";
  child.stdout!.on("data", (d: Buffer) => {
    const text = d.toString("latin1");
    stdout += text;
    partial += text;
    const lines = partial.split("\n");
    partial = lines.pop()!;
    for (const l of lines) onLine?.(l.replace(/\r$/, ""));
  });
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d.toString("latin1");
  });
  const done = new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    child.on("close", (code) => {
      clearTimeout(killer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
  return { done, stop: () => child.kill("SIGKILL") };
}
