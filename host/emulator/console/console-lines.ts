// The board's console text as a host program wants it: the board sends bytes (one char per
// byte, as the device's UART does), the host reads UTF-8; and whole lines as a terminal shows
// them, for line listeners.

export class ConsoleLines {
  private readonly decoder = new TextDecoder("utf-8");
  private partial = "";
  /** Everything decoded so far. */
  text = "";

  constructor(private readonly onLine: (line: string) => void) {}

  /** Takes one chunk of the board's output (bytes as latin1 chars). */
  feed(bytes: string): void {
    // stream: a UTF-8 sequence split across two chunks is decoded once it is whole.
    const chunk = this.decoder.decode(Buffer.from(bytes, "latin1"), { stream: true });
    this.text += chunk;
    const lines = (this.partial + chunk).split("\n");
    this.partial = lines.pop()!;
    for (const l of lines) this.onLine(visibleLine(l));
  }
}

/** A terminal control sequence (ESC [ … letter): cursor moves, erase, line-wrap off. */
const CONTROL_SEQUENCE = /\x1b\[[0-9;?]*[A-Za-z]/g;

/**
 * A line as a terminal leaves it: the device takes its prompt and typed input off the line
 * (cursor moves, CR, ESC [J) before it prints, so what follows the last CR, without control
 * sequences, is what stays visible.
 */
export function visibleLine(raw: string): string {
  const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  return line.slice(line.lastIndexOf("\r") + 1).replace(CONTROL_SEQUENCE, "");
}
