// Shared set-up for the emulator tests: a board in this thread with its console output kept.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmulatedBoard } from "../../host/emulator/board.js";
import { loadBoard } from "../../host/boards.js";

export interface TestBoard {
  board: EmulatedBoard;
  /** Console output so far. */
  output(): string;
  /** Types `line` + Enter at the console; returns what the board printed in response. */
  type(line: string): string;
  /** Sends raw bytes; returns what the board printed in response. */
  send(bytes: string): string;
}

export function bootBoard(name = "ESPRUINOWIFI", options: { flashPath?: string | null; chargeCodeText?: boolean } = {}): TestBoard {
  let out = "";
  const board = new EmulatedBoard({
    board: loadBoard(name),
    flashPath: options.flashPath ?? null,
    chargeCodeText: options.chargeCodeText,
    output: (t) => {
      out += t;
    },
  });
  board.powerOn();
  const send = (bytes: string): string => {
    const mark = out.length;
    board.input(bytes);
    return out.slice(mark);
  };
  return { board, output: () => out, send, type: (line) => send(line + "\r") };
}

/** The `=result` a console line prints, or the Uncaught line. */
export function resultOf(t: TestBoard, line: string): string {
  const reply = t.type(line);
  // Skip the echo of the line itself (up to the first CR LF).
  const after = reply.slice(reply.indexOf("\r\n") + 2);
  const m = after.match(/^(=[^\r]*|Uncaught [^\r]*)/m);
  if (!m) throw new Error(`no result for ${JSON.stringify(line)}; got ${JSON.stringify(reply)}`);
  return m[1];
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
