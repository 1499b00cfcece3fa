// Runs the real `espruino` command-line tool (npm package `espruino`) offline: the tool would
// fetch board descriptions and modules from espruino.com; these options point it at a local
// directory instead (board JSON stubs written there), and turn Bluetooth scanning off.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
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

/**
 * The nearest modules/ folder from `dir` upwards, as the tool's local-modules rule looks for
 * it; null if there is none. The tool (0.1.67) never finds it from the command line: its
 * local-modules plugin calls an `fs` it does not define in that scope, so every lookup fails
 * silently and it goes to MODULE_URL. Pointing MODULE_URL at the folder is what works.
 */
export function findModulesDir(dir: string = process.cwd()): string | null {
  for (let current = resolve(dir); ; current = dirname(current)) {
    if (existsSync(join(current, "modules"))) return join(current, "modules");
    if (dirname(current) === current) return null;
  }
}

/** MODULE_URL/MODULE_EXTENSIONS options that make require("name") load ./modules/name.js (findModulesDir). */
export function localModuleArgs(modulesDir: string): string[] {
  return ["--config", `MODULE_URL=${modulesDir}`, "--config", "MODULE_EXTENSIONS=.js|.min.js|.json"];
}

/** Arguments that keep the tool off the network: board JSON from `offlineDir`, modules from the project's modules/ or nowhere. */
export function offlineArgs(offlineDir: string): string[] {
  const modules = findModulesDir();
  return ["--no-ble", "--config", `BOARD_JSON_URL=${offlineDir}`, ...localModuleArgs(modules === null ? offlineDir : modules + "|" + offlineDir)];
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
