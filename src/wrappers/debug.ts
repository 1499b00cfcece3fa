import { ALIGN_DEFAULT, Allocator, AllocatorStats } from "../allocator.js";
import type { BootHeap, Region } from "../heap/boot-heap.js";
import { alignForward, checkAlign, checkLength, HEAP_SIZE_MAX, isWholeNumber, log2 } from "../heap/checks.js";
import { describe, fail } from "../heap/errors.js";
import { copyBytes } from "../heap/memory.js";
import { addWrapperHelpers, checkChild, ownershipTest, printLine } from "./common.js";
import type { WrapperHelpers } from "./common.js";

import {
  DEBUG_MAGIC, DEBUG_HEADER_BYTES, DEBUG_RECORD_BYTES, POISON_BYTE, CANARY_BYTE, H_MAGIC, H_RECORDS, H_CANARY, H_QMAX, H_LIMIT, H_PEAK, H_REPORTS, H_FLAGS, H_TAG, H_REFUSED, H_CURSOR, F_STACKS, F_FULL_REPORTED, E_PTR, E_LEN, E_RAW, E_RAW_LEN, E_INFO, E_ALLOC_SEQ, E_FREE_SEQ, E_NEXT, EMPTY, LIVE, QUARANTINED, FREED, S_SEQ, S_LIVE, S_LIVE_BYTES, S_QBYTES, S_QHEAD, S_QTAIL,
} from "./debug-layout.js";

// The table layout is described in debug-layout.ts.
export { DEBUG_HEADER_BYTES, DEBUG_RECORD_BYTES, POISON_BYTE, CANARY_BYTE } from "./debug-layout.js";

export type DebugReportCode =
  | "DoubleFree"
  | "InvalidFree"
  | "WrongLength"
  | "BufferOverflow"
  | "BufferUnderflow"
  | "UseAfterFree"
  | "InvalidPointer"
  | "Leak"
  | "TableFull";

/** One allocation as the table recorded it. `stack` only when captureStack is on. */
export interface DebugRecord {
  ptr: number;
  len: number;
  align: number;
  tag: number;
  /** The allocation's sequence number: allocations and frees share one counter, so order is visible. */
  seq: number;
  stack?: string;
}

/** The call that found the bug. */
export interface DebugCall {
  op: "alloc" | "free" | "resize" | "remap" | "check" | "deinit";
  ptr: number;
  len: number;
  seq: number;
  stack?: string;
}

/** A bug found by a DebugAllocator: a plain object, made only when there is a bug to report. */
export interface DebugReport {
  code: DebugReportCode;
  message: string;
  /** The DebugAllocator's region name. */
  allocator: string;
  /** The call that found it. */
  call: DebugCall;
  /** The allocation concerned, when the table knows it. */
  allocation?: DebugRecord;
  /** For DoubleFree and UseAfterFree: the first free of the allocation. */
  firstFree?: { seq: number; stack?: string };
  /** For overflow, underflow and use-after-free: the first damaged byte, relative to ptr. */
  offset?: number;
  /** For Leak: the tag, how many allocations and bytes, and each allocation. */
  tag?: number;
  count?: number;
  bytes?: number;
  allocations?: DebugRecord[];
}

export interface DebugAllocatorOptions {
  /** The region holding the header and the records (DebugAllocator.regionBytes(records)). */
  region: Region;
  /** Freed blocks up to this many bytes in total are held back (poisoned) before the child gets them. Default 1024, and 0 (required) over a child that frees strictly LIFO (a StackAllocator, directly or under other wrappers). */
  quarantineBytes?: number;
  /** Guard bytes before and after each allocation, 0 to 255. Default 8. */
  canaryBytes?: number;
  /** Keep `new Error().stack` of each alloc and free (a JS-side array indexed by record; it allocates strings). Default false. */
  captureStack?: boolean;
  /** alloc returns 0 when live bytes would exceed this. 0 or undefined: no limit. */
  memoryLimitBytes?: number;
  /** Where reports go: a function, or "throw" to throw code DebugReport. Default: print the message. */
  onReport?: ((report: DebugReport) => void) | "throw";
}

/**
 * Zig's DebugAllocator for one buffer: wraps any allocator and records every live
 * allocation in a table inside its own region; catches double free, frees of pointers it
 * never returned, frees with the wrong length, writes past either end (canaries), writes to
 * freed memory (poison and quarantine) and leaks (`deinit()`). Each operation scans the table,
 * so it costs O(records): a development tool, removed from release builds (see build-mode).
 */
