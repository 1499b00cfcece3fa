// The command engine: looks a parsed request up, runs it against the store and the lists, and
// builds the reply in a per-request arena that is reset after every command. A reply longer than
// the arena (LRANGE, INFO) streams: full arena contents move on to the connection's send buffer.
// Nothing here allocates engine memory on the request path except INFO's text.
import type { Allocator } from "../../../src/allocator.js";
import { ArenaAllocator, ArenaResetMode } from "../../../src/allocators/arena.js";
import type { Memory } from "../../../src/app.js";
import {
  C_FLAGS, C_TX, C_TXN, E_EXPIRE, E_HEAD, E_KEY, E_KEYLEN, E_LEN, E_NEXT, E_TAIL, E_TYPE, P_COUNT, P_NEXT, K_COMMANDS, K_CONNS, K_ERRORS, K_LAYOUT, K_MAGIC,
  K_REJECTED, K_SAVES, KV_MAGIC, REPLY_PIECE_BYTES_MAX, KvConfig, kvLayout, KvLayout, kvMemoryReport, STATE_BYTES, TYPE_LIST, TYPE_STRING,
} from "./config.js";
import { say } from "../../device.js";
import { fail } from "../../../src/heap/errors.js";
import { Lists } from "./lists.js";
import { A_ARGC, A_PAIRS, argsTableBytes } from "./resp.js";
import { nowMs, Store } from "./store.js";
import {
  CMD_COMMAND, CMD_CONFIG, CMD_DBSIZE, CMD_DEL, CMD_ECHO, CMD_EXISTS, CMD_FLUSHALL, CMD_GET, CMD_INCR, CMD_INFO, CMD_LLEN,
  CMD_LPOP, CMD_LPUSH, CMD_LRANGE, CMD_PING, CMD_QUIT, CMD_RPUSH, CMD_SAVE, CMD_SELECT, CMD_SET, CMD_TTL, CMD_TYPE, COMMANDS,
  REPLIES, T_ARITY1, T_ARITY2, T_DBINDEX, T_EMPTY, T_EMPTYBULK, T_EXPIRE, T_KEYLONG, T_LISTLONG, T_NIL, T_NILARR, T_NOTINT, T_OK,
  T_OOM_KEYS, T_OOM_PAGES, T_OOM_REPLY, T_OVERFLOW, T_PONG, T_POSITIVE, T_SAVEFAIL, T_SYNTAX, T_TOOMANY, T_TYPE_LIST,
  T_INTERNAL, T_TYPE_NONE, T_TYPE_STRING, T_UNKNOWN1, T_UNKNOWN2, T_VALUELONG, T_WRONGTYPE, textTableBytes, W_ASYNC, W_EX, W_EXAT,
  W_GET, W_KEEPTTL, W_NX, W_PX, W_PXAT, W_SYNC, W_XX, WORD_BASE, writeTexts,
} from "./text.js";

// SET's options as bits.
const SET_NX = 1;
const SET_XX = 2;
const SET_GET = 4;
const SET_KEEPTTL = 8;
const SET_EX = 16;
const SET_PX = 32;
const SET_EXAT = 64;
const SET_PXAT = 128;
const SET_EXPIRY = SET_EX | SET_PX | SET_EXAT | SET_PXAT;

/** Connection flag: close once the replies so far are sent. */
export const FLAG_CLOSING = 1;

const INT_MAX = 9007199254740991;
const HASH_SLOTS = 64;

interface Resettable {
  reset?: () => void;
}

function resetRaw(a: Allocator | undefined): void {
  const r = a as (Allocator & Resettable) | undefined;
  if (r !== undefined && typeof r.reset === "function") r.reset();
}

/** Boot-time only: out of memory here means the plan is wrong, so it throws (code OutOfMemory). */
function outOfMemory(bytes: number, what: string): never {
  const e = new Error("OutOfMemory: kv cannot take " + bytes + " bytes for " + what) as Error & { code: string };
  e.code = "OutOfMemory";
  throw e;
}

function take(a: Allocator, bytes: number, what: string): number {
  const p = a.alloc(bytes, 8);
  if (p === 0) outOfMemory(bytes, what);
  return p;
}

function layoutHash(l: KvLayout): number {
  const c = l.config;
  const parts = [c.connectionsMax, c.keyCount, c.keySizeMax, c.valueSizeMax, c.listLengthMax, l.argsMax, l.entryBytes, l.pageBytes, l.pageCount, l.bucketCount, l.rxBytes];
  let h = 17;
  for (let i = 0; i < parts.length; i++) h = ((h * 31) ^ parts[i]) >>> 0;
  return h;
}

