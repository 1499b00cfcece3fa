// The key store: a chained hash table whose heads are a u32 array in the heap ("buckets") and
// whose entries are fixed-size slots from the "keys" allocator (a pool at boot). A string value
// lives inline in its entry; a list's pages belong to lists.ts. Expiry is lazy: an expired key
// is removed when it is next looked up, and by DBSIZE.
//
// Every walk over the chains is bounded: a chain cannot hold more entries than the keys region
// has slots, so a longer walk means a link was overwritten (a stray write), and it throws code
// Corrupt instead of spinning forever.
import type { Allocator } from "../../../src/allocator.js";
import { fail } from "../../../src/heap/errors.js";
import { E_EXPIRE, E_HEAD, E_KEY, E_KEYLEN, E_LEN, E_NEXT, E_TAIL, E_TYPE, K_KEYS, TYPE_LIST } from "./config.js";

/** Milliseconds since 1970 (Espruino's Date.now() is that too). */
export function nowMs(): number {
  return Date.now();
}

/** Cold path: a walk met more entries than the keys region holds. */
function chainCorrupt(bucket: number, entriesMax: number): never {
  return fail("Corrupt", "kv: the hash chain of bucket " + bucket + " holds more than the " + entriesMax + " entries the keys region has room for (a link was overwritten)");
}

export class Store {
  readonly u8: Uint8Array;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;
  readonly keys: Allocator;
  /** Word index of the first bucket. */
  readonly firstBucket: number;
  /** The bucket count - 1 (a power of two - 1): a hash & bucketMask is a bucket. */
  readonly bucketMask: number;
  /** The keys region's slot count: no chain, and no store, holds more entries. */
  readonly entriesMax: number;
  readonly keySizeMax: number;
  readonly entryBytes: number;
  /** Word index of the keys counter in the kv state block. */
  readonly keyCounter: number;
  /** Frees a list's pages (set by the owner of the lists). */
  freeList: (entry: number) => void;

  constructor(u8: Uint8Array, u32: Uint32Array, f64: Float64Array, keys: Allocator, buckets: number, bucketCount: number, keySizeMax: number, entryBytes: number, entriesMax: number, state: number) {
    this.u8 = u8;
    this.u32 = u32;
    this.f64 = f64;
    this.keys = keys;
    this.firstBucket = buckets >> 2;
    this.bucketMask = bucketCount - 1;
    this.keySizeMax = keySizeMax;
    this.entryBytes = entryBytes;
    this.entriesMax = entriesMax;
    this.keyCounter = (state >> 2) + (K_KEYS >> 2);
    this.freeList = function () {};
  }

  /** Empties every bucket; the entries must already be gone (a new store). */
  clearBuckets(): void {
    const u32 = this.u32;
    for (let i = 0; i <= this.bucketMask; i++) u32[this.firstBucket + i] = 0;
    u32[this.keyCounter] = 0;
  }

  get count(): number {
    return this.u32[this.keyCounter];
  }

  /** djb2 (xor form) over the key bytes, in 32 bits without Math.imul. */
  hash(p: number, n: number): number {
    const u8 = this.u8;
    let h = 5381;
    for (let i = 0; i < n; i++) h = (((h << 5) + h) ^ u8[p + i]) | 0;
    return h & this.bucketMask;
  }

  /** The live entry for the key at u8[p..p+n), or 0. Removes it first if it has expired. */
  find(p: number, n: number): number {
    if (n > this.keySizeMax) return 0;
    const u8 = this.u8;
    const u32 = this.u32;
    const bucket = this.hash(p, n);
    let e = u32[this.firstBucket + bucket];
    let left = this.entriesMax;
    while (e !== 0) {
      if (left-- === 0) chainCorrupt(bucket, this.entriesMax);
      if (u8[e + E_KEYLEN] === n) {
        let i = 0;
        const k = e + E_KEY;
        while (i < n && u8[k + i] === u8[p + i]) i++;
        if (i === n) {
          if (this.f64[(e + E_EXPIRE) >> 3] !== 0 && this.f64[(e + E_EXPIRE) >> 3] <= nowMs()) {
            this.remove(e);
            return 0;
          }
          return e;
        }
      }
      e = u32[(e + E_NEXT) >> 2];
    }
    return 0;
  }

