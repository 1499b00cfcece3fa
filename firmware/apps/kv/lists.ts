// Lists: a chain of fixed-size pages from the "pages" allocator (a pool at boot), elements
// packed in each page as [length: 1 byte below 128, else 2 bytes][bytes]. LPUSH writes before a
// page's first element and RPUSH after its last, so pushes on either side fill pages; LPOP
// reads at the front. A push first takes every page it will need, so it either succeeds whole
// or changes nothing (out of memory leaves the list as it was).
//
// Every walk over page links is bounded by the pages region's slot count: a longer chain means a
// link was overwritten, and the walk throws code Corrupt instead of spinning.
import type { Allocator } from "../../../src/allocator.js";
import { fail } from "../../../src/heap/errors.js";
import { E_HEAD, E_LEN, E_TAIL, P_COUNT, P_DATA, P_END, P_NEXT, P_START } from "./config.js";

/** Cold path: a page chain does not end (at its tail) within the pages region's count. */
function pagesCorrupt(entry: number, pagesMax: number): never {
  return fail("Corrupt", "kv: the page chain of the list at " + entry + " does not end at its tail within the " + pagesMax + " pages the pages region has (a link was overwritten)");
}

export class Lists {
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly u32: Uint32Array;
  readonly pages: Allocator;
  readonly pageBytes: number;
  /** The pages region's slot count: no chain of pages is longer. */
  readonly pagesMax: number;
  /** Offset of the end of a page's payload, from the page's start. */
  readonly payloadEnd: number;
  /** Payload bytes of a page. */
  readonly payloadBytes: number;
  /** Pages taken for the push in progress, chained through P_NEXT. */
  spare: number;

  constructor(u8: Uint8Array, u16: Uint16Array, u32: Uint32Array, pages: Allocator, pageBytes: number, payloadBytes: number, pagesMax: number) {
    this.u8 = u8;
    this.u16 = u16;
    this.u32 = u32;
    this.pages = pages;
    this.pageBytes = pageBytes;
    this.pagesMax = pagesMax;
    this.payloadBytes = payloadBytes;
    this.payloadEnd = P_DATA + payloadBytes;
    this.spare = 0;
  }

  /** Bytes free in front of the head page (left) or behind the tail page (right) of entry e's list. */
  room(e: number, left: boolean): number {
    if (e === 0) return 0;
    const u16 = this.u16;
    if (left) {
      const head = this.u32[(e + E_HEAD) >> 2];
      return head === 0 ? 0 : u16[(head + P_START) >> 1] - P_DATA;
    }
    const tail = this.u32[(e + E_TAIL) >> 2];
    return tail === 0 ? 0 : this.payloadEnd - u16[(tail + P_END) >> 1];
  }

  /**
   * Takes the pages a push of elements of the lengths at lengths[at + i * step] (count of them, every one at
   * most the payload) needs; false, with nothing taken, when the allocator runs out.
   */
  reserve(e: number, left: boolean, lengths: Uint32Array, at: number, step: number, count: number): boolean {
    let space = this.room(e, left);
    let need = 0;
    for (let i = 0; i < count; i++) {
      const n = lengths[at + i * step];
      const k = (n < 128 ? 1 : 2) + n;
      if (k <= space) {
        space -= k;
      } else {
        need++;
        space = this.payloadBytes - k;
      }
    }
    for (let i = 0; i < need; i++) {
      const pg = this.pages.alloc(this.pageBytes, 4);
      if (pg === 0) {
        this.release();
        return false;
      }
      this.u32[(pg + P_NEXT) >> 2] = this.spare;
      this.spare = pg;
    }
    return true;
  }

  /** Gives back pages reserve() took that a push did not use. */
  release(): void {
    let left = this.pagesMax;
    while (this.spare !== 0) {
      if (left-- === 0) pagesCorrupt(0, this.pagesMax);
      const pg = this.spare;
      this.spare = this.u32[(pg + P_NEXT) >> 2];
      this.pages.free(pg, this.pageBytes);
    }
  }