export class DebugAllocator implements Allocator {
  readonly heap: BootHeap;
  readonly child: Allocator;
  readonly region: Region;
  readonly recordCount: number;
  private readonly u8: Uint8Array;
  private readonly u32: Uint32Array;
  /** Word index of the region header. */
  private readonly header: number;
  /** Word index of the first record. */
  private readonly table: number;
  /** Word index of the state words in the region's table entry. */
  private readonly stateWord: number;
  private readonly canary: number;
  private readonly onReport: ((report: DebugReport) => void) | "throw";
  private readonly allocStacks: string[] | null;
  private readonly freeStacks: string[] | null;
  /** The child's ownership test, made once (ownsPtr, from addWrapperHelpers, answers with it). */
  readonly childOwns: ((ptr: number) => boolean) | null;

  constructor(child: Allocator, options: DebugAllocatorOptions) {
    addWrapperHelpers(DebugAllocator.prototype);
    checkChild(child, "child");
    if (options === null || typeof options !== "object") fail("InvalidArgument", "options must be an object with a region, got " + describe(options));
    const region = options.region;
    if (region === null || typeof region !== "object" || typeof region.offset !== "number") {
      fail("InvalidArgument", "options.region must come from heap.carve(DebugAllocator.regionBytes(n), 8, name), got " + describe(region));
    }
    const canary = options.canaryBytes === undefined ? 8 : options.canaryBytes;
    if (!isWholeNumber(canary, 255)) fail("InvalidArgument", "options.canaryBytes must be a whole number from 0 to 255, got " + describe(canary));
    const lifo = freesOnlyTop(child);
    const qmax = options.quarantineBytes === undefined ? (lifo ? 0 : 1024) : options.quarantineBytes;
    if (!isWholeNumber(qmax, HEAP_SIZE_MAX)) fail("InvalidArgument", "options.quarantineBytes must be a whole number of bytes, got " + describe(qmax));
    if (lifo && qmax !== 0) fail("InvalidArgument", "a LIFO child (stack) cannot take held-back frees: options.quarantineBytes must be 0, got " + qmax);
    const limit = options.memoryLimitBytes === undefined ? 0 : options.memoryLimitBytes;
    if (!isWholeNumber(limit, HEAP_SIZE_MAX)) fail("InvalidArgument", "options.memoryLimitBytes must be a whole number of bytes, got " + describe(limit));
    const onReport = options.onReport === undefined ? printReport : options.onReport;
    if (typeof onReport !== "function" && onReport !== "throw") fail("InvalidArgument", "options.onReport must be a function or \"throw\", got " + describe(onReport));
    const start = alignForward(region.offset, 4);
    const records = Math.floor((region.offset + region.sizeBytes - start - DEBUG_HEADER_BYTES) / DEBUG_RECORD_BYTES);
    if (records < 1) fail("InvalidArgument", "region " + describe(region.name) + " of " + region.sizeBytes + " bytes holds no record");
    if (child.heap.u8 === undefined) fail("InvalidArgument", "child needs a BootHeap");
    this.stateWord = child.heap.claim(region, "debug") >> 2;
    this.heap = child.heap;
    this.child = child;
    this.region = region;
    this.recordCount = records;
    this.u8 = child.heap.u8;
    this.u32 = child.heap.u32;
    this.header = start >> 2;
    this.table = (start + DEBUG_HEADER_BYTES) >> 2;
    this.canary = canary;
    this.onReport = onReport;
    this.allocStacks = options.captureStack === true ? [] : null;
    this.freeStacks = options.captureStack === true ? [] : null;
    this.childOwns = ownershipTest(child);
    const u32 = this.u32;
    const h = this.header;
    for (let i = 0; i < (DEBUG_HEADER_BYTES >> 2) + records * (DEBUG_RECORD_BYTES >> 2); i++) u32[h + i] = 0;
    u32[h + H_MAGIC] = DEBUG_MAGIC;
    u32[h + H_RECORDS] = records;
    u32[h + H_CANARY] = canary;
    u32[h + H_QMAX] = qmax;
    u32[h + H_LIMIT] = limit;
    u32[h + H_FLAGS] = options.captureStack === true ? F_STACKS : 0;
    for (let i = 0; i < 6; i++) u32[this.stateWord + i] = 0;
  }

