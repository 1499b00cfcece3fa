// Every constant text kv sends or matches: command names and fixed replies. They are written
// into the heap once at boot, so a request copies bytes from there instead of evaluating string
// literals (each of which is a fresh string on Espruino's interpreter).

/** Command names, uppercase; the index is the command id. */
export const COMMANDS = [
  "PING", "ECHO", "SET", "GET", "DEL", "EXISTS", "INCR", "DBSIZE", "RPUSH", "LPUSH", "LRANGE",
  "LLEN", "LPOP", "FLUSHALL", "INFO", "SAVE", "QUIT", "COMMAND", "CONFIG", "SELECT", "TYPE", "TTL",
];
export const CMD_PING = 0;
export const CMD_ECHO = 1;
export const CMD_SET = 2;
export const CMD_GET = 3;
export const CMD_DEL = 4;
export const CMD_EXISTS = 5;
export const CMD_INCR = 6;
export const CMD_DBSIZE = 7;
export const CMD_RPUSH = 8;
export const CMD_LPUSH = 9;
export const CMD_LRANGE = 10;
export const CMD_LLEN = 11;
export const CMD_LPOP = 12;
export const CMD_FLUSHALL = 13;
export const CMD_INFO = 14;
export const CMD_SAVE = 15;
export const CMD_QUIT = 16;
export const CMD_COMMAND = 17;
export const CMD_CONFIG = 18;
export const CMD_SELECT = 19;
export const CMD_TYPE = 20;
export const CMD_TTL = 21;

/** Fixed replies and pieces of replies, after the command names. */
export const REPLIES = [
  "+OK\r\n",
  "+PONG\r\n",
  "$-1\r\n",
  "*0\r\n",
  "-ERR syntax error\r\n",
  "-ERR value is not an integer or out of range\r\n",
  "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
  "-OOM command not allowed when used memory > 'maxmemory' (kv: the key store is full)\r\n",
  "-OOM command not allowed when used memory > 'maxmemory' (kv: the list pages are full)\r\n",
  "-ERR key too long (keySizeMax)\r\n",
  "-ERR value too long (valueSizeMax)\r\n",
  "-ERR list too long (listLengthMax)\r\n",
  "-ERR invalid expire time in 'set' command\r\n",
  "-ERR increment or decrement would overflow\r\n",
  "-ERR wrong number of arguments for '",
  "' command\r\n",
  "-ERR unknown command '",
  "', with args beginning with: ",
  "-ERR too many arguments (argsMax)\r\n",
  "-ERR Protocol error: invalid multibulk length\r\n",
  "-ERR Protocol error: invalid bulk length\r\n",
  "-ERR Protocol error: expected '$'\r\n",
  "-ERR Protocol error: command longer than the receive buffer\r\n",
  "-ERR Protocol error: unbalanced quotes in request\r\n",
  "-OOM kv: no memory for the reply\r\n",
  "-ERR saving the heap image failed (no Storage, or it is full)\r\n",
  "-ERR max number of clients reached\r\n",
  "-ERR DB index is out of range\r\n",
  "+string\r\n",
  "+list\r\n",
  "+none\r\n",
  "-ERR index out of range\r\n",
  "-ERR Protocol error: control bytes in an inline request\r\n",
  "*-1\r\n",
  "-ERR value is out of range, must be positive\r\n",
  "$0\r\n\r\n",
  "-ERR kv internal error (see the board's console)\r\n",
];
export const T_OK = 0;
export const T_PONG = 1;
export const T_NIL = 2;
export const T_EMPTY = 3;
export const T_SYNTAX = 4;
export const T_NOTINT = 5;
export const T_WRONGTYPE = 6;
export const T_OOM_KEYS = 7;
export const T_OOM_PAGES = 8;
export const T_KEYLONG = 9;
export const T_VALUELONG = 10;
export const T_LISTLONG = 11;
export const T_EXPIRE = 12;
export const T_OVERFLOW = 13;
export const T_ARITY1 = 14;
export const T_ARITY2 = 15;
export const T_UNKNOWN1 = 16;
export const T_UNKNOWN2 = 17;
export const T_TOOMANY = 18;
export const T_BADMULTI = 19;
export const T_BADBULK = 20;
export const T_EXPECTBULK = 21;
export const T_TOOLONG = 22;
export const T_QUOTES = 23;
export const T_OOM_REPLY = 24;
export const T_SAVEFAIL = 25;
export const T_MAXCLIENTS = 26;
export const T_DBINDEX = 27;
export const T_TYPE_STRING = 28;
export const T_TYPE_LIST = 29;
export const T_TYPE_NONE = 30;
export const T_RANGE = 31;
export const T_BADINLINE = 32;
export const T_NILARR = 33;
export const T_POSITIVE = 34;
export const T_EMPTYBULK = 35;
export const T_INTERNAL = 36;

/** Option words matched in arguments, uppercase letters only (matching folds case with & 0xdf). */
export const WORDS = ["NX", "XX", "GET", "KEEPTTL", "EX", "PX", "EXAT", "PXAT", "SYNC", "ASYNC"];
export const W_NX = 0;
export const W_XX = 1;
export const W_GET = 2;
export const W_KEEPTTL = 3;
export const W_EX = 4;
export const W_PX = 5;
export const W_EXAT = 6;
export const W_PXAT = 7;
export const W_SYNC = 8;
export const W_ASYNC = 9;

/** Index of text `id` of a group in the table: commands, then replies, then words. */
export const REPLY_BASE = COMMANDS.length;
export const WORD_BASE = COMMANDS.length + REPLIES.length;

function allTexts(): string[] {
  return COMMANDS.concat(REPLIES, WORDS);
}

/** Bytes the table takes in the heap: per text a u16 offset and u16 length, then the bytes. */
export function textTableBytes(): number {
  const texts = allTexts();
  let n = 4 * texts.length;
  for (let i = 0; i < texts.length; i++) n += texts[i].length;
  return n;
}

/**
 * The texts in the heap at `base`: text i (commands, then replies, then words) has its u16
 * offset from base at base + 4i and its u16 length at base + 4i + 2. Writes them; returns false
 * if `sizeBytes` is too small.
 */
export function writeTexts(u8: Uint8Array, base: number, sizeBytes: number): boolean {
  if (textTableBytes() > sizeBytes) return false;
  const texts = allTexts();
  const count = texts.length;
  let at = 4 * count;
  for (let i = 0; i < count; i++) {
    const s = texts[i];
    const e = base + 4 * i;
    u8[e] = at & 255;
    u8[e + 1] = at >> 8;
    u8[e + 2] = s.length & 255;
    u8[e + 3] = s.length >> 8;
    for (let j = 0; j < s.length; j++) u8[base + at + j] = s.charCodeAt(j);
    at += s.length;
  }
  return true;
}
