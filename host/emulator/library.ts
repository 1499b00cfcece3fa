// `bootheap/emulator`: the board emulator as a library, for a user's tests (node --test, vitest,
// jest). `emulate()` boots a board in its own thread with a firmware flashed as its program and
// returns a handle to evaluate expressions on it, read its console, memory and Storage, power
// cycle it and close it. Each board is its own worker thread: boards run in parallel, and a
// closed board leaves nothing behind that would keep the test runner alive.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { loadBoard } from "../boards.js";
import { BoardHost, BoardRequestError } from "./board-host.js";
import { ConsoleLines } from "./console/console-lines.js";

export { BoardRequestError };

export interface EmulateOptions {
  /** The board, as named in boards/*.json: "PUCKJS", "ESPRUINOWIFI", "BANGLEJS2", … */
  board: string;
  /**
   * A firmware bundle (e.g. "dist/PUCKJS/app.js", made by `bootheap build`). It is flashed as
   * the board's program (.bootcde, replacing any stored one) and boots from flash, as after
   * `bootheap flash`.
   */
  firmware?: string;
  /** Source code flashed and booted like `firmware`, instead of a file. */
  code?: string;
  /**
   * A flash file that keeps the board's Storage (created when missing, kept after close).
   * Default: a fresh, empty flash in memory for every board.
   */
  flashPath?: string;
  /** The folder relative `firmware` and `flashPath` are resolved against. Default: process.cwd(). */
  cwd?: string;
}

/** `process.memory()` as the board reports it; counts are in JsVar blocks. */
export interface BoardMemoryReport {
  free: number;
  usage: number;
  total: number;
  history: number;
  /** Blocks the garbage collection that process.memory() runs first just freed. */
  gc: number;
  gctime: number;
  /** Bytes per JsVar block. */
  blocksize: number;
}

/** Read access to the board's flash (require("Storage")), without running code on the board. */
export interface BoardStorageReader {
  /** The file's bytes, one char per byte, as Storage.read gives them on the board; undefined when there is no such file. */
  read(name: string): Promise<string | undefined>;
  /** The names of all files, as Storage.list() gives them. */
  list(): Promise<string[]>;
}

export type LineListener = (line: string) => void;

export interface EmulatorBoard {
  /** The board's name, e.g. "PUCKJS". */
  readonly name: string;
  /**
   * Evaluates `expression` on the board (as a console line, silently: no echo, no `=value`)
   * and resolves with its value as plain data: the board turns it into JSON with its own
   * JSON.stringify, the host parses it (undefined and functions come back as undefined). When
   * the expression throws on the board, rejects with a BoardRequestError whose message is the
   * board's error message and whose `errorType` is its type ("TypeError", "SyntaxError", …).
   */
  eval<T = unknown>(expression: string): Promise<T>;
  /** All console output so far (banner, prints, uncaught errors), decoded as UTF-8. */
  readonly output: string;
  /** Calls `listener` with each complete console line, as a terminal shows it (no line end). */
  on(event: "line", listener: LineListener): this;
  off(event: "line", listener: LineListener): this;
  /** Types raw text at the console (e.g. "x = 1\r"); resolves once the board has handled it. */
  send(text: string): Promise<void>;
  /** `process.memory()` on the board (which runs a garbage collection first, as on the device). */
  memory(): Promise<BoardMemoryReport>;
  /** Power off and on: RAM cleared, flash kept, the boot code (.boot0-3, .bootcde) runs again. */
  powerCycle(): Promise<void>;
  readonly storage: BoardStorageReader;
  /** Stops the board's thread. Afterwards eval, send and the others reject; `output` stays readable. */
  close(): Promise<void>;
}

class HostedBoard implements EmulatorBoard {
  private readonly lineListeners = new Set<LineListener>();
  private readonly consoleLines = new ConsoleLines((line) => {
    for (const l of this.lineListeners) l(line);
  });
  readonly storage: BoardStorageReader;

  constructor(readonly name: string, private readonly host: BoardHost) {
    host.onOutput((bytes) => this.consoleLines.feed(bytes));
    this.storage = {
      read: async (name) => (await host.request({ op: "storage-read", name })) as string | undefined,
      list: async () => (await host.request({ op: "storage-list" })) as string[],
    };
  }

  get output(): string {
    return this.consoleLines.text;
  }

  async eval<T = unknown>(expression: string): Promise<T> {
    const json = (await this.host.request({ op: "eval", code: expression })) as string | undefined;
    return (json === undefined ? undefined : JSON.parse(json)) as T;
  }

  on(_event: "line", listener: LineListener): this {
    this.lineListeners.add(listener);
    return this;
  }

  off(_event: "line", listener: LineListener): this {
    this.lineListeners.delete(listener);
    return this;
  }

  async send(text: string): Promise<void> {
    this.host.write(Buffer.from(text, "utf8"));
    await this.host.flush();
  }

  memory(): Promise<BoardMemoryReport> {
    return this.eval<BoardMemoryReport>("process.memory()");
  }

  async powerCycle(): Promise<void> {
    await this.host.request({ op: "power-cycle" });
  }

  close(): Promise<void> {
    return this.host.stop();
  }
}

/** The program to flash: the firmware file's text, `code`, or null for a board without one. */
function programOf(options: EmulateOptions, cwd: string): string | null {
  if (options.firmware !== undefined && options.code !== undefined) throw new Error("emulate: give either firmware (a file) or code, not both");
  if (options.code !== undefined) {
    if (typeof options.code !== "string") throw new Error(`emulate: code must be a string of JavaScript, got ${typeof options.code}`);
    return options.code;
  }
  if (options.firmware === undefined) return null;
  const path = resolve(cwd, options.firmware);
  if (!existsSync(path)) {
    throw new Error(`emulate: firmware file ${JSON.stringify(options.firmware)} not found (looked for ${path}); build it first, e.g. npx bootheap build --board ${options.board}`);
  }
  return readFileSync(path, "utf8");
}

/**
 * Boots `options.board` in the emulator, flashes the firmware (or `code`) as its program and
 * resolves once it has booted and the program's boot has run. Rejects, naming the value and
 * what was expected, for an unknown board, a missing firmware file, or a program that does not
 * fit the board's Storage.
 */
export async function emulate(options: EmulateOptions): Promise<EmulatorBoard> {
  const cwd = resolve(options.cwd ?? process.cwd());
  if (typeof options.board !== "string") throw new Error(`emulate: board must be a board name such as "PUCKJS", got ${JSON.stringify(options.board)}`);
  let profile;
  try {
    profile = loadBoard(options.board);
  } catch (e) {
    throw new Error(`emulate: ${(e as Error).message}`);
  }
  const app = programOf(options, cwd);
  const host = new BoardHost({ board: profile, flashPath: options.flashPath === undefined ? null : resolve(cwd, options.flashPath), app });
  // Listening before the thread boots keeps the banner and the program's boot output.
  const board = new HostedBoard(profile.name, host);
  try {
    const report = await host.ready;
    if (report.appError !== null) throw new Error(`emulate: cannot flash the ${options.firmware === undefined ? "code" : JSON.stringify(options.firmware)} to ${profile.name}: ${report.appError}`);
  } catch (e) {
    await host.stop();
    throw e;
  }
  return board;
}
