// kv's limits and the one computation that turns them into every buffer of the heap. Used by
// app.plan() at boot, printed by `INFO memory`, and imported by the build to check a board's
// budget (describeLimits names the limits when they do not fit).
import type { MemoryPlan, RegionPlan } from "../../../plan/plan.js";
import { planHeapBytes, regionPlanBytes } from "../../../plan/plan.js";
import { ARENA_CHUNK_HEADER_BYTES, ARENA_STATE_BYTES } from "../../../src/allocators/arena.js";
import { HEAP_SIZE_MAX } from "../../../src/heap/checks.js";
import { textTableBytes } from "./text.js";

export interface KvConfig {
  /** Clients connected at once; one more is told "max number of clients reached". */
  connectionsMax: number;
  /** Keys in the store (strings and lists together). */
  keyCount: number;
  /** Longest key in bytes (at most 255). */
  keySizeMax: number;
  /** Longest string value or list element in bytes (at most 16383). */
  valueSizeMax: number;
  /**
   * Elements in one list. The list pages are sized so that one list of listLengthMax elements of
   * listElementBytes each fits; all lists share them.
   */
  listLengthMax: number;
  /** Size of a typical list element used to size the list pages; default valueSizeMax (the worst case). */
  listElementBytes?: number;
  /** Arguments in one command (RPUSH key v1 .. v6 is 8); a longer command gets an error. Default 8. */
  argsMax?: number;
  /** TCP port; default 6379. */
  port?: number;
}

export const DEFAULT_CONFIG: KvConfig = {
  connectionsMax: 4,
  keyCount: 128,
  keySizeMax: 32,
  valueSizeMax: 64,
  listLengthMax: 128,
};

/** For boards whose budget the default does not fit (ESP8266: 7.5 KB of heap). */
export const SMALL_CONFIG: KvConfig = {
  connectionsMax: 2,
  keyCount: 16,
  keySizeMax: 16,
  valueSizeMax: 32,
  listLengthMax: 32,
};

export const KEY_SIZE_LIMIT = 255;
export const VALUE_SIZE_LIMIT = 16383;
export const ARGS_DEFAULT = 8;
export const PORT_DEFAULT = 6379;

// Key entry (a pool slot): the hash-chain link, the value (a string inline, or a list's page
// chain), the expiry, then the key and value bytes.
export const E_NEXT = 0; //   u32 next entry in the bucket's chain, 0 = end
export const E_HEAD = 4; //   u32 list: first page
export const E_TAIL = 8; //   u32 list: last page
export const E_LEN = 12; //   u32 string: value bytes; list: element count
export const E_EXPIRE = 16; // f64 absolute expiry in ms since 1970, 0 = none
export const E_TYPE = 24; //  u8 TYPE_STRING or TYPE_LIST
export const E_KEYLEN = 25; // u8 key bytes
export const E_KEY = 28; //   key bytes, then (strings) value bytes at E_KEY + keySizeMax
export const TYPE_STRING = 1;
export const TYPE_LIST = 2;

// List page (a pool slot): elements packed as [length: 1 byte below 128, else 2 bytes][bytes].
// LPUSH writes before `start`, RPUSH after `end`; LPOP reads at `start`.
export const P_NEXT = 0; //   u32 next page, 0 = last
export const P_START = 4; //  u16 offset of the first element in the page
export const P_END = 6; //    u16 offset after the last element
export const P_COUNT = 8; //  u16 elements in the page
export const P_DATA = 12; //  first payload byte

// Connection record (a pool slot).
export const C_RX = 0; //     u32 receive buffer
export const C_RXN = 4; //    u32 bytes held in it
export const C_TX = 8; //     u32 send buffer
export const C_TXN = 12; //   u32 bytes held in it
export const C_SLOT = 16; //  u32 index of the socket in the server's socket table
export const C_FLAGS = 20; // u32 FLAG_CLOSING
export const CONN_BYTES = 24;
/** Connection flag: close once the replies so far are sent. */
export const FLAG_CLOSING = 1;