  /** Bytes of region for a table of `records` allocations (48 + 32 per record). */
  static regionBytes(records: number): number {
    if (!isWholeNumber(records, 0x7ffff) || records < 1) fail("InvalidArgument", "records must be a whole number of at least 1, got " + describe(records));
    return DEBUG_HEADER_BYTES + records * DEBUG_RECORD_BYTES;
  }

  /** Sets the tag recorded for allocations made without one (0 to 65535) and returns the previous one: lets code tag what it allocates through other wrappers. */
  setTag(tag: number): number {
    const previous = this.u32[this.header + H_TAG];
    this.u32[this.header + H_TAG] = checkTag(tag);
    return previous;
  }

  liveCount(): number {
    return this.u32[this.stateWord + S_LIVE];
  }

  liveBytes(): number {
    return this.u32[this.stateWord + S_LIVE_BYTES];
  }

  quarantinedBytes(): number {
    return this.u32[this.stateWord + S_QBYTES];
  }

  /** Bugs reported so far (leaks included). */
  reportCount(): number {
    return this.u32[this.header + H_REPORTS];
  }

  /** `tag` (0 to 65535) is recorded with the allocation and groups leaks in `deinit()`. */
  alloc(len: number, align?: number, tag?: number): number {
    if ((len >>> 0) !== len || len > HEAP_SIZE_MAX) checkLength("len", len);
    const a = align === undefined ? ALIGN_DEFAULT : checkAlign(align, ALIGN_DEFAULT);
    const u32 = this.u32;
    const h = this.header;
    const s = this.stateWord;
    const t = tag === undefined ? u32[h + H_TAG] : checkTag(tag);
    const limit = u32[h + H_LIMIT];
    if (limit !== 0 && u32[s + S_LIVE_BYTES] + len > limit) return this.refuse();
    let e = this.freeRecord();
    // Quarantined blocks hold records too: give the oldest back (checked) rather than fail.
    if (e < 0 && u32[s + S_QHEAD] !== 0) {
      this.releaseQuarantine(u32[s + S_QBYTES] - 1);
      e = this.freeRecord();
    }
    if (e < 0) {
      if ((u32[h + H_FLAGS] & F_FULL_REPORTED) === 0) {
        u32[h + H_FLAGS] |= F_FULL_REPORTED;
        this.report("TableFull", "all " + this.recordCount + " records in use: alloc(" + len + ") returns 0", this.call("alloc", 0, len), -1, undefined);
      }
      return this.refuse();
    }
    const front = this.canary === 0 ? 0 : alignForward(this.canary, a);
    const rawLen = front + len + this.canary;
    const raw = this.child.alloc(rawLen, a);
    if (raw === 0) return this.refuse();
    const ptr = raw + front;
    const u8 = this.u8;
    for (let i = raw; i < ptr; i++) u8[i] = CANARY_BYTE;
    for (let i = ptr; i < ptr + len; i++) u8[i] = POISON_BYTE;
    for (let i = ptr + len; i < raw + rawLen; i++) u8[i] = CANARY_BYTE;
    const r = this.table + e * 8;
    u32[r + E_PTR] = ptr;
    u32[r + E_LEN] = len;
    u32[r + E_RAW] = raw;
    u32[r + E_RAW_LEN] = rawLen;
    u32[r + E_INFO] = LIVE | (log2(a) << 8) | (t << 16);
    u32[r + E_ALLOC_SEQ] = ++u32[s + S_SEQ];
    u32[r + E_FREE_SEQ] = 0;
    u32[r + E_NEXT] = 0;
    u32[s + S_LIVE]++;
    const live = (u32[s + S_LIVE_BYTES] += len);
    if (live > u32[h + H_PEAK]) u32[h + H_PEAK] = live;
    if (this.allocStacks !== null) {
      this.allocStacks[e] = stackText();
      (this.freeStacks as string[])[e] = "";
    }
    return ptr;
  }

  resize(ptr: number, len: number, newLen: number): boolean {
    if ((len >>> 0) !== len || len > HEAP_SIZE_MAX) checkLength("len", len);
    if ((newLen >>> 0) !== newLen || newLen > HEAP_SIZE_MAX) checkLength("newLen", newLen);
    const e = this.liveFor(ptr, len, "resize");
    if (e < 0) return false;
    return this.resizeRecord(e, newLen);
  }