  /** A new entry for a key that is not in the store, of `type`; 0 when the store is full. */
  insert(p: number, n: number, type: number): number {
    const e = this.keys.alloc(this.entryBytes, 8);
    if (e === 0) return 0;
    const u8 = this.u8;
    const u32 = this.u32;
    const h = this.firstBucket + this.hash(p, n);
    u32[(e + E_NEXT) >> 2] = u32[h];
    u32[(e + E_HEAD) >> 2] = 0;
    u32[(e + E_TAIL) >> 2] = 0;
    u32[(e + E_LEN) >> 2] = 0;
    this.f64[(e + E_EXPIRE) >> 3] = 0;
    u8[e + E_TYPE] = type;
    u8[e + E_KEYLEN] = n;
    for (let i = 0; i < n; i++) u8[e + E_KEY + i] = u8[p + i];
    u32[h] = e;
    u32[this.keyCounter]++;
    return e;
  }

  /** Unlinks and frees an entry (and its list pages). */
  remove(e: number): void {
    const u32 = this.u32;
    const bucket = this.hash(e + E_KEY, this.u8[e + E_KEYLEN]);
    const h = this.firstBucket + bucket;
    const next = u32[(e + E_NEXT) >> 2];
    if (u32[h] === e) {
      u32[h] = next;
    } else {
      let q = u32[h];
      let left = this.entriesMax;
      while (q !== 0 && u32[(q + E_NEXT) >> 2] !== e) {
        if (left-- === 0) chainCorrupt(bucket, this.entriesMax);
        q = u32[(q + E_NEXT) >> 2];
      }
      if (q !== 0) u32[(q + E_NEXT) >> 2] = next;
    }
    if (this.u8[e + E_TYPE] === TYPE_LIST) this.freeList(e);
    this.keys.free(e, this.entryBytes);
    u32[this.keyCounter]--;
  }

  /**
   * Removes every entry: FLUSHALL. Bounded by the bucket count plus the key counter: an entry
   * left after that many removals is reached twice (a cycle), and is not freed twice.
   */
  flush(): void {
    const u32 = this.u32;
    let left = u32[this.keyCounter] < this.entriesMax ? u32[this.keyCounter] : this.entriesMax;
    for (let i = 0; i <= this.bucketMask; i++) {
      while (u32[this.firstBucket + i] !== 0) {
        if (left-- === 0) chainCorrupt(i, this.entriesMax);
        this.remove(u32[this.firstBucket + i]);
      }
    }
  }

  /** Removes expired keys; returns the keys left. */
  sweep(): number {
    const u32 = this.u32;
    const f64 = this.f64;
    let now = -1;
    let left = this.entriesMax;
    for (let i = 0; i <= this.bucketMask; i++) {
      let e = u32[this.firstBucket + i];
      while (e !== 0) {
        if (left-- === 0) chainCorrupt(i, this.entriesMax);
        const next = u32[(e + E_NEXT) >> 2];
        const at = f64[(e + E_EXPIRE) >> 3];
        if (at !== 0) {
          if (now < 0) now = nowMs();
          if (at <= now) this.remove(e);
        }
        e = next;
      }
    }
    return u32[this.keyCounter];
  }

  /** Calls fn(entry) for every entry, for checks and reports (not on the request path). */
  forEach(fn: (e: number) => void): void {
    const u32 = this.u32;
    let left = this.entriesMax;
    for (let i = 0; i <= this.bucketMask; i++) {
      for (let e = u32[this.firstBucket + i]; e !== 0; e = u32[(e + E_NEXT) >> 2]) {
        if (left-- === 0) chainCorrupt(i, this.entriesMax);
        fn(e);
      }
    }
  }
}