  /** Pushes the n bytes at u8[p..] on the left or right of entry e's list, using reserved pages when full. */
  push(e: number, left: boolean, p: number, n: number): void {
    const u8 = this.u8;
    const u16 = this.u16;
    const u32 = this.u32;
    const k = (n < 128 ? 1 : 2) + n;
    let q: number;
    if (left) {
      let head = u32[(e + E_HEAD) >> 2];
      if (head === 0 || u16[(head + P_START) >> 1] - P_DATA < k) {
        const pg = this.take();
        u16[(pg + P_START) >> 1] = this.payloadEnd;
        u16[(pg + P_END) >> 1] = this.payloadEnd;
        u16[(pg + P_COUNT) >> 1] = 0;
        u32[(pg + P_NEXT) >> 2] = head;
        u32[(e + E_HEAD) >> 2] = pg;
        if (head === 0) u32[(e + E_TAIL) >> 2] = pg;
        head = pg;
      }
      const start = u16[(head + P_START) >> 1] - k;
      u16[(head + P_START) >> 1] = start;
      u16[(head + P_COUNT) >> 1]++;
      q = head + start;
    } else {
      let tail = u32[(e + E_TAIL) >> 2];
      if (tail === 0 || this.payloadEnd - u16[(tail + P_END) >> 1] < k) {
        const pg = this.take();
        u16[(pg + P_START) >> 1] = P_DATA;
        u16[(pg + P_END) >> 1] = P_DATA;
        u16[(pg + P_COUNT) >> 1] = 0;
        u32[(pg + P_NEXT) >> 2] = 0;
        if (tail === 0) u32[(e + E_HEAD) >> 2] = pg;
        else u32[(tail + P_NEXT) >> 2] = pg;
        u32[(e + E_TAIL) >> 2] = pg;
        tail = pg;
      }
      const end = u16[(tail + P_END) >> 1];
      u16[(tail + P_END) >> 1] = end + k;
      u16[(tail + P_COUNT) >> 1]++;
      q = tail + end;
    }
    if (n < 128) {
      u8[q] = n;
      q++;
    } else {
      u8[q] = 128 | (n >> 8);
      u8[q + 1] = n & 255;
      q += 2;
    }
    for (let i = 0; i < n; i++) u8[q + i] = u8[p + i];
    u32[(e + E_LEN) >> 2]++;
  }

  private take(): number {
    const pg = this.spare;
    this.spare = this.u32[(pg + P_NEXT) >> 2];
    return pg;
  }

  /** Removes the first element; `onElement(ptr, len)` sees its bytes before its page can be freed. Returns the elements left. */
  popLeft(e: number, onElement: (p: number, n: number) => void): number {
    const u8 = this.u8;
    const u16 = this.u16;
    const u32 = this.u32;
    const h = u32[(e + E_HEAD) >> 2];
    const s = u16[(h + P_START) >> 1];
    let q = h + s;
    let n = u8[q];
    if (n < 128) {
      q++;
    } else {
      n = ((n & 127) << 8) | u8[q + 1];
      q += 2;
    }
    onElement(q, n);
    u16[(h + P_START) >> 1] = q + n - h;
    if (--u16[(h + P_COUNT) >> 1] === 0) {
      const next = u32[(h + P_NEXT) >> 2];
      u32[(e + E_HEAD) >> 2] = next;
      if (next === 0) u32[(e + E_TAIL) >> 2] = 0;
      this.pages.free(h, this.pageBytes);
    }
    return --u32[(e + E_LEN) >> 2];
  }

  /** Calls onElement(ptr, len) for elements from..to (0-based, inclusive, already in range). */
  range(e: number, from: number, to: number, onElement: (p: number, n: number) => void): void {
    const u8 = this.u8;
    const u16 = this.u16;
    const u32 = this.u32;
    let pg = u32[(e + E_HEAD) >> 2];
    let index = 0;
    let left = this.pagesMax;
    // Skip whole pages by their counts.
    while (pg !== 0 && index + u16[(pg + P_COUNT) >> 1] <= from) {
      if (left-- === 0) pagesCorrupt(e, this.pagesMax);
      index += u16[(pg + P_COUNT) >> 1];
      pg = u32[(pg + P_NEXT) >> 2];
    }
    while (pg !== 0 && index <= to) {
      if (left-- === 0) pagesCorrupt(e, this.pagesMax);
      let q = pg + u16[(pg + P_START) >> 1];
      const end = pg + u16[(pg + P_END) >> 1];
      while (q < end && index <= to) {
        let n = u8[q];
        if (n < 128) {
          q++;
        } else {
          n = ((n & 127) << 8) | u8[q + 1];
          q += 2;
        }
        if (index >= from) onElement(q, n);
        q += n;
        index++;
      }
      pg = u32[(pg + P_NEXT) >> 2];
    }
  }

  /**
   * Frees every page of entry e's list. The chain is walked once first: it must end at the tail
   * within the pages region's count, so a corrupted chain throws before any page is freed twice.
   */
  free(e: number): void {
    const u32 = this.u32;
    const tail = u32[(e + E_TAIL) >> 2];
    let pg = u32[(e + E_HEAD) >> 2];
    let left = this.pagesMax;
    while (pg !== tail) {
      if (pg === 0 || left-- === 0) pagesCorrupt(e, this.pagesMax);
      pg = u32[(pg + P_NEXT) >> 2];
    }
    if (tail !== 0 && u32[(tail + P_NEXT) >> 2] !== 0) pagesCorrupt(e, this.pagesMax);
    pg = u32[(e + E_HEAD) >> 2];
    while (pg !== 0) {
      const next = u32[(pg + P_NEXT) >> 2];
      this.pages.free(pg, this.pageBytes);
      pg = next;
    }
    u32[(e + E_HEAD) >> 2] = 0;
    u32[(e + E_TAIL) >> 2] = 0;
    u32[(e + E_LEN) >> 2] = 0;
  }
}
