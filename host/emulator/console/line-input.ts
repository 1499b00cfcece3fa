// The device console's input side: bytes in, complete statements out. Reproduces what the
// espruino tool relies on: echo of typed characters, a 0x10 at the start of a line turning
// echo (and the result line) off for that line, Enter executing only once brackets balance,
// ESC LF (Alt-Enter) as a newline that never executes, ESC [ n d (line-number marks) ignored,
// Ctrl-C (0x03) clearing the line, 0x05 on an empty line asking for version and board.
import { bracketDepth } from "./brackets.js";

export interface LineInputEvents {
  /** Echo of typed input; only called for echoing lines. */
  echo(text: string): void;
  /**
   * A complete statement; `echo` false when the line began with 0x10; `firstLine` is the line
   * number the tool marked it with (ESC [ n d), or 1.
   */
  line(code: string, echo: boolean, firstLine: number): void;
  /** Ctrl-C with nothing running: the input line was dropped (it held `dropped`). */
  cleared(dropped: string): void;
  enquiry(): void;
  /** The line grew past `maxLineChars()`; the rest of it up to the next newline is dropped. */
  overflow(chars: number): void;
  maxLineChars(): number;
}

const ESC = 0x1b;

export class LineInput {
  private text = "";
  private echoOn = true;
  private escape: "" | "esc" | "csi" = "";
  private discarding = false;
  private csiParams = "";
  private firstLine = 1;

  constructor(private readonly on: LineInputEvents) {}

  get pending(): string {
    return this.text;
  }

  /** False while a line that began with 0x10 is being received: the device echoes nothing of it. */
  get echoing(): boolean {
    return this.echoOn;
  }

  feed(chunk: Uint8Array | string): void {
    const s = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("latin1");
    for (let i = 0; i < s.length; i++) this.byte(s.charCodeAt(i));
  }

  private byte(c: number): void {
    if (this.escape) return this.escapeByte(c);
    if (c === 3) return this.clear();
    if (this.discarding) {
      if (c === 10 || c === 13) this.discarding = false;
      return;
    }
    switch (c) {
      case 0x10:
        if (this.text.length === 0) this.echoOn = false;
        return;
      case 5:
        if (this.text.length === 0) this.on.enquiry();
        return;
      case ESC:
        this.escape = "esc";
        return;
      case 8:
      case 127:
        if (this.text.length) {
          this.text = this.text.slice(0, -1);
          if (this.echoOn) this.on.echo("\x08 \x08");
        }
        return;
      // CR and LF are each an Enter, as on the device (its check for CR LF never matches): after
      // a line ran, the LF of a CR LF is an empty line, which prints nothing.
      case 10:
      case 13:
        return this.enter();
      case 0:
        return;
    }
    this.append(String.fromCharCode(c));
  }

  private escapeByte(c: number): void {
    if (this.escape === "esc") {
      if (c === 10 || c === 13) {
        // Alt-Enter: a newline inside the statement, never an execute.
        this.escape = "";
        this.append("\n");
      } else if (c === 0x5b) {
        this.escape = "csi";
        this.csiParams = "";
      } else {
        this.escape = "";
      }
      return;
    }
    // CSI: parameters then one final byte (letters, ~). ESC [ n d marks the line number of the
    // statement that follows (the espruino tool sends it so errors name file lines); arrows
    // and other sequences are ignored.
    if ((c >= 0x40 && c <= 0x7e) || c < 0x20) {
      this.escape = "";
      const n = Number(this.csiParams);
      if (c === 0x64 && this.text.length === 0 && Number.isInteger(n) && n > 0) this.firstLine = n;
    } else {
      this.csiParams += String.fromCharCode(c);
    }
  }

  private append(ch: string): void {
    this.text += ch;
    if (this.text.length > this.on.maxLineChars()) {
      const n = this.text.length;
      this.text = "";
      this.echoOn = true;
      this.discarding = true;
      this.on.overflow(n);
      return;
    }
    if (this.echoOn) this.on.echo(ch === "\n" ? "\r\n:" : ch);
  }

  private enter(): void {
    if (this.text.trim().length > 0 && bracketDepth(this.text) > 0) {
      this.append("\n");
      return;
    }
    const code = this.text;
    const echo = this.echoOn;
    const firstLine = this.firstLine;
    this.text = "";
    this.echoOn = true;
    this.firstLine = 1;
    this.on.line(code, echo, firstLine);
  }

  /** Power-off: whatever was typed and not run is gone, silently. */
  reset(): void {
    this.text = "";
    this.echoOn = true;
    this.escape = "";
    this.discarding = false;
    this.csiParams = "";
    this.firstLine = 1;
  }

  private clear(): void {
    const dropped = this.text;
    this.text = "";
    this.echoOn = true;
    this.escape = "";
    this.discarding = false;
    this.on.cleared(dropped);
  }
}