// The kv state block (a fixed region of its own): counters that survive SAVE.
export const K_MAGIC = 0; //    u32 KV_MAGIC once initialised
export const K_LAYOUT = 4; //   u32 a hash of the layout, so an image from another config is not trusted
export const K_KEYS = 8; //     u32 keys in the store
export const K_COMMANDS = 12; // u32 commands processed (wraps)
export const K_CONNS = 16; //   u32 connections accepted (wraps)
export const K_REJECTED = 20; // u32 connections rejected
export const K_ERRORS = 24; //  u32 error replies
export const K_SAVES = 28; //   u32 SAVEs
export const STATE_BYTES = 32;
export const KV_MAGIC = 0x3156564b;

/**
 * The largest piece of a reply written without streaming: a RESP number line (a prefix byte, a
 * sign and 16 digits of 2^53, CRLF). The reply arena must hold it whole.
 */
export const REPLY_PIECE_BYTES_MAX = 24;
/**
 * The scratch region holds the reply arena: ArenaAllocator's state block and one chunk, its
 * header then the reply bytes. Kv checks at boot that the chunk fits.
 */
export const REPLY_ARENA_OVERHEAD_BYTES = ARENA_STATE_BYTES + ARENA_CHUNK_HEADER_BYTES;

/** Every size the limits decide, in bytes. */
export interface KvLayout {
  config: KvConfig;
  argsMax: number;
  port: number;
  /** Largest single argument: a key, a value, or a number. */
  argSizeMax: number;
  /** Receive buffer: the largest legal command (argsMax arguments of argSizeMax bytes in RESP). */
  rxBytes: number;
  /** Send buffer: pipelined replies are gathered here and sent in one write. */
  txBytes: number;
  /** The reply arena's one chunk: a reply is built here; longer replies (LRANGE, INFO) stream through it. */
  replyBytes: number;
  /** The scratch region: the reply chunk plus the arena's own state and chunk header. */
  scratchBytes: number;
  entryBytes: number;
  bucketCount: number;
  pageBytes: number;
  pagePayload: number;
  pageCount: number;
  /** Bytes the constant texts (command names, replies) take. */
  textBytes: number;
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

function digits(n: number): number {
  return String(n).length;
}

function whole(value: unknown, min: number, max: number): boolean {
  return typeof value === "number" && value % 1 === 0 && value >= min && value <= max;
}

/** Throws an Error naming the first limit that is not a whole number in its range. */
export function checkConfig(config: KvConfig): void {
  const c = config as unknown as { [name: string]: unknown };
  const ranges: [string, number, number][] = [
    ["connectionsMax", 1, 255], ["keyCount", 1, 1 << 20], ["keySizeMax", 1, KEY_SIZE_LIMIT],
    ["valueSizeMax", 1, VALUE_SIZE_LIMIT], ["listLengthMax", 1, 1 << 24],
  ];
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i];
    if (!whole(c[r[0]], r[1], r[2])) throw new Error("kv config: " + r[0] + " must be a whole number from " + r[1] + " to " + r[2] + ", got " + String(c[r[0]]));
  }
  if (c.listElementBytes !== undefined && !whole(c.listElementBytes, 1, config.valueSizeMax)) throw new Error("kv config: listElementBytes must be a whole number from 1 to valueSizeMax, got " + String(c.listElementBytes));
  if (c.argsMax !== undefined && !whole(c.argsMax, 4, 64)) throw new Error("kv config: argsMax must be a whole number from 4 to 64, got " + String(c.argsMax));
  if (c.port !== undefined && !whole(c.port, 1, 65535)) throw new Error("kv config: port must be a whole number from 1 to 65535, got " + String(c.port));
}

/** The bytes one list element of `n` bytes takes in a page. */
export function elementBytes(n: number): number {
  return (n < 128 ? 1 : 2) + n;
}