export class Kv {
  readonly memory: Memory;
  readonly layout: KvLayout;
  readonly config: KvConfig;
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;
  readonly store: Store;
  readonly lists: Lists;
  readonly arena: ArenaAllocator;
  /** The arena's reset mode, made once (a literal would be a new string per request on Espruino). */
  private readonly keep: ArenaResetMode;
  /** Byte offset of the kv state block, the argument table, the text table. */
  readonly state: number;
  readonly args: number;
  /** Word index of the argument table. */
  readonly t: number;
  readonly texts: number;
  readonly argsMax: number;
  readonly keySizeMax: number;
  readonly valueSizeMax: number;
  readonly listLengthMax: number;
  /** Reply arena capacity asked for each request. */
  readonly cap: number;
  readonly txBytes: number;
  /** Command lookup: HASH_SLOTS entries of command id + 1 (0 = empty), open addressing. */
  private readonly slots: number[];
  /** The reply being built: start, cursor, end (byte offsets), and the connection it is for. */
  private rb: number;
  private rp: number;
  private re: number;
  conn: number;
  /** An integer argument's value after intArg(). */
  private intValue: number;
  /** Sends u8[p..p+n) on connection c now (set by the server). */
  write: (c: number, p: number, n: number) => void;
  /** Writes the heap image to Storage (SAVE). */
  save: () => boolean;
  /** Lines for INFO's clients section (set by the server). */
  clients: () => number;
  /** Told about a command that threw (a bug): prints it by default; tests rethrow. */
  onInternalError: (e: unknown) => void;
  /** Bulk-reply callback for list walks, made once. */
  readonly onBulk: (p: number, n: number) => void;
  /** True when the store came back from a saved image (and its layout matched). */
  restored: boolean;
  /** The TCP port the server listens on (INFO's tcp_port); set by KvServer.listen. */
  port: number;

  constructor(memory: Memory, config: KvConfig, restored: boolean) {
    const l = kvLayout(config);
    this.memory = memory;
    this.layout = l;
    this.config = config;
    const heap = memory.heap;
    this.u8 = heap.u8;
    this.u16 = heap.u16;
    this.u32 = heap.u32;
    this.f64 = heap.f64;
    const a = memory.allocators;
    const raw = memory.raw;
    // Bump regions, through the unwrapped allocators: reset and take again, so a restored image
    // gives the same offsets (and data), in debug builds too (they wrap fixed regions with canaries).
    resetRaw(raw.state);
    resetRaw(raw.args);
    resetRaw(raw.text);
    resetRaw(raw.buckets);
    resetRaw(raw.scratch);
    // No connection survives a restart.
    resetRaw(raw.conns);
    resetRaw(raw.rx);
    resetRaw(raw.tx);
    this.state = take(raw.state, STATE_BYTES, "its state");
    this.args = take(raw.args, argsTableBytes(l.argsMax), "the argument table");
    this.t = this.args >> 2;
    this.texts = take(raw.text, textTableBytes(), "its texts");
    writeTexts(this.u8, this.texts, textTableBytes());
    const buckets = take(raw.buckets, l.bucketCount * 4, "the hash table");
    this.arena = new ArenaAllocator(raw.scratch);
    this.keep = "retain_capacity";
    this.cap = l.replyBytes;
    // One chunk of the whole capacity, kept by every reset("retain_capacity").
    if (this.arena.alloc(this.cap, 1) === 0) {
      this.arena.deinit();
      outOfMemory(this.cap, "the reply arena (has ArenaAllocator's state outgrown REPLY_ARENA_OVERHEAD_BYTES?)");
    }
    this.arena.reset(this.keep);
    this.argsMax = l.argsMax;
    this.keySizeMax = config.keySizeMax;
    this.valueSizeMax = config.valueSizeMax;
    this.listLengthMax = config.listLengthMax;
    this.txBytes = l.txBytes;
    this.store = new Store(this.u8, this.u32, this.f64, a.keys, buckets, l.bucketCount, config.keySizeMax, l.entryBytes, config.keyCount, this.state);
    this.lists = new Lists(this.u8, this.u16, this.u32, a.pages, l.pageBytes, l.pagePayload, l.pageCount);
    const lists = this.lists;
    this.store.freeList = function (e: number) {
      lists.free(e);
    };
    const s = this.state >> 2;
    const hash = layoutHash(l);
    this.port = l.port;
    this.restored = restored && this.u32[s + (K_MAGIC >> 2)] === KV_MAGIC && this.u32[s + (K_LAYOUT >> 2)] === hash;
    if (!this.restored) {
      resetRaw(raw.keys);
      resetRaw(raw.pages);
      for (let i = 0; i < STATE_BYTES >> 2; i++) this.u32[s + i] = 0;
      this.store.clearBuckets();
      this.u32[s + (K_MAGIC >> 2)] = KV_MAGIC;
      this.u32[s + (K_LAYOUT >> 2)] = hash;
    }
    this.slots = [];
    for (let i = 0; i < HASH_SLOTS; i++) this.slots.push(0);
    for (let id = 0; id < COMMANDS.length; id++) {
      let h = this.nameHash(this.texts + this.u16[(this.texts + 4 * id) >> 1], COMMANDS[id].length);
      while (this.slots[h] !== 0) h = (h + 1) & (HASH_SLOTS - 1);
      this.slots[h] = id + 1;
    }
    this.rb = 0;
    this.rp = 0;
    this.re = 0;
    this.conn = 0;
    this.intValue = 0;
    this.write = function () {};
    this.save = function () {
      return memory.save();
    };
    this.clients = function () {
      return 0;
    };
    this.onInternalError = function (e: unknown) {
      say("kv: internal error: " + String(e && (e as Error).message));
    };
    const self = this;
    this.onBulk = function (p: number, n: number) {
      self.bulk(p, n);
    };
  }