  /**
   * The child's own remap on the whole block (canaries included), so the child's rules still
   * hold: a stack remaps only its top, in place. A remap to an alignment the canary padding
   * does not keep is done as alloc, copy and free. 0 when the child cannot. Memory a remap
   * moved away from goes straight back to the child (no quarantine, no poison).
   */
  remap(ptr: number, len: number, newLen: number, align?: number): number {
    if ((len >>> 0) !== len || len > HEAP_SIZE_MAX) checkLength("len", len);
    if ((newLen >>> 0) !== newLen || newLen > HEAP_SIZE_MAX) checkLength("newLen", newLen);
    const a = align === undefined ? ALIGN_DEFAULT : checkAlign(align, ALIGN_DEFAULT);
    const e = this.liveFor(ptr, len, "remap");
    if (e < 0) return 0;
    const u32 = this.u32;
    const r = this.table + e * 8;
    const raw = u32[r + E_RAW];
    const front = ptr - raw;
    if ((front & (a - 1)) !== 0) {
      const moved = this.alloc(newLen, a, u32[r + E_INFO] >>> 16);
      if (moved === 0) return 0;
      copyBytes(this.heap, moved, ptr, len < newLen ? len : newLen);
      this.free(ptr, len);
      return moved;
    }
    this.checkCanaries(e, "remap");
    const limit = u32[this.header + H_LIMIT];
    if (limit !== 0 && newLen > len && u32[this.stateWord + S_LIVE_BYTES] + newLen - len > limit) return 0;
    const newRawLen = front + newLen + this.canary;
    const newRaw = this.child.remap(raw, u32[r + E_RAW_LEN], newRawLen, a);
    if (newRaw === 0) return 0;
    const newPtr = newRaw + front;
    const u8 = this.u8;
    for (let i = newPtr + len; i < newPtr + newLen; i++) u8[i] = POISON_BYTE;
    for (let i = newPtr + newLen; i < newRaw + newRawLen; i++) u8[i] = CANARY_BYTE;
    u32[r + E_PTR] = newPtr;
    u32[r + E_LEN] = newLen;
    u32[r + E_RAW] = newRaw;
    u32[r + E_RAW_LEN] = newRawLen;
    if (newRaw !== raw && ((u32[r + E_INFO] >> 8) & 255) < log2(a)) u32[r + E_INFO] = (u32[r + E_INFO] & ~0xff00) | (log2(a) << 8);
    const live = (u32[this.stateWord + S_LIVE_BYTES] += newLen - len);
    if (live > u32[this.header + H_PEAK]) u32[this.header + H_PEAK] = live;
    return newPtr;
  }

  free(ptr: number, len: number): void {
    if ((len >>> 0) !== len || len > HEAP_SIZE_MAX) checkLength("len", len);
    const e = this.liveFor(ptr, len, "free");
    if (e < 0) return;
    const u32 = this.u32;
    const s = this.stateWord;
    const r = this.table + e * 8;
    this.checkCanaries(e, "free");
    const u8 = this.u8;
    // Poisoned while it is still ours: once the child has it, it may keep its own links there.
    for (let i = ptr; i < ptr + len; i++) u8[i] = POISON_BYTE;
    const rawLen = u32[r + E_RAW_LEN];
    const qmax = u32[this.header + H_QMAX];
    const direct = qmax === 0 || rawLen > qmax;
    // If the child refuses the free (a stack freed out of order throws), the record stays live.
    if (direct) this.child.free(u32[r + E_RAW], rawLen);
    u32[r + E_FREE_SEQ] = ++u32[s + S_SEQ];
    u32[s + S_LIVE]--;
    u32[s + S_LIVE_BYTES] -= len;
    if (this.freeStacks !== null) this.freeStacks[e] = stackText();
    if (direct) {
      this.setState(e, FREED);
      return;
    }
    this.setState(e, QUARANTINED);
    u32[r + E_NEXT] = 0;
    if (u32[s + S_QTAIL] === 0) u32[s + S_QHEAD] = e + 1;
    else u32[this.table + (u32[s + S_QTAIL] - 1) * 8 + E_NEXT] = e + 1;
    u32[s + S_QTAIL] = e + 1;
    u32[s + S_QBYTES] += rawLen;
    if (u32[s + S_QBYTES] > qmax) this.releaseQuarantine(qmax);
  }

