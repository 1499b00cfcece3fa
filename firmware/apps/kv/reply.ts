// The RESP writer. A reply is built in one chunk of the reply arena (an ArenaAllocator over the
// scratch region, reset after every command) and moves to the connection's send buffer when the
// chunk is full or the command ends; a full send buffer is written to the socket. So a reply of
// any length (LRANGE of a long list, INFO) streams through fixed buffers. Numbers are written
// digit by digit and constant texts copied from the text table in the heap: nothing here makes
// a string or an object, except `ascii`, which INFO uses.
import type { ArenaAllocator, ArenaResetMode } from "../../../src/allocators/arena.js";
import { C_TX, C_TXN, REPLY_PIECE_BYTES_MAX } from "./config.js";
import { REPLY_BASE } from "./text.js";

export class ReplyWriter {
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly u32: Uint32Array;
  /** Byte offset of the text table. */
  readonly texts: number;
  /** Word index of the error-replies counter in the kv state block. */
  readonly errorCounter: number;
  readonly txBytes: number;
  readonly arena: ArenaAllocator;
  /** The arena chunk a reply is built in. */
  readonly replyBytes: number;
  /** The arena's reset mode, made once: a literal would be a new string per request on Espruino. */
  private readonly retainMode: ArenaResetMode;
  /** The reply being built: its chunk's start, the write cursor and the chunk's end (byte offsets). */
  private start: number;
  private cursor: number;
  private end: number;
  /** The connection record the reply is for. */
  conn: number;
  /** Sends u8[p..p+n) on connection c now (set by the server). */
  send: (c: number, p: number, n: number) => void;

  constructor(u8: Uint8Array, u16: Uint16Array, u32: Uint32Array, texts: number, errorCounter: number, txBytes: number, arena: ArenaAllocator, replyBytes: number, retainMode: ArenaResetMode) {
    this.u8 = u8;
    this.u16 = u16;
    this.u32 = u32;
    this.texts = texts;
    this.errorCounter = errorCounter;
    this.txBytes = txBytes;
    this.arena = arena;
    this.replyBytes = replyBytes;
    this.retainMode = retainMode;
    this.start = 0;
    this.cursor = 0;
    this.end = 0;
    this.conn = 0;
    this.send = function () {};
  }

  /** Starts a reply for connection c in a fresh arena chunk; false when the arena has none. */
  begin(c: number): boolean {
    this.conn = c;
    const start = this.arena.alloc(this.replyBytes, 1);
    if (start === 0) return false;
    this.start = start;
    this.cursor = start;
    this.end = start + this.replyBytes;
    return true;
  }

  /**
   * Ends the reply: the rest moves to the send buffer (or, for a command that threw, is dropped)
   * and the chunk goes back to the arena.
   */
  finish(keepRest: boolean): void {
    if (keepRest) this.spill();
    this.start = this.cursor = this.end = 0;
    this.arena.reset(this.retainMode);
  }

  /**
   * Moves the reply built so far to the connection's send buffer, in pieces of at most the
   * buffer's free room: a full buffer is sent first. The reply may be longer than the buffer.
   */
  spill(): void {
    const c = this.conn;
    const u8 = this.u8;
    const u32 = this.u32;
    const txBytes = this.txBytes;
    let from = this.start;
    let n = this.cursor - from;
    while (n > 0) {
      let have = u32[(c + C_TXN) >> 2];
      if (have === txBytes) {
        this.flush(c);
        have = 0;
      }
      let k = txBytes - have;
      if (k > n) k = n;
      const to = u32[(c + C_TX) >> 2] + have;
      for (let i = 0; i < k; i++) u8[to + i] = u8[from + i];
      u32[(c + C_TXN) >> 2] = have + k;
      from += k;
      n -= k;
    }
    this.cursor = this.start;
  }

  /** Sends connection c's send buffer. */
  flush(c: number): void {
    const n = this.u32[(c + C_TXN) >> 2];
    if (n === 0) return;
    this.u32[(c + C_TXN) >> 2] = 0;
    this.send(c, this.u32[(c + C_TX) >> 2], n);
  }

  /** Makes room for k bytes written at once (k at most REPLY_PIECE_BYTES_MAX). */
  private room(k: number): void {
    if (this.cursor + k > this.end) this.spill();
  }

  byte(b: number): void {
    if (this.cursor >= this.end) this.spill();
    this.u8[this.cursor++] = b;
  }

  /** Copies n heap bytes from p into the reply, in chunk-sized pieces. */
  raw(p: number, n: number): void {
    const u8 = this.u8;
    while (n > 0) {
      if (this.cursor >= this.end) this.spill();
      let k = this.end - this.cursor;
      if (k > n) k = n;
      const to = this.cursor;
      for (let i = 0; i < k; i++) u8[to + i] = u8[p + i];
      this.cursor = to + k;
      p += k;
      n -= k;
    }
  }

  /** The constant reply T_*. */
  text(id: number): void {
    const e = this.texts + 4 * (REPLY_BASE + id);
    this.raw(this.texts + this.u16[e >> 1], this.u16[(e + 2) >> 1]);
  }

  /** An error reply T_*, counted in the state block. */
  error(id: number): void {
    this.u32[this.errorCounter]++;
    this.text(id);
  }

  crlf(): void {
    this.room(2);
    this.u8[this.cursor] = 13;
    this.u8[this.cursor + 1] = 10;
    this.cursor += 2;
  }

  /** Writes `prefix`, the integer v in decimal, CRLF (":5\r\n", "*3\r\n", "$12\r\n"). */
  num(prefix: number, v: number): void {
    this.room(REPLY_PIECE_BYTES_MAX);
    const u8 = this.u8;
    u8[this.cursor++] = prefix;
    this.cursor = digitsAt(u8, this.cursor, v);
    u8[this.cursor] = 13;
    u8[this.cursor + 1] = 10;
    this.cursor += 2;
  }

  int(v: number): void {
    this.num(58, v);
  }

  bulk(p: number, n: number): void {
    this.num(36, n);
    this.raw(p, n);
    this.crlf();
  }

  /** A JS string as ASCII bytes (INFO only: not on the request path of other commands). */
  ascii(s: string): void {
    for (let i = 0; i < s.length; i++) this.byte(s.charCodeAt(i) & 255);
  }

  /** The error reply T_* straight into connection c's send buffer, outside a command (no arena needed); counted. */
  fixedError(c: number, id: number): void {
    this.conn = c;
    const e = this.texts + 4 * (REPLY_BASE + id);
    this.start = this.texts + this.u16[e >> 1];
    this.cursor = this.start + this.u16[(e + 2) >> 1];
    this.spill();
    this.start = this.cursor = this.end = 0;
    this.u32[this.errorCounter]++;
  }
}

/** Writes v (a whole number, |v| < 2^53) in decimal at u8[q..]; returns the offset after it. */
export function digitsAt(u8: Uint8Array, q: number, v: number): number {
  if (v < 0) {
    u8[q++] = 45;
    v = -v;
  }
  let w = 1;
  while (w * 10 <= v) w *= 10;
  while (w >= 1) {
    const d = Math.floor(v / w);
    u8[q++] = 48 + d;
    v -= d * w;
    w = w / 10;
    if (w < 1) break;
  }
  return q;
}