/** Every buffer size the limits decide. */
export function kvLayout(config: KvConfig): KvLayout {
  checkConfig(config);
  const argsMax = config.argsMax === undefined ? ARGS_DEFAULT : config.argsMax;
  const argSizeMax = Math.max(config.keySizeMax, config.valueSizeMax, 24);
  // "*<argc>\r\n" then per argument "$<len>\r\n<bytes>\r\n".
  const rxBytes = alignUp(1 + digits(argsMax) + 2 + argsMax * (1 + digits(argSizeMax) + 2 + argSizeMax + 2), 8);
  const txBytes = rxBytes;
  // Room for a bulk string of argSizeMax with its header, so GET is one copy; longer replies
  // stream through in pieces.
  const replyBytes = alignUp(Math.max(256, 2 * (argSizeMax + 16)), 8);
  const scratchBytes = replyBytes + REPLY_ARENA_OVERHEAD_BYTES;
  const entryBytes = alignUp(E_KEY + config.keySizeMax + config.valueSizeMax, 8);
  let bucketCount = 1;
  while (bucketCount < config.keyCount) bucketCount *= 2;
  const maxElement = elementBytes(config.valueSizeMax);
  const pagePayload = Math.max(2 * maxElement, 52);
  const pageBytes = alignUp(P_DATA + pagePayload, 4);
  const typical = elementBytes(config.listElementBytes === undefined ? config.valueSizeMax : config.listElementBytes);
  const perPage = Math.floor(pagePayload / typical);
  // One full list, plus a partly filled page at each end.
  const pageCount = Math.ceil(config.listLengthMax / perPage) + 2;
  // Limits each in range can still ask for more than one heap can be (and past 2^31 the plan's
  // 32-bit arithmetic would wrap): refuse them here, naming the total, before any plan is made.
  const regionBytes = STATE_BYTES + config.connectionsMax * (CONN_BYTES + rxBytes + txBytes) + 8 + argsMax * 8 + scratchBytes + TEXT_BYTES +
    bucketCount * 4 + config.keyCount * entryBytes + pageCount * pageBytes;
  if (regionBytes > HEAP_SIZE_MAX) {
    throw new Error("kv config: these limits need more than " + regionBytes + " bytes of heap; a heap holds at most " + HEAP_SIZE_MAX + ": " + JSON.stringify(config));
  }
  // The rules the request path relies on, checked wherever the layout is computed (build and
  // boot). The reply moves to the send buffer in pieces of at most the buffer's free room, so
  // the send buffer may be smaller than the reply arena.
  let broken = "";
  if (rxBytes < 1 + digits(argsMax) + 2 + argsMax * (1 + digits(argSizeMax) + 2 + argSizeMax + 2)) broken = "the receive buffer must hold the largest legal command";
  if (replyBytes < REPLY_PIECE_BYTES_MAX) broken = "the reply arena must hold the largest unstreamed piece (" + REPLY_PIECE_BYTES_MAX + " bytes)";
  if (maxElement > pagePayload) broken = "a list page must hold the largest element";
  if (pageCount * perPage < config.listLengthMax) broken = "the list pages must hold one full list";
  if (broken !== "") throw new Error("kv layout: " + broken);
  return {
    config: config,
    argsMax: argsMax,
    port: config.port === undefined ? PORT_DEFAULT : config.port,
    argSizeMax: argSizeMax,
    rxBytes: rxBytes,
    txBytes: txBytes,
    replyBytes: replyBytes,
    scratchBytes: scratchBytes,
    entryBytes: entryBytes,
    bucketCount: bucketCount,
    pageBytes: pageBytes,
    pagePayload: pagePayload,
    pageCount: pageCount,
    textBytes: TEXT_BYTES,
  };
}

/** Room for the constant texts. */
export const TEXT_BYTES = alignUp(textTableBytes(), 8);

/** The memory plan: one region per kind of buffer. */
export function kvPlan(config: KvConfig): MemoryPlan {
  const l = kvLayout(config);
  const c = config;
  const regions: RegionPlan[] = [
    { name: "state", kind: "fixed", sizeBytes: STATE_BYTES },
    { name: "conns", kind: "pool", slotSizeBytes: CONN_BYTES, slotCount: c.connectionsMax, align: 4 },
    { name: "rx", kind: "pool", slotSizeBytes: l.rxBytes, slotCount: c.connectionsMax, align: 8 },
    { name: "tx", kind: "pool", slotSizeBytes: l.txBytes, slotCount: c.connectionsMax, align: 8 },
    { name: "args", kind: "fixed", sizeBytes: 8 + l.argsMax * 8 },
    { name: "scratch", kind: "fixed", sizeBytes: l.scratchBytes },
    { name: "text", kind: "fixed", sizeBytes: l.textBytes },
    { name: "buckets", kind: "fixed", sizeBytes: Math.max(16, l.bucketCount * 4) },
    { name: "keys", kind: "pool", slotSizeBytes: l.entryBytes, slotCount: c.keyCount, align: 8 },
    { name: "pages", kind: "pool", slotSizeBytes: l.pageBytes, slotCount: l.pageCount, align: 4 },
  ];
  return { regions: regions };
}