  /**
   * Checks every live allocation's canaries and every quarantined block's poison and
   * canaries, reporting each bug, then the table's own consistency (throws code Corrupt) and
   * the child's `check()` when it has one. Returns the number of bugs reported.
   */
  check(): number {
    const before = this.u32[this.header + H_REPORTS];
    const u32 = this.u32;
    const where = "debug " + describe(this.region.name) + ": ";
    let live = 0;
    let liveBytes = 0;
    for (let e = 0; e < this.recordCount; e++) {
      const r = this.table + e * 8;
      const state = u32[r + E_INFO] & 255;
      if (state === LIVE) {
        live++;
        liveBytes += u32[r + E_LEN];
        this.checkCanaries(e, "check");
      } else if (state === QUARANTINED) {
        this.checkFreed(e, "check");
      } else if (state !== EMPTY && state !== FREED) {
        fail("Corrupt", where + "record " + e + " has state " + state);
      }
    }
    if (live !== u32[this.stateWord + S_LIVE] || liveBytes !== u32[this.stateWord + S_LIVE_BYTES]) {
      fail("Corrupt", where + live + " live records of " + liveBytes + " bytes, counters " + u32[this.stateWord + S_LIVE] + " of " + u32[this.stateWord + S_LIVE_BYTES]);
    }
    let qbytes = 0;
    let walked = 0;
    for (let q = u32[this.stateWord + S_QHEAD]; q !== 0; q = u32[this.table + (q - 1) * 8 + E_NEXT]) {
      if (q > this.recordCount || (u32[this.table + (q - 1) * 8 + E_INFO] & 255) !== QUARANTINED || ++walked > this.recordCount) {
        fail("Corrupt", where + "quarantine list broken at record " + (q - 1));
      }
      qbytes += u32[this.table + (q - 1) * 8 + E_RAW_LEN];
    }
    if (qbytes !== u32[this.stateWord + S_QBYTES]) fail("Corrupt", where + "quarantine holds " + qbytes + " bytes, counter " + u32[this.stateWord + S_QBYTES]);
    const c = this.child as Allocator & { check?: () => unknown };
    if (typeof c.check === "function") c.check();
    return u32[this.header + H_REPORTS] - before;
  }

  /**
   * Ends the allocator's life: checks everything, gives the quarantine back to the child,
   * reports each leaked allocation (one report per tag) and returns "leak" or "ok". Leaked
   * blocks stay allocated in the child, as in Zig.
   */
  deinit(): "ok" | "leak" {
    this.check();
    this.releaseQuarantine(-1);
    const leaks = this.leaks();
    for (let i = 0; i < leaks.length; i++) this.deliver(leaks[i]);
    return leaks.length === 0 ? "ok" : "leak";
  }

  /** The live allocations grouped by tag (ascending), as Leak reports, without reporting them. */
  leaks(): DebugReport[] {
    const u32 = this.u32;
    const out: DebugReport[] = [];
    const byTag: { [tag: string]: DebugReport } = {};
    const tags: number[] = [];
    for (let e = 0; e < this.recordCount; e++) {
      const r = this.table + e * 8;
      if ((u32[r + E_INFO] & 255) !== LIVE) continue;
      const rec = this.record(e);
      const key = "t" + rec.tag;
      let group = Object.prototype.hasOwnProperty.call(byTag, key) ? byTag[key] : undefined;
      if (group === undefined) {
        group = { code: "Leak", message: "", allocator: this.region.name, call: this.call("deinit", 0, 0), tag: rec.tag, count: 0, bytes: 0, allocations: [] };
        byTag[key] = group;
        tags.push(rec.tag);
      }
      group.count = (group.count as number) + 1;
      group.bytes = (group.bytes as number) + rec.len;
      (group.allocations as DebugRecord[]).push(rec);
    }
    tags.sort(function (x, y) { return x - y; });
    for (let i = 0; i < tags.length; i++) {
      const g = byTag["t" + tags[i]];
      const list = g.allocations as DebugRecord[];
      list.sort(function (x, y) { return x.seq - y.seq; });
      let text = "debug " + describe(this.region.name) + ": Leak: tag " + g.tag + ": " + g.count + " allocation" + (g.count === 1 ? "" : "s") + " of " + g.bytes + " bytes never freed:";
      for (let j = 0; j < list.length; j++) text += "\n  " + recordText(list[j]);
      g.message = text;
      out.push(g);
    }
    return out;
  }

