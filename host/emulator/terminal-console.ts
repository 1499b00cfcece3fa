// The board's console on this terminal: raw keys to the board, its output to stdout.
// Ctrl-C goes to the board (it interrupts the program); Ctrl-D, or Ctrl-C twice in a row with
// nothing printed in between, leaves the emulator.
import type { BoardHost } from "./board-host.js";

const DOUBLE_CTRL_C_MS = 1000;

/** `onExit` is called when the user quits, or when stdin ends (after the board answered it). */
export function attachTerminal(host: BoardHost, onExit: () => void): () => void {
  const stdin = process.stdin;
  stdin.pause();
  let lastCtrlC = 0;
  const unsubscribe = host.onOutput((text) => {
    if (text !== "\x08>") lastCtrlC = 0;
    process.stdout.write(Buffer.from(text, "latin1"));
  });
  const onData = (chunk: Buffer): void => {
    if (chunk.includes(4)) return onExit();
    if (chunk.includes(3)) {
      const now = Date.now();
      if (lastCtrlC && now - lastCtrlC < DOUBLE_CTRL_C_MS) return onExit();
      lastCtrlC = now;
    }
    host.write(chunk);
  };
  // Piped input: let the board answer everything before leaving.
  const onEnd = (): void => void host.flush().then(onExit);
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.on("data", onData);
  stdin.on("end", onEnd);
  stdin.resume();
  return () => {
    unsubscribe();
    stdin.off("data", onData);
    stdin.off("end", onEnd);
    if (stdin.isTTY) stdin.setRawMode(false);
    stdin.pause();
  };
}
