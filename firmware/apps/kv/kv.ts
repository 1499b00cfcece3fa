// kv's core: boot-time wiring of the heap regions (state block, argument table, texts, hash
// table, reply arena, key entries, list pages) into the store, the lists, the argument reader and
// the RESP writer; and one request's life: run the command, move its reply on, count it.
// The commands live in keys-commands.ts, list-commands.ts and server-commands.ts, INFO in
// info.ts, the store's checker in check.ts; dispatch.ts picks one by name.
import type { Allocator } from "../../../src/allocator.js";
import { ArenaAllocator } from "../../../src/allocators/arena.js";
import { ARENA_RETAIN_CAPACITY, type ArenaResetMode } from "../../../src/allocators/arena.js";
import type { Memory } from "../../../src/app.js";
import { say } from "../../device.js";
import { Args } from "./args.js";
import { checkStore } from "./check.js";
import { C_FLAGS, FLAG_CLOSING, K_COMMANDS, K_ERRORS, K_LAYOUT, K_MAGIC, KV_MAGIC, KvConfig, kvLayout, KvLayout, STATE_BYTES } from "./config.js";
import { CommandTable, runCommand } from "./dispatch.js";
import { infoCommand } from "./info.js";
import { delExistsCommand, getCommand, incrCommand, setCommand, ttlCommand, typeCommand } from "./keys-commands.js";
import { llenCommand, lpopCommand, lrangeCommand, pushCommand } from "./list-commands.js";
import { Lists } from "./lists.js";
import { ReplyWriter } from "./reply.js";
import { argsTableBytes } from "./resp.js";
import { Store } from "./store.js";
import { T_INTERNAL, T_OOM_REPLY, textTableBytes, writeTexts } from "./text.js";

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

/** A hash of the sizes a saved store depends on: an image from another config is not trusted. */
function layoutHash(l: KvLayout): number {
  const c = l.config;
  const parts = [c.connectionsMax, c.keyCount, c.keySizeMax, c.valueSizeMax, c.listLengthMax, l.argsMax, l.entryBytes, l.pageBytes, l.pageCount, l.bucketCount, l.rxBytes];
  let h = 17;
  for (let i = 0; i < parts.length; i++) h = ((h * 31) ^ parts[i]) >>> 0;
  return h;
}

/** The arena keeps its one chunk on every reset, so a reset is O(1). */
const RETAIN: ArenaResetMode = ARENA_RETAIN_CAPACITY;

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
  readonly args: Args;
  readonly reply: ReplyWriter;
  /** The reply arena (an ArenaAllocator over the scratch region). */
  readonly arena: ArenaAllocator;
  readonly commands: CommandTable;
  /** Byte offsets of the kv state block and of the text table. */
  readonly state: number;
  readonly texts: number;
  readonly keySizeMax: number;
  readonly valueSizeMax: number;
  readonly listLengthMax: number;
  /** Writes the heap image to Storage (SAVE). */
  save: () => boolean;
  /** The number of clients connected, for INFO (set by the server). */
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
    const argTable = take(raw.args, argsTableBytes(l.argsMax), "the argument table");
    this.texts = take(raw.text, textTableBytes(), "its texts");
    writeTexts(this.u8, this.texts, textTableBytes());
    const buckets = take(raw.buckets, l.bucketCount * 4, "the hash table");
    this.arena = new ArenaAllocator(raw.scratch);
    // One chunk of the whole reply size, kept by every reset.
    if (this.arena.alloc(l.replyBytes, 1) === 0) {
      this.arena.deinit();
      outOfMemory(l.replyBytes, "the reply arena (has ArenaAllocator's state outgrown REPLY_ARENA_OVERHEAD_BYTES?)");
    }
    this.arena.reset(RETAIN);
    this.keySizeMax = config.keySizeMax;
    this.valueSizeMax = config.valueSizeMax;
    this.listLengthMax = config.listLengthMax;
    this.args = new Args(this.u8, this.u16, this.u32, argTable >> 2, this.texts, l.argsMax);
    this.reply = new ReplyWriter(this.u8, this.u16, this.u32, this.texts, (this.state + K_ERRORS) >> 2, l.txBytes, this.arena, l.replyBytes, RETAIN);
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
    this.commands = new CommandTable(this.u8, this.u16, this.texts);
    this.save = function () {
      return memory.save();
    };
    this.clients = function () {
      return 0;
    };
    this.onInternalError = function (e: unknown) {
      say("kv: internal error: " + String(e && (e as Error).message));
    };
    const reply = this.reply;
    this.onBulk = function (p: number, n: number) {
      reply.bulk(p, n);
    };
  }

  /**
   * Runs the parsed request in the argument table for connection c and leaves its reply in c's
   * send buffer. QUIT, and a command that throws (a bug), set FLAG_CLOSING on c.
   */
  exec(c: number): void {
    const reply = this.reply;
    if (!reply.begin(c)) {
      // No arena chunk: the fixed reply goes from the text table to the send buffer directly.
      reply.fixedError(c, T_OOM_REPLY);
      return;
    }
    try {
      this.runCommand();
      reply.finish(true);
    } catch (e) {
      // A bug, not bad input: that client gets an error and is closed, the server goes on.
      reply.finish(false);
      reply.fixedError(c, T_INTERNAL);
      this.u32[(c + C_FLAGS) >> 2] |= FLAG_CLOSING;
      this.onInternalError(e);
      return;
    }
    this.u32[(this.state + K_COMMANDS) >> 2]++;
  }

  /** Walks the store and the lists; throws code Corrupt on any inconsistency (check.ts). */
  check(): void {
    checkStore(this);
  }
}

// The dispatcher and the commands are methods of Kv, written in their own files. A method call
// is what the interpreter runs fastest; and the minifier turns a function called from one place
// into a function expression made anew at every call (a closure per request, garbage on the
// device), which it never does to a method.
export interface Kv {
  runCommand(): void;
  setCommand(argc: number): void;
  getCommand(): void;
  delExistsCommand(argc: number, del: boolean): void;
  incrCommand(): void;
  typeCommand(): void;
  ttlCommand(): void;
  pushCommand(argc: number, left: boolean): void;
  lrangeCommand(): void;
  llenCommand(): void;
  lpopCommand(argc: number): void;
  infoCommand(argc: number): void;
}
Kv.prototype.runCommand = runCommand;
Kv.prototype.setCommand = setCommand;
Kv.prototype.getCommand = getCommand;
Kv.prototype.delExistsCommand = delExistsCommand;
Kv.prototype.incrCommand = incrCommand;
Kv.prototype.typeCommand = typeCommand;
Kv.prototype.ttlCommand = ttlCommand;
Kv.prototype.pushCommand = pushCommand;
Kv.prototype.lrangeCommand = lrangeCommand;
Kv.prototype.llenCommand = llenCommand;
Kv.prototype.lpopCommand = lpopCommand;
Kv.prototype.infoCommand = infoCommand;
