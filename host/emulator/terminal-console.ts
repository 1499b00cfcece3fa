// The board's console on this terminal: raw keys to the board, its output to stdout.
// Ctrl-C goes to the board (it interrupts the program or clears the line); Ctrl-D, or a second
// Ctrl-C with nothing typed since the first, leaves the emulator. Only typed bytes count: how
// long the user waited, what the board printed meanwhile, and whether the two presses came in one
// input chunk or two (a paste, a slow terminal) make no difference.
import type { BoardHost } from "./board-host.js";

const CTRL_C = 3;
const CTRL_D = 4;

/** What a chunk of typed input means: the bytes for the board, and whether the user quit. */
export interface Keys {
  forward: Buffer;
  quit: boolean;
}

/** Reads typed input chunk by chunk, remembering a Ctrl-C across chunks. */
export class QuitKeys {
  /** The last byte typed was a Ctrl-C. */
  private afterCtrlC = false;

  feed(chunk: Buffer): Keys {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      // The board gets what came before the quitting key, not the key itself.
      if (b === CTRL_D || (b === CTRL_C && this.afterCtrlC)) return { forward: chunk.subarray(0, i), quit: true };
      this.afterCtrlC = b === CTRL_C;
    }
    return { forward: chunk, quit: false };
  }
}

/** The streams the console uses (the process's own by default; tests pass their own). */
export interface TerminalIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stdout: { write(data: Uint8Array): unknown };
}

/** `onExit` is called when the user quits, or when stdin ends (after the board answered it). */
export function attachTerminal(host: BoardHost, onExit: () => void, io?: TerminalIo): () => void {
  const stdin: TerminalIo["stdin"] = io ? io.stdin : process.stdin;
  const stdout = io ? io.stdout : process.stdout;
  const raw = stdin.isTTY === true && typeof stdin.setRawMode === "function";
  stdin.pause();
  const keys = new QuitKeys();
  const unsubscribe = host.onOutput((text) => {
    stdout.write(Buffer.from(text, "latin1"));
  });
  const onData = (chunk: Buffer | string): void => {
    const typed = keys.feed(typeof chunk === "string" ? Buffer.from(chunk, "latin1") : chunk);
    if (typed.forward.length > 0) host.write(typed.forward);
    if (typed.quit) onExit();
  };
  // Piped input: let the board answer everything before leaving.
  const onEnd = (): void => void host.flush().then(onExit);
  if (raw) stdin.setRawMode!(true);
  stdin.on("data", onData);
  stdin.on("end", onEnd);
  stdin.resume();
  return () => {
    unsubscribe();
    stdin.off("data", onData);
    stdin.off("end", onEnd);
    if (raw) stdin.setRawMode!(false);
    stdin.pause();
  };
}
