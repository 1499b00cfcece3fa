// Texts the device prints on its console: the start-up banner and uncaught errors.
import type { Board } from "../../boards.js";
import { FIRMWARE_VERSION } from "../board-env.js";

export function banner(board: Board): string {
  return [
    " ____                 _",
    "|  __|___ ___ ___ _ _|_|___ ___",
    "|  __|_ -| . |  _| | | |   | . |",
    "|____|___|  _|_| |___|_|_|_|___|",
    "         |_| espruino.com",
    ` ${FIRMWARE_VERSION} (c) 2025 G.Williams`,
    ` bootheap emulator: ${board.name}, ${board.jsVars} JsVars of ${board.blockBytes} bytes`,
    "",
    "",
  ].join("\r\n");
}

/** Files the board's own scripts run from; their frames are not the program's. */
const PRELUDE_FILES = /^(builtins|environment|storage|net)\.js$/;

/** Where in the program an error was thrown, from V8's stack text. */
function location(stack: string): string {
  for (const m of stack.matchAll(/\(?([^\s()]+):(\d+):(\d+)\)?\s*$/gm)) {
    const [, file, line, col] = m;
    if (file.startsWith("node:") || file.includes("/") || PRELUDE_FILES.test(file)) continue;
    return ` at line ${line} col ${col}${file === "console" ? "" : ` in ${file}`}`;
  }
  return "";
}

/** "TypeError: msg at line 1 col 5", or the formatted value for non-errors. */
export function describeError(e: unknown, format: (v: unknown) => string): string {
  if (typeof e === "object" && e !== null && typeof (e as Error).message === "string" && typeof (e as Error).stack === "string") {
    const err = e as Error;
    const ctor = (err.constructor as { name?: string } | undefined)?.name;
    const type = ctor && ctor !== "Object" ? ctor : "Error";
    return `${type}: ${err.message}${location(err.stack ?? "")}`;
  }
  return format(e);
}