/** What each region is for, for the report. */
const PURPOSE: { [name: string]: string } = {
  state: "counters that survive SAVE",
  conns: "connection records, 1 per client",
  rx: "receive buffers: the largest legal command",
  tx: "send buffers: pipelined replies",
  args: "argument table: offset/length pairs",
  scratch: "reply arena, reset after every command",
  text: "command names and constant replies",
  buckets: "hash table heads",
  keys: "key entries with inline string values",
  pages: "list pages, elements packed",
};

/** The computation as text: limits, then every region with its bytes and why. */
export function kvMemoryReport(config: KvConfig): string[] {
  const l = kvLayout(config);
  const plan = kvPlan(config);
  const lines: string[] = [];
  lines.push("limits: " + describeLimits(config));
  for (let i = 0; i < plan.regions.length; i++) {
    const r = plan.regions[i];
    const bytes = regionPlanBytes(r);
    let how = "";
    if (r.kind === "pool") how = r.slotCount + " x " + r.slotSizeBytes;
    else how = String(bytes);
    lines.push(r.name + ": " + bytes + " bytes (" + how + ") " + (PURPOSE[r.name] || ""));
  }
  lines.push("heap: " + planHeapBytes(plan) + " bytes in total (header and alignment included)");
  lines.push("per key: " + l.entryBytes + " bytes entry + 4 bytes bucket; list page " + l.pageBytes + " bytes for " + l.pagePayload + " bytes of packed elements");
  return lines;
}

/** The limits in one line, for the build's error when the plan does not fit a board. */
export function describeLimits(config: KvConfig): string {
  const l = kvLayout(config);
  return "connectionsMax=" + config.connectionsMax + " keyCount=" + config.keyCount + " keySizeMax=" + config.keySizeMax +
    " valueSizeMax=" + config.valueSizeMax + " listLengthMax=" + config.listLengthMax +
    (config.listElementBytes === undefined ? "" : " listElementBytes=" + config.listElementBytes) +
    " argsMax=" + l.argsMax + " -> " + planHeapBytes(kvPlan(config)) + " bytes of heap";
}

/** The heap bytes the config needs. */
export function kvHeapBytes(config: KvConfig): number {
  return planHeapBytes(kvPlan(config));
}

/** A copy of `base` with the fields of `over` that are set. */
export function mergeConfig(base: KvConfig, over: { [name: string]: unknown } | undefined): KvConfig {
  const out: { [name: string]: unknown } = {};
  const b = base as unknown as { [name: string]: unknown };
  const keys = Object.keys(b);
  for (let i = 0; i < keys.length; i++) out[keys[i]] = b[keys[i]];
  if (over !== undefined && over !== null && typeof over === "object") {
    const ok = Object.keys(over);
    for (let i = 0; i < ok.length; i++) if (over[ok[i]] !== undefined) out[ok[i]] = over[ok[i]];
  }
  return out as unknown as KvConfig;
}

/**
 * The config for a board: the global KV_CONFIG's fields over the default (set before the
 * firmware runs, e.g. by `bootheap emulate`), else the default if it fits the budget, else the
 * small config if that fits, else the default (and the build reports the limits).
 */
export function kvConfigFor(budgetBytes: number, override: { [name: string]: unknown } | undefined): KvConfig {
  if (override !== undefined && override !== null) return mergeConfig(DEFAULT_CONFIG, override);
  if (budgetBytes <= 0 || kvHeapBytes(DEFAULT_CONFIG) <= budgetBytes) return DEFAULT_CONFIG;
  if (kvHeapBytes(SMALL_CONFIG) <= budgetBytes) return SMALL_CONFIG;
  return DEFAULT_CONFIG;
}
