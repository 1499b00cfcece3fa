// The RESP2 request parser, zero-copy: it reads a connection's receive buffer in the heap and
// records each argument as an (offset, length) pair in the argument table, itself in the heap.
// Nothing is copied and nothing is allocated. Multibulk (`*2\r\n$3\r\nGET\r\n$1\r\na\r\n`) and
// inline (`GET a\r\n`) requests are both accepted.
import { T_BADBULK, T_BADINLINE, T_BADMULTI, T_EXPECTBULK, T_QUOTES } from "./text.js";

// The argument table (word offsets from its start): argc, error text, then argsMax pairs.
export const A_ARGC = 0;
export const A_ERROR = 1;
export const A_PAIRS = 2;
/** Bytes of the table for `argsMax` arguments. */
export function argsTableBytes(argsMax: number): number {
  return 8 + argsMax * 8;
}

/** More bytes are needed: the request is not complete yet. */
export const INCOMPLETE = 0;
/** The input is not RESP: the table's A_ERROR word holds the text id of the error reply. */
export const BAD = -1;

const MULTIBULK_MAX = 1048576;

/**
 * Parses one request from u8[p..end). Returns the bytes it takes (> 0) with the table filled
 * (argc at word A_ARGC; only the first argsMax pairs are stored, argc may be larger; argc 0 is
 * an empty request to skip), INCOMPLETE, or BAD. `bulkMax` bounds a bulk length: a longer one
 * can never fit the receive buffer and is a protocol error. `t` is the table's word index in u32.
 */
export function parseRequest(u8: Uint8Array, u32: Uint32Array, t: number, argsMax: number, p: number, end: number, bulkMax: number): number {
  if (p >= end) return INCOMPLETE;
  if (u8[p] !== 42) {
    // An inline request: words separated by spaces or tabs up to \n (a \r before it is dropped).
    // (Here, not in a function of its own: the minifier would make a function called from one
    // place anew at every call.)
    let nl = p;
    while (nl < end && u8[nl] !== 10) nl++;
    if (nl >= end) return INCOMPLETE;
    let stop = nl;
    if (stop > p && u8[stop - 1] === 13) stop--;
    let words = 0;
    let w = p;
    while (w < stop) {
      const c = u8[w];
      if (c === 32 || c === 9) {
        w++;
        continue;
      }
      // Quoted words are not supported; a quote is refused rather than misread.
      if (c === 34 || c === 39) return bad(u32, t, T_QUOTES);
      if (c < 32) return bad(u32, t, T_BADINLINE);
      const from = w;
      while (w < stop && u8[w] > 32) w++;
      if (w < stop && u8[w] !== 32 && u8[w] !== 9) return bad(u32, t, T_BADINLINE);
      if (words < argsMax) {
        u32[t + A_PAIRS + 2 * words] = from;
        u32[t + A_PAIRS + 2 * words + 1] = w - from;
      }
      words++;
    }
    u32[t + A_ARGC] = words;
    return nl + 1 - p;
  }
  // *<count>\r\n
  let i = p + 1;
  let count = 0;
  let neg = false;
  if (i < end && u8[i] === 45) {
    neg = true;
    i++;
  }
  const digits0 = i;
  while (i < end && u8[i] >= 48 && u8[i] <= 57) {
    count = count * 10 + u8[i] - 48;
    if (count > MULTIBULK_MAX) return bad(u32, t, T_BADMULTI);
    i++;
  }
  if (i >= end) return INCOMPLETE;
  if (u8[i] !== 13 || i === digits0) return bad(u32, t, T_BADMULTI);
  if (i + 1 >= end) return INCOMPLETE;
  if (u8[i + 1] !== 10) return bad(u32, t, T_BADMULTI);
  i += 2;
  if (neg || count === 0) {
    u32[t + A_ARGC] = 0;
    return i - p;
  }
  for (let a = 0; a < count; a++) {
    if (i >= end) return INCOMPLETE;
    if (u8[i] !== 36) return bad(u32, t, T_EXPECTBULK);
    i++;
    let len = 0;
    const d0 = i;
    while (i < end && u8[i] >= 48 && u8[i] <= 57) {
      len = len * 10 + u8[i] - 48;
      if (len > bulkMax) return bad(u32, t, T_BADBULK);
      i++;
    }
    if (i >= end) return INCOMPLETE;
    if (u8[i] !== 13 || i === d0) return bad(u32, t, T_BADBULK);
    if (i + 1 >= end) return INCOMPLETE;
    if (u8[i + 1] !== 10) return bad(u32, t, T_BADBULK);
    i += 2;
    if (i + len + 2 > end) return INCOMPLETE;
    // The bulk must end with \r\n exactly where its length says: a length that lies is an error.
    if (u8[i + len] !== 13 || u8[i + len + 1] !== 10) return bad(u32, t, T_BADBULK);
    if (a < argsMax) {
      u32[t + A_PAIRS + 2 * a] = i;
      u32[t + A_PAIRS + 2 * a + 1] = len;
    }
    i += len + 2;
  }
  u32[t + A_ARGC] = count;
  return i - p;
}

function bad(u32: Uint32Array, t: number, text: number): number {
  u32[t + A_ERROR] = text;
  return BAD;
}
