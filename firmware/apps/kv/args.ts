// The parsed request, read in place: the argument table in the heap (written by resp.ts) holds
// each argument's (offset, length) in the receive buffer. Option words and numbers are matched
// and parsed there, with no string made.
import { A_ARGC, A_PAIRS } from "./resp.js";
import { WORD_BASE } from "./text.js";

/** The largest whole number kv takes: 2^53 - 1 (a JS number; Espruino has no Number.MAX_SAFE_INTEGER). */
export const INT_MAX = 9007199254740991;

export class Args {
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly u32: Uint32Array;
  /** Word index of the argument table. */
  readonly table: number;
  /** Byte offset of the text table (for option words). */
  readonly texts: number;
  /** Arguments kept in the table; a request may have more (then it is refused). */
  readonly max: number;
  /** The value of the last number parsed by int() or parseInt(). */
  intValue: number;

  constructor(u8: Uint8Array, u16: Uint16Array, u32: Uint32Array, table: number, texts: number, max: number) {
    this.u8 = u8;
    this.u16 = u16;
    this.u32 = u32;
    this.table = table;
    this.texts = texts;
    this.max = max;
    this.intValue = 0;
  }

  count(): number {
    return this.u32[this.table + A_ARGC];
  }

  offset(i: number): number {
    return this.u32[this.table + A_PAIRS + 2 * i];
  }

  /** Bytes of argument i. Not `length`: a method of that name is a write to `.length`, which the gates refuse. */
  lengthOf(i: number): number {
    return this.u32[this.table + A_PAIRS + 2 * i + 1];
  }

  /** Argument i is option word W_*, in any case (letters fold with & 0xdf; words are letters only). */
  is(i: number, word: number): boolean {
    const e = this.texts + 4 * (WORD_BASE + word);
    const n = this.u16[(e + 2) >> 1];
    if (this.lengthOf(i) !== n) return false;
    const u8 = this.u8;
    const p = this.offset(i);
    const q = this.texts + this.u16[e >> 1];
    for (let j = 0; j < n; j++) if ((u8[p + j] & 0xdf) !== u8[q + j]) return false;
    return true;
  }

  /** Parses argument i as a whole number into intValue; false if it is not one. */
  int(i: number): boolean {
    return this.parseInt(this.offset(i), this.lengthOf(i));
  }

  /** Parses u8[p..p+n) as Redis's string2ll does (canonical digits: no "+", no leading zero, no "-0"), up to ±INT_MAX. */
  parseInt(p: number, n: number): boolean {
    const u8 = this.u8;
    if (n === 0 || n > 20) return false;
    let i = 0;
    let neg = false;
    if (u8[p] === 45) {
      neg = true;
      i = 1;
      if (n === 1) return false;
    }
    if (u8[p + i] === 48 && (n > i + 1 || neg)) return false;
    let v = 0;
    for (; i < n; i++) {
      const d = u8[p + i] - 48;
      if (d < 0 || d > 9) return false;
      v = v * 10 + d;
    }
    if (v > INT_MAX) return false;
    this.intValue = neg ? -v : v;
    return true;
  }
}