  /**
   * The child's numbers (canaries and the quarantine included: bytes the child cannot give
   * others), so peakBytes >= usedBytes; allocationCount is the caller's live allocations and
   * largestFreeBytes what one alloc could get after its canaries. The caller's own bytes:
   * liveBytes(), and the peak of them in the table (readDebugTable).
   */
  stats(): AllocatorStats {
    const c = this.child.stats();
    const largest = c.largestFreeBytes - 2 * this.canary;
    c.allocationCount = this.u32[this.stateWord + S_LIVE];
    c.largestFreeBytes = largest > 0 ? largest : 0;
    return c;
  }

  // ---- internals ----

  private refuse(): number {
    this.u32[this.header + H_REFUSED]++;
    return 0;
  }

  /** An empty record, else the next freed one round robin (its history is dropped); -1 when all are live or quarantined. */
  private freeRecord(): number {
    const u32 = this.u32;
    const n = this.recordCount;
    let e = u32[this.header + H_CURSOR];
    if (e >= n) e = 0;
    for (let i = 0; i < n; i++) {
      const state = u32[this.table + e * 8 + E_INFO] & 255;
      if (state === EMPTY || state === FREED) {
        u32[this.header + H_CURSOR] = e + 1;
        return e;
      }
      if (++e === n) e = 0;
    }
    return -1;
  }

  /**
   * The live record for (ptr, len), or -1 after reporting why there is none: the pointer was
   * freed (DoubleFree, or UseAfterFree for resize/remap), never returned (InvalidFree /
   * InvalidPointer), or returned with another length (WrongLength).
   */
  private liveFor(ptr: number, len: number, op: "free" | "resize" | "remap"): number {
    if ((ptr >>> 0) !== ptr || ptr >= this.heap.sizeBytes) {
      fail("InvalidArgument", op + ": ptr must be a whole-number byte offset inside the " + this.heap.sizeBytes + "-byte heap, got " + describe(ptr));
    }
    const u32 = this.u32;
    let freed = -1;
    for (let e = 0; e < this.recordCount; e++) {
      const r = this.table + e * 8;
      if (u32[r + E_PTR] !== ptr) continue;
      const state = u32[r + E_INFO] & 255;
      if (state === LIVE) {
        if (u32[r + E_LEN] === len) return e;
        this.report("WrongLength", op + "(" + ptr + ", " + len + ") passes length " + len + " but the allocation is " + u32[r + E_LEN] + " bytes; nothing was " + (op === "free" ? "freed" : "changed"), this.call(op, ptr, len), e, undefined);
        return -1;
      }
      if ((state === QUARANTINED || state === FREED) && (freed < 0 || u32[r + E_FREE_SEQ] > u32[this.table + freed * 8 + E_FREE_SEQ])) freed = e;
    }
    if (freed >= 0) {
      if (op === "free") this.report("DoubleFree", "free(" + ptr + ", " + len + ") of memory already freed", this.call(op, ptr, len), freed, undefined);
      else this.report("UseAfterFree", op + "(" + ptr + ", " + len + ") of memory already freed", this.call(op, ptr, len), freed, undefined);
      return -1;
    }
    if (op === "free") this.report("InvalidFree", "free(" + describe(ptr) + ", " + len + ") of a pointer never returned (or its record was reused)", this.call(op, ptr, len), -1, undefined);
    else this.report("InvalidPointer", op + "(" + describe(ptr) + ", " + len + ") of a pointer never returned", this.call(op, ptr, len), -1, undefined);
    return -1;
  }

  private resizeRecord(e: number, newLen: number): boolean {
    const u32 = this.u32;
    const r = this.table + e * 8;
    const ptr = u32[r + E_PTR];
    const len = u32[r + E_LEN];
    this.checkCanaries(e, "resize");
    const limit = u32[this.header + H_LIMIT];
    if (limit !== 0 && newLen > len && u32[this.stateWord + S_LIVE_BYTES] + newLen - len > limit) return false;
    const raw = u32[r + E_RAW];
    const newRawLen = ptr - raw + newLen + this.canary;
    if (!this.child.resize(raw, u32[r + E_RAW_LEN], newRawLen)) return false;
    const u8 = this.u8;
    for (let i = ptr + len; i < ptr + newLen; i++) u8[i] = POISON_BYTE;
    for (let i = ptr + newLen; i < raw + newRawLen; i++) u8[i] = CANARY_BYTE;
    u32[r + E_LEN] = newLen;
    u32[r + E_RAW_LEN] = newRawLen;
    const live = (u32[this.stateWord + S_LIVE_BYTES] += newLen - len);
    if (live > u32[this.header + H_PEAK]) u32[this.header + H_PEAK] = live;
    return true;
  }

