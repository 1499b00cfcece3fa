// Texts the device prints on its console: the start-up banner and uncaught errors.
import type { Board } from "../../boards.js";
import { FIRMWARE_VERSION } from "../board-env.js";

/** Boards whose firmware is built with ESPR_OFFICIAL_BOARD (their board files say so): no request for donations. */
const OFFICIAL_BOARDS = new Set(["BANGLEJS", "BANGLEJS2", "ESPRUINOBOARD", "ESPRUINOWIFI", "JOLTJS", "PICO_R1_3", "PIXLJS", "PUCKJS"]);

/**
 * The device's start-up text (jsiSemiInit), byte for byte, plus one line naming the emulator.
 * Boards (not the Linux build) first turn the terminal's line wrap off (ESC [?7l).
 */
export function banner(board: Board): string {
  const lines = [
    "",
    " ____                 _ ",
    "|  __|___ ___ ___ _ _|_|___ ___ ",
    "|  __|_ -| . |  _| | | |   | . |",
    "|____|___|  _|_| |___|_|_|_|___|",
    "         |_| espruino.com",
    ` ${FIRMWARE_VERSION} (c) 2025 G.Williams`,
    ` bootheap emulator: ${board.name}, ${board.jsVars} JsVars of ${board.blockBytes} bytes`,
  ];
  if (!OFFICIAL_BOARDS.has(board.name)) {
    lines.push("", "Espruino is Open Source. Our work is supported", "only by sales of official boards and donations:", "http://espruino.com/Donate");
  }
  return (board.name === "LINUX" ? "" : "\x1b[?7l") + lines.concat("", "").join("\r\n");
}

/** Files the board's own scripts run from; their frames are not the program's. */
const PRELUDE_FILES = /^(builtins|environment|storage|net|heatshrink|date|espruino-extras)\.js$/;

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