  /** Case-insensitive hash of a command name. */
  private nameHash(p: number, n: number): number {
    const u8 = this.u8;
    let h = n;
    for (let i = 0; i < n; i++) h = (h * 31 + (u8[p + i] & 0xdf)) & 0xffff;
    return h & (HASH_SLOTS - 1);
  }

  /** The command id of the name at u8[p..p+n), or -1. */
  lookup(p: number, n: number): number {
    const u8 = this.u8;
    let h = this.nameHash(p, n);
    for (let probes = 0; probes < HASH_SLOTS; probes++) {
      const id = this.slots[h] - 1;
      if (id < 0) return -1;
      const e = this.texts + 4 * id;
      if (this.u16[(e + 2) >> 1] === n) {
        const q = this.texts + this.u16[e >> 1];
        let i = 0;
        while (i < n && (u8[p + i] & 0xdf) === u8[q + i]) i++;
        // & 0xdf folds case for letters; a name is letters only, so a digit or symbol cannot match.
        if (i === n) return id;
      }
      h = (h + 1) & (HASH_SLOTS - 1);
    }
    return -1;
  }

  // ---- arguments ----

  argc(): number {
    return this.u32[this.t + A_ARGC];
  }
  ap(i: number): number {
    return this.u32[this.t + A_PAIRS + 2 * i];
  }
  an(i: number): number {
    return this.u32[this.t + A_PAIRS + 2 * i + 1];
  }

  /** Argument i is option word `word` (W_*), in any case: compared with the text table, no string made. */
  private argIs(i: number, word: number): boolean {
    const e = this.texts + 4 * (WORD_BASE + word);
    const n = this.u16[(e + 2) >> 1];
    if (this.an(i) !== n) return false;
    const u8 = this.u8;
    const p = this.ap(i);
    const q = this.texts + this.u16[e >> 1];
    for (let j = 0; j < n; j++) if ((u8[p + j] & 0xdf) !== u8[q + j]) return false;
    return true;
  }

  /** Parses argument i as a whole number (strictly, as Redis does) into this.intValue. */
  private intArg(i: number): boolean {
    return this.parseInt(this.ap(i), this.an(i));
  }