  /** Reports BufferUnderflow / BufferOverflow when a canary byte changed; true when intact. */
  private checkCanaries(e: number, op: "free" | "resize" | "remap" | "check" | "deinit"): boolean {
    const u32 = this.u32;
    const u8 = this.u8;
    const r = this.table + e * 8;
    const ptr = u32[r + E_PTR];
    const len = u32[r + E_LEN];
    const raw = u32[r + E_RAW];
    const end = raw + u32[r + E_RAW_LEN];
    let ok = true;
    for (let i = ptr - 1; i >= raw; i--) {
      if (u8[i] !== CANARY_BYTE) {
        this.report("BufferUnderflow", "byte " + (i - ptr) + " (before the start) of allocation " + ptr + " was overwritten: " + u8[i] + " instead of canary " + CANARY_BYTE, this.call(op, ptr, len), e, i - ptr);
        ok = false;
        break;
      }
    }
    for (let i = ptr + len; i < end; i++) {
      if (u8[i] !== CANARY_BYTE) {
        this.report("BufferOverflow", "byte " + (i - ptr) + " (past the end) of the " + len + "-byte allocation " + ptr + " was overwritten: " + u8[i] + " instead of canary " + CANARY_BYTE, this.call(op, ptr, len), e, i - ptr);
        ok = false;
        break;
      }
    }
    return ok;
  }

  /** A quarantined block must still be all poison inside and canary around. */
  private checkFreed(e: number, op: "check" | "free" | "deinit"): void {
    const u32 = this.u32;
    const u8 = this.u8;
    const r = this.table + e * 8;
    const ptr = u32[r + E_PTR];
    const len = u32[r + E_LEN];
    for (let i = ptr; i < ptr + len; i++) {
      if (u8[i] !== POISON_BYTE) {
        this.report("UseAfterFree", "byte " + (i - ptr) + " of the freed " + len + "-byte allocation " + ptr + " was written after its free: " + u8[i] + " instead of poison " + POISON_BYTE, this.call(op, ptr, len), e, i - ptr);
        break;
      }
    }
    this.checkCanaries(e, op);
  }

  /**
   * Gives quarantined blocks back to the child, oldest first, until at most `keepBytes` stay:
   * checked for writes after their free, except when `keepBytes` is -1 (deinit: check() just
   * ran, and every block goes). At most one step per record: a list broken by a stray write
   * throws code Corrupt. Every block leaves the quarantine before its report is raised, so with
   * onReport "throw" a report is raised once and the quarantine stays within its maximum; the
   * first report thrown is rethrown once all the blocks asked for are back with the child.
   */
  private releaseQuarantine(keepBytes: number): void {
    const u32 = this.u32;
    const s = this.stateWord;
    let thrown: unknown = null;
    for (let steps = 0; u32[s + S_QHEAD] !== 0 && (keepBytes < 0 || u32[s + S_QBYTES] > keepBytes); steps++) {
      const e = u32[s + S_QHEAD] - 1;
      const r = this.table + e * 8;
      if (steps >= this.recordCount || e >= this.recordCount || (u32[r + E_INFO] & 255) !== QUARANTINED || u32[r + E_RAW_LEN] > u32[s + S_QBYTES]) {
        fail("Corrupt", "debug " + describe(this.region.name) + ": quarantine list broken at record " + e);
      }
      try {
        if (keepBytes >= 0) this.checkFreed(e, "free");
      } catch (report) {
        if (thrown === null) thrown = report;
      }
      u32[s + S_QHEAD] = u32[r + E_NEXT];
      if (u32[s + S_QHEAD] === 0) u32[s + S_QTAIL] = 0;
      u32[r + E_NEXT] = 0;
      u32[s + S_QBYTES] -= u32[r + E_RAW_LEN];
      this.setState(e, FREED);
      this.child.free(u32[r + E_RAW], u32[r + E_RAW_LEN]);
    }
    if (keepBytes >= 0 && u32[s + S_QBYTES] > keepBytes) fail("Corrupt", "debug " + describe(this.region.name) + ": the quarantine counts " + u32[s + S_QBYTES] + " bytes but its list is empty");
    if (thrown !== null) throw thrown;
  }

  private setState(e: number, state: number): void {
    const i = this.table + e * 8 + E_INFO;
    this.u32[i] = (this.u32[i] & ~255) | state;
  }

  private record(e: number): DebugRecord {
    const u32 = this.u32;
    const r = this.table + e * 8;
    const rec: DebugRecord = { ptr: u32[r + E_PTR], len: u32[r + E_LEN], align: 1 << ((u32[r + E_INFO] >> 8) & 255), tag: u32[r + E_INFO] >>> 16, seq: u32[r + E_ALLOC_SEQ] };
    if (this.allocStacks !== null && this.allocStacks[e]) rec.stack = this.allocStacks[e];
    return rec;
  }

  private call(op: DebugCall["op"], ptr: number, len: number): DebugCall {
    const c: DebugCall = { op: op, ptr: ptr, len: len, seq: this.u32[this.stateWord + S_SEQ] + 1 };
    if (this.allocStacks !== null) c.stack = stackText();
    return c;
  }

  /** Builds the report (the one place this allocator makes garbage) and hands it on. */
  private report(code: DebugReportCode, what: string, call: DebugCall, e: number, offset: number | undefined): void {
    let message = "debug " + describe(this.region.name) + ": " + code + ": " + what;
    const rep: DebugReport = { code: code, message: "", allocator: this.region.name, call: call };
    if (e >= 0) {
      const rec = this.record(e);
      rep.allocation = rec;
      message += "\n  allocated: " + recordText(rec);
      const freeSeq = this.u32[this.table + e * 8 + E_FREE_SEQ];
      if (freeSeq !== 0) {
        rep.firstFree = { seq: freeSeq };
        if (this.freeStacks !== null && this.freeStacks[e]) rep.firstFree.stack = this.freeStacks[e];
        message += "\n  first freed: #" + freeSeq + (rep.firstFree.stack ? "\n" + rep.firstFree.stack : "");
      }
    }
    message += "\n  this call: " + call.op + "(" + call.ptr + ", " + call.len + ") #" + call.seq + (call.stack ? "\n" + call.stack : "");
    if (offset !== undefined) rep.offset = offset;
    rep.message = message;
    this.deliver(rep);
  }

  private deliver(rep: DebugReport): void {
    this.u32[this.header + H_REPORTS]++;
    if (this.onReport === "throw") {
      const error = new Error("DebugReport: " + rep.message) as Error & { code: string; report: DebugReport };
      error.code = "DebugReport";
      error.report = rep;
      throw error;
    }
    this.onReport(rep);
  }
}

/** True when `child`, or an allocator it wraps, frees strictly LIFO (a StackAllocator: it has `top()`). */
function freesOnlyTop(child: Allocator): boolean {
  let a = child as Allocator & { top?: unknown; child?: Allocator };
  for (let depth = 0; depth < 16 && a !== null && typeof a === "object"; depth++) {
    if (typeof a.top === "function") return true;
    a = a.child as Allocator & { top?: unknown; child?: Allocator };
  }
  return false;
}

function checkTag(tag: unknown): number {
  if (!isWholeNumber(tag, 65535)) fail("InvalidArgument", "tag must be a whole number from 0 to 65535, got " + describe(tag));
  return tag as number;
}

function recordText(rec: DebugRecord): string {
  return "#" + rec.seq + " ptr " + rec.ptr + " len " + rec.len + " align " + rec.align + " tag " + rec.tag + (rec.stack ? "\n" + rec.stack : "");
}

/** The engine's stack text without its first lines (the Error line and this allocator's frames). */
function stackText(): string {
  const stack = new Error().stack;
  if (typeof stack !== "string") return "";
  const lines = stack.split("\n");
  const out: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].indexOf("stackText") >= 0 || lines[i].indexOf("DebugAllocator.") >= 0) continue;
    out.push(lines[i]);
  }
  return out.join("\n");
}

/** The default `onReport`: prints the report's text. */
export function printReport(report: DebugReport): void {
  printLine(report.message);
}
export interface DebugAllocator extends WrapperHelpers {}