  private parseInt(p: number, n: number): boolean {
    const u8 = this.u8;
    if (n === 0 || n > 20) return false;
    let i = 0;
    let neg = false;
    if (u8[p] === 45) {
      neg = true;
      i = 1;
      if (n === 1) return false;
    }
    // Canonical digits only, as Redis's string2ll: no leading zero, no "-0".
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

  // ---- the reply ----

  /**
   * Moves the reply built so far to the connection's send buffer, in pieces of at most the
   * buffer's free room: a full buffer is sent first. The reply may be longer than the buffer.
   */
  private spill(): void {
    const c = this.conn;
    const u8 = this.u8;
    const u32 = this.u32;
    const txBytes = this.txBytes;
    let from = this.rb;
    let n = this.rp - from;
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
    this.rp = this.rb;
  }

  /** Sends connection c's send buffer. */
  flush(c: number): void {
    const n = this.u32[(c + C_TXN) >> 2];
    if (n === 0) return;
    this.u32[(c + C_TXN) >> 2] = 0;
    this.write(c, this.u32[(c + C_TX) >> 2], n);
  }

  private room(k: number): void {
    if (this.rp + k > this.re) this.spill();
  }

  private byte(b: number): void {
    if (this.rp >= this.re) this.spill();
    this.u8[this.rp++] = b;
  }

  /** Copies n heap bytes from p into the reply, in arena-sized pieces. */
  private raw(p: number, n: number): void {
    const u8 = this.u8;
    while (n > 0) {
      if (this.rp >= this.re) this.spill();
      let k = this.re - this.rp;
      if (k > n) k = n;
      const r = this.rp;
      for (let i = 0; i < k; i++) u8[r + i] = u8[p + i];
      this.rp = r + k;
      p += k;
      n -= k;
    }
  }

  private text(id: number): void {
    const e = this.texts + 4 * (COMMANDS.length + id);
    this.raw(this.texts + this.u16[e >> 1], this.u16[(e + 2) >> 1]);
  }

  private error(id: number): void {
    this.u32[(this.state + K_ERRORS) >> 2]++;
    this.text(id);
  }

  private crlf(): void {
    this.room(2);
    this.u8[this.rp] = 13;
    this.u8[this.rp + 1] = 10;
    this.rp += 2;
  }

  /** Writes `prefix`, the integer v in decimal, CRLF (":5\r\n", "*3\r\n", "$12\r\n"). */
  private num(prefix: number, v: number): void {
    this.room(REPLY_PIECE_BYTES_MAX);
    const u8 = this.u8;
    u8[this.rp++] = prefix;
    this.rp = this.digitsAt(this.rp, v);
    u8[this.rp] = 13;
    u8[this.rp + 1] = 10;
    this.rp += 2;
  }

  /** Writes v in decimal at q; returns the offset after it. */
  private digitsAt(q: number, v: number): number {
    const u8 = this.u8;
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

  private int(v: number): void {
    this.num(58, v);
  }

  bulk(p: number, n: number): void {
    this.num(36, n);
    this.raw(p, n);
    this.crlf();
  }

  /** A JS string as ASCII bytes (INFO only). */
  private str(s: string): void {
    for (let i = 0; i < s.length; i++) this.byte(s.charCodeAt(i) & 255);
  }

  // ---- a request ----

  /**
   * Runs the parsed request in the argument table for connection c and leaves its reply in
   * c's send buffer. QUIT sets FLAG_CLOSING on c.
   */
  exec(c: number): void {
    this.conn = c;
    const rb = this.arena.alloc(this.cap, 1);
    if (rb === 0) {
      // No arena: the fixed reply goes from the text table to the send buffer directly.
      this.replyText(c, T_OOM_REPLY);
      return;
    }
    this.rb = rb;
    this.rp = rb;
    this.re = rb + this.cap;
    try {
      this.run();
      this.spill();
    } catch (e) {
      // A bug, not bad input: that client gets an error and is closed, the server goes on.
      this.rp = this.rb;
      this.arena.reset(this.keep);
      this.replyText(c, T_INTERNAL);
      this.u32[(c + C_FLAGS) >> 2] |= FLAG_CLOSING;
      this.onInternalError(e);
      return;
    }
    this.rb = this.rp = this.re = 0;
    this.arena.reset(this.keep);
    this.u32[(this.state + K_COMMANDS) >> 2]++;
  }

  private arity(id: number): void {
    this.error(T_ARITY1);
    const e = this.texts + 4 * id;
    const q = this.texts + this.u16[e >> 1];
    const n = this.u16[(e + 2) >> 1];
    for (let i = 0; i < n; i++) this.byte(this.u8[q + i] | 0x20);
    this.text(T_ARITY2);
  }

  private unknown(): void {
    this.error(T_UNKNOWN1);
    this.quoted(0);
    this.text(T_UNKNOWN2);
    const argc = this.argc() < this.argsMax ? this.argc() : this.argsMax;
    for (let i = 1; i < argc; i++) {
      this.byte(39);
      this.quoted(i);
      this.byte(39);
      this.byte(32);
    }
    this.crlf();
  }

  /** Argument i's first 128 bytes, control bytes as spaces (an error line must stay one line). */
  private quoted(i: number): void {
    const p = this.ap(i);
    const n = this.an(i) < 128 ? this.an(i) : 128;
    for (let j = 0; j < n; j++) {
      const b = this.u8[p + j];
      this.byte(b < 32 ? 32 : b);
    }
  }

  private run(): void {
    const argc = this.argc();
    const id = this.lookup(this.ap(0), this.an(0));
    if (id < 0) return this.unknown();
    if (argc > this.argsMax) return this.error(T_TOOMANY);
    switch (id) {
      case CMD_PING:
        if (argc > 2) return this.arity(id);
        if (argc === 2) return this.bulk(this.ap(1), this.an(1));
        return this.text(T_PONG);
      case CMD_ECHO:
        if (argc !== 2) return this.arity(id);
        return this.bulk(this.ap(1), this.an(1));
      case CMD_SET:
        if (argc < 3) return this.arity(id);
        return this.set(argc);
      case CMD_GET:
        if (argc !== 2) return this.arity(id);
        return this.get();
      case CMD_DEL:
      case CMD_EXISTS:
        if (argc < 2) return this.arity(id);
        return this.delExists(argc, id === CMD_DEL);
      case CMD_INCR:
        if (argc !== 2) return this.arity(id);
        return this.incr();
      case CMD_DBSIZE:
        if (argc !== 1) return this.arity(id);
        return this.int(this.store.sweep());
      case CMD_RPUSH:
      case CMD_LPUSH:
        if (argc < 3) return this.arity(id);
        return this.push(argc, id === CMD_LPUSH);
      case CMD_LRANGE:
        if (argc !== 4) return this.arity(id);
        return this.lrange();
      case CMD_LLEN:
        if (argc !== 2) return this.arity(id);
        return this.llen();
      case CMD_LPOP:
        if (argc < 2 || argc > 3) return this.arity(id);
        return this.lpop(argc);
      case CMD_FLUSHALL:
        // SYNC and ASYNC both flush at once (there is no background thread to hand it to).
        if (argc > 2 || (argc === 2 && !this.argIs(1, W_SYNC) && !this.argIs(1, W_ASYNC))) return this.error(T_SYNTAX);
        this.store.flush();
        return this.text(T_OK);
      case CMD_INFO:
        return this.info(argc);
      case CMD_SAVE:
        if (argc !== 1) return this.arity(id);
        this.u32[(this.state + K_SAVES) >> 2]++;
        return this.save() ? this.text(T_OK) : this.error(T_SAVEFAIL);
      case CMD_QUIT:
        this.u32[(this.conn + C_FLAGS) >> 2] |= FLAG_CLOSING;
        return this.text(T_OK);
      case CMD_COMMAND:
        // Enough for redis-cli to start: no command docs.
        return this.text(T_EMPTY);
      case CMD_CONFIG:
        if (argc < 2) return this.arity(id);
        if (argc === 3 && this.argIs(1, W_GET)) {
          // Every parameter reads as empty (redis-benchmark asks for "save" and "appendonly").
          this.num(42, 2);
          this.bulk(this.ap(2), this.an(2));
          return this.text(T_EMPTYBULK);
        }
        return this.text(T_OK);
      case CMD_SELECT:
        if (argc !== 2) return this.arity(id);
        if (!this.intArg(1)) return this.error(T_NOTINT);
        return this.intValue === 0 ? this.text(T_OK) : this.error(T_DBINDEX);
      case CMD_TYPE: {
        if (argc !== 2) return this.arity(id);
        const e = this.find(1);
        if (e === 0) return this.text(T_TYPE_NONE);
        return this.text(this.u8[e + E_TYPE] === TYPE_LIST ? T_TYPE_LIST : T_TYPE_STRING);
      }
      case CMD_TTL: {
        if (argc !== 2) return this.arity(id);
        const e = this.find(1);
        if (e === 0) return this.int(-2);
        const at = this.f64[(e + E_EXPIRE) >> 3];
        if (at === 0) return this.int(-1);
        return this.int(Math.floor((at - nowMs() + 500) / 1000));
      }
    }
    return this.unknown();
  }

  /** The live entry named by argument i, or 0. */
  private find(i: number): number {
    return this.store.find(this.ap(i), this.an(i));
  }

  /**
   * SET key value [NX | XX] [GET] [EX s | PX ms | EXAT unix-s | PXAT unix-ms | KEEPTTL], as
   * Redis 7 parses it: options in any order, the same one repeated is allowed (the last expiry
   * wins), conflicting ones are a syntax error, and the expiry value is checked after them all.
   */
  private set(argc: number): void {
    const keyLength = this.an(1);
    const valueLength = this.an(2);
    if (keyLength > this.keySizeMax) return this.error(T_KEYLONG);
    if (valueLength > this.valueSizeMax) return this.error(T_VALUELONG);
    let flags = 0;
    let expireArg = 0;
    for (let i = 3; i < argc; i++) {
      const expiry = this.expiryOption(i);
      if (this.argIs(i, W_NX) && (flags & SET_XX) === 0) flags |= SET_NX;
      else if (this.argIs(i, W_XX) && (flags & SET_NX) === 0) flags |= SET_XX;
      else if (this.argIs(i, W_GET)) flags |= SET_GET;
      else if (this.argIs(i, W_KEEPTTL) && (flags & SET_EXPIRY) === 0) flags |= SET_KEEPTTL;
      else if (expiry !== 0 && i + 1 < argc && (flags & (SET_KEEPTTL | (SET_EXPIRY & ~expiry))) === 0) {
        flags |= expiry;
        expireArg = ++i;
      } else {
        return this.error(T_SYNTAX);
      }
    }
    let at = 0;
    if (expireArg !== 0) {
      if (!this.intArg(expireArg)) return this.error(T_NOTINT);
      if (this.intValue <= 0) return this.error(T_EXPIRE);
      const ms = (flags & (SET_EX | SET_EXAT)) !== 0 ? this.intValue * 1000 : this.intValue;
      at = (flags & (SET_EX | SET_PX)) !== 0 ? nowMs() + ms : ms;
    }
    const get = (flags & SET_GET) !== 0;
    let e = this.find(1);
    if (get && e !== 0 && this.u8[e + E_TYPE] !== TYPE_STRING) return this.error(T_WRONGTYPE);
    if (((flags & SET_NX) !== 0 && e !== 0) || ((flags & SET_XX) !== 0 && e === 0)) {
      return get && e !== 0 ? this.bulkValue(e) : this.text(T_NIL);
    }
    if (e === 0) {
      e = this.store.insert(this.ap(1), keyLength, TYPE_STRING);
      if (e === 0 && this.store.sweep() < this.config.keyCount) e = this.store.insert(this.ap(1), keyLength, TYPE_STRING);
      if (e === 0) return this.error(T_OOM_KEYS);
      if (get) this.text(T_NIL);
    } else {
      // The old value goes into the reply before the new one overwrites it.
      if (get) this.bulkValue(e);
      if (this.u8[e + E_TYPE] === TYPE_LIST) {
        this.lists.free(e);
        this.u8[e + E_TYPE] = TYPE_STRING;
      }
    }
    const u8 = this.u8;
    const v = e + E_KEY + this.keySizeMax;
    const p = this.ap(2);
    for (let i = 0; i < valueLength; i++) u8[v + i] = u8[p + i];
    this.u32[(e + E_LEN) >> 2] = valueLength;
    if ((flags & SET_KEEPTTL) === 0) this.f64[(e + E_EXPIRE) >> 3] = at;
    // An EXAT/PXAT already past: Redis sets, then deletes the key at once.
    if (at !== 0 && at <= nowMs()) this.store.remove(e);
    if (!get) this.text(T_OK);
  }

  /** The SET_* flag of the expiry option argument i names (EX, PX, EXAT, PXAT), or 0. */
  private expiryOption(i: number): number {
    if (this.argIs(i, W_EX)) return SET_EX;
    if (this.argIs(i, W_PX)) return SET_PX;
    if (this.argIs(i, W_EXAT)) return SET_EXAT;
    if (this.argIs(i, W_PXAT)) return SET_PXAT;
    return 0;
  }

  /** A string entry's value as a bulk reply. */
  private bulkValue(e: number): void {
    this.bulk(e + E_KEY + this.keySizeMax, this.u32[(e + E_LEN) >> 2]);
  }

  private get(): void {
    const e = this.find(1);
    if (e === 0) return this.text(T_NIL);
    if (this.u8[e + E_TYPE] !== TYPE_STRING) return this.error(T_WRONGTYPE);
    return this.bulkValue(e);
  }

  private delExists(argc: number, del: boolean): void {
    let n = 0;
    for (let i = 1; i < argc; i++) {
      const e = this.find(i);
      if (e !== 0) {
        n++;
        if (del) this.store.remove(e);
      }
    }
    return this.int(n);
  }

  private incr(): void {
    const kn = this.an(1);
    if (kn > this.keySizeMax) return this.error(T_KEYLONG);
    let e = this.find(1);
    let v = 0;
    if (e !== 0) {
      if (this.u8[e + E_TYPE] !== TYPE_STRING) return this.error(T_WRONGTYPE);
      if (!this.parseInt(e + E_KEY + this.keySizeMax, this.u32[(e + E_LEN) >> 2])) return this.error(T_NOTINT);
      v = this.intValue;
    }
    if (v >= INT_MAX) return this.error(T_OVERFLOW);
    v++;
    if (this.digitCount(v) > this.valueSizeMax) return this.error(T_VALUELONG);
    if (e === 0) {
      e = this.store.insert(this.ap(1), kn, TYPE_STRING);
      if (e === 0 && this.store.sweep() < this.config.keyCount) e = this.store.insert(this.ap(1), kn, TYPE_STRING);
      if (e === 0) return this.error(T_OOM_KEYS);
    }
    const v0 = e + E_KEY + this.keySizeMax;
    this.u32[(e + E_LEN) >> 2] = this.digitsAt(v0, v) - v0;
    return this.int(v);
  }

  private digitCount(v: number): number {
    let n = v < 0 ? 2 : 1;
    if (v < 0) v = -v;
    while (v >= 10) {
      v = Math.floor(v / 10);
      n++;
    }
    return n;
  }

  private push(argc: number, left: boolean): void {
    const kn = this.an(1);
    if (kn > this.keySizeMax) return this.error(T_KEYLONG);
    for (let i = 2; i < argc; i++) if (this.an(i) > this.valueSizeMax) return this.error(T_VALUELONG);
    let e = this.find(1);
    if (e !== 0 && this.u8[e + E_TYPE] !== TYPE_LIST) return this.error(T_WRONGTYPE);
    const len = e === 0 ? 0 : this.u32[(e + E_LEN) >> 2];
    if (len + argc - 2 > this.listLengthMax) return this.error(T_LISTLONG);
    // Every page first, then the key: out of memory at either step changes nothing.
    if (!this.lists.reserve(e, left, this.u32, this.t + A_PAIRS + 2 * 2 + 1, 2, argc - 2)) return this.error(T_OOM_PAGES);
    if (e === 0) {
      e = this.store.insert(this.ap(1), kn, TYPE_LIST);
      if (e === 0) {
        this.lists.release();
        return this.error(T_OOM_KEYS);
      }
    }
    for (let i = 2; i < argc; i++) this.lists.push(e, left, this.ap(i), this.an(i));
    this.lists.release();
    return this.int(this.u32[(e + E_LEN) >> 2]);
  }

  private list(i: number): number {
    const e = this.find(i);
    if (e !== 0 && this.u8[e + E_TYPE] !== TYPE_LIST) {
      this.error(T_WRONGTYPE);
      return -1;
    }
    return e;
  }

  private lrange(): void {
    if (!this.intArg(2)) return this.error(T_NOTINT);
    let from = this.intValue;
    if (!this.intArg(3)) return this.error(T_NOTINT);
    let to = this.intValue;
    const e = this.list(1);
    if (e < 0) return;
    if (e === 0) return this.text(T_EMPTY);
    const len = this.u32[(e + E_LEN) >> 2];
    if (from < 0) from += len;
    if (to < 0) to += len;
    if (from < 0) from = 0;
    if (to >= len) to = len - 1;
    if (from > to || from >= len) return this.text(T_EMPTY);
    this.num(42, to - from + 1);
    this.lists.range(e, from, to, this.onBulk);
  }

  private llen(): void {
    const e = this.list(1);
    if (e < 0) return;
    return this.int(e === 0 ? 0 : this.u32[(e + E_LEN) >> 2]);
  }

  private lpop(argc: number): void {
    let count = -1;
    if (argc === 3) {
      if (!this.intArg(2) || this.intValue < 0) return this.error(T_POSITIVE);
      count = this.intValue;
    }
    const e = this.list(1);
    if (e < 0) return;
    if (e === 0) return this.text(count < 0 ? T_NIL : T_NILARR);
    const len = this.u32[(e + E_LEN) >> 2];
    let n = count < 0 ? 1 : count < len ? count : len;
    if (count >= 0) this.num(42, n);
    let left = len;
    while (n-- > 0) left = this.lists.popLeft(e, this.onBulk);
    if (left === 0) this.store.remove(e);
  }

  // ---- INFO (not on the hot path: it builds JS strings) ----

  private info(argc: number): void {
    // Redis 7 takes any number of sections; none, "all", "everything" or "default" is every one.
    let asked = " ";
    for (let a = 1; a < argc; a++) {
      for (let i = 0; i < this.an(a); i++) asked += String.fromCharCode(this.u8[this.ap(a) + i] | 0x20);
      asked += " ";
    }
    const all = argc < 2 || asked.indexOf(" all ") >= 0 || asked.indexOf(" everything ") >= 0 || asked.indexOf(" default ") >= 0;
    const want = function (section: string): boolean {
      return all || asked.indexOf(" " + section + " ") >= 0;
    };
    const s = this.state >> 2;
    let text = "";
    if (want("server")) {
      text += "# Server\r\nredis_version:7.0.0-kv\r\nkv_engine:bootheap\r\nkv_restored:" + (this.restored ? 1 : 0) + "\r\ntcp_port:" + this.port + "\r\n\r\n";
    }
    if (want("clients")) {
      text += "# Clients\r\nconnected_clients:" + this.clients() + "\r\nmaxclients:" + this.config.connectionsMax + "\r\n\r\n";
    }
    if (want("memory")) {
      text += "# Memory\r\n";
      const heap = this.memory.heap;
      text += "heap_bytes:" + heap.sizeBytes + "\r\n";
      const names = Object.keys(this.memory.allocators);
      let used = 0;
      for (let i = 0; i < names.length; i++) {
        const st = this.memory.allocators[names[i]].stats();
        used += st.usedBytes;
        text += "region_" + names[i] + ":used=" + st.usedBytes + ",capacity=" + st.capacityBytes + ",peak=" + st.peakBytes + "\r\n";
      }
      text += "used_memory:" + used + "\r\n";
      const lines = kvMemoryReport(this.config);
      for (let i = 0; i < lines.length; i++) text += "plan_" + i + ":" + lines[i] + "\r\n";
      text += "\r\n";
    }
    if (want("stats")) {
      text += "# Stats\r\ntotal_commands_processed:" + this.u32[s + (K_COMMANDS >> 2)] + "\r\ntotal_connections_received:" + this.u32[s + (K_CONNS >> 2)] +
        "\r\nrejected_connections:" + this.u32[s + (K_REJECTED >> 2)] + "\r\ntotal_error_replies:" + this.u32[s + (K_ERRORS >> 2)] +
        "\r\nsaves:" + this.u32[s + (K_SAVES >> 2)] + "\r\n\r\n";
    }
    if (want("keyspace")) {
      text += "# Keyspace\r\n" + (this.store.count > 0 ? "db0:keys=" + this.store.count + ",expires=0,avg_ttl=0\r\n" : "") + "\r\n";
    }
    this.num(36, text.length);
    this.str(text);
    this.crlf();
  }

  /** Counts a connection (accepted or rejected) in the state block. */
  countConnection(accepted: boolean): void {
    this.u32[(this.state + (accepted ? K_CONNS : K_REJECTED)) >> 2]++;
  }

  /** A fixed reply (by text id) straight into connection c's send buffer, outside a request. */
  replyText(c: number, id: number): void {
    this.conn = c;
    const e = this.texts + 4 * (COMMANDS.length + id);
    this.rb = this.texts + this.u16[e >> 1];
    this.rp = this.rb + this.u16[(e + 2) >> 1];
    this.spill();
    this.rb = this.rp = this.re = 0;
    if (id !== T_OK) this.u32[(this.state + K_ERRORS) >> 2]++;
  }

  /** The text of reply id as a JS string (for replies sent without a connection record). */
  replyString(id: number): string {
    return REPLIES[id];
  }

  /**
   * Checks the store: every entry sits in the bucket its key hashes to, every key fits, each
   * list's pages hold its count and end at its tail; the counter matches. Throws code Corrupt.
   */
  check(): void {
    let keys = 0;
    let pages = 0;
    const u8 = this.u8;
    const u16 = this.u16;
    const u32 = this.u32;
    const store = this.store;
    for (let bucket = 0; bucket <= store.mask; bucket++) {
      let left = store.entriesMax;
      for (let e = u32[store.b + bucket]; e !== 0; e = u32[(e + E_NEXT) >> 2]) {
        if (left-- === 0) fail("Corrupt", "kv: the chain of bucket " + bucket + " is longer than the keys region");
        keys++;
        const n = u8[e + E_KEYLEN];
        if (n > this.keySizeMax) fail("Corrupt", "kv: entry " + e + " has a key of " + n + " bytes");
        if (store.hash(e + E_KEY, n) !== bucket) fail("Corrupt", "kv: entry " + e + " is in bucket " + bucket + ", its key hashes to " + store.hash(e + E_KEY, n));
        const type = u8[e + E_TYPE];
        if (type === TYPE_STRING) {
          if (u32[(e + E_LEN) >> 2] > this.valueSizeMax) fail("Corrupt", "kv: entry " + e + " has a value of " + u32[(e + E_LEN) >> 2] + " bytes");
        } else if (type === TYPE_LIST) {
          let count = 0;
          let last = 0;
          let walked = 0;
          for (let pg = u32[(e + E_HEAD) >> 2]; pg !== 0; pg = u32[(pg + P_NEXT) >> 2]) {
            if (++walked > this.lists.pagesMax) fail("Corrupt", "kv: the pages of list " + e + " are more than the pages region holds");
            count += u16[(pg + P_COUNT) >> 1];
            last = pg;
          }
          pages += walked;
          let elements = 0;
          this.lists.range(e, 0, 0x7fffffff, function () {
            elements++;
          });
          const len = u32[(e + E_LEN) >> 2];
          if (len === 0 || count !== len || elements !== len) fail("Corrupt", "kv: list " + e + " says " + len + " elements; its pages count " + count + ", a walk finds " + elements);
          if (u32[(e + E_TAIL) >> 2] !== last) fail("Corrupt", "kv: list " + e + " ends at page " + last + ", its tail says " + u32[(e + E_TAIL) >> 2]);
        } else {
          fail("Corrupt", "kv: entry " + e + " has type " + type);
        }
      }
    }
    if (keys !== store.count) fail("Corrupt", "kv: the chains hold " + keys + " keys, the counter says " + store.count);
    if (pages > this.lists.pagesMax) fail("Corrupt", "kv: the lists hold " + pages + " pages, more than the pages region");
  }
}
