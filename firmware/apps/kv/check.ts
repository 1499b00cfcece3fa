// The store's checker (KV.kv.check() at the board's console, and the tests): walks every hash
// chain and every list and throws code Corrupt on the first inconsistency. Every walk is bounded
// by its region's slot count, so a corrupted link is reported, never followed forever.
import { fail } from "../../../src/heap/errors.js";
import { E_HEAD, E_KEY, E_KEYLEN, E_LEN, E_NEXT, E_TAIL, E_TYPE, P_COUNT, P_NEXT, TYPE_LIST, TYPE_STRING } from "./config.js";
import type { Kv } from "./kv.js";

/**
 * Every entry sits in the bucket its key hashes to and its key and value fit; each list's pages
 * hold its count, a walk finds as many elements, and the pages end at its tail; the key counter
 * matches the chains.
 */
export function checkStore(kv: Kv): void {
  let keys = 0;
  let pages = 0;
  const u8 = kv.u8;
  const u16 = kv.u16;
  const u32 = kv.u32;
  const store = kv.store;
  for (let bucket = 0; bucket <= store.bucketMask; bucket++) {
    let left = store.entriesMax;
    for (let e = u32[store.firstBucket + bucket]; e !== 0; e = u32[(e + E_NEXT) >> 2]) {
      if (left-- === 0) fail("Corrupt", "kv: the chain of bucket " + bucket + " is longer than the keys region");
      keys++;
      const n = u8[e + E_KEYLEN];
      if (n > kv.keySizeMax) fail("Corrupt", "kv: entry " + e + " has a key of " + n + " bytes");
      if (store.hash(e + E_KEY, n) !== bucket) fail("Corrupt", "kv: entry " + e + " is in bucket " + bucket + ", its key hashes to " + store.hash(e + E_KEY, n));
      const type = u8[e + E_TYPE];
      if (type === TYPE_STRING) {
        if (u32[(e + E_LEN) >> 2] > kv.valueSizeMax) fail("Corrupt", "kv: entry " + e + " has a value of " + u32[(e + E_LEN) >> 2] + " bytes");
      } else if (type === TYPE_LIST) {
        let count = 0;
        let last = 0;
        let walked = 0;
        for (let pg = u32[(e + E_HEAD) >> 2]; pg !== 0; pg = u32[(pg + P_NEXT) >> 2]) {
          if (++walked > kv.lists.pagesMax) fail("Corrupt", "kv: the pages of list " + e + " are more than the pages region holds");
          count += u16[(pg + P_COUNT) >> 1];
          last = pg;
        }
        pages += walked;
        let elements = 0;
        kv.lists.range(e, 0, 0x7fffffff, function () {
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
  if (pages > kv.lists.pagesMax) fail("Corrupt", "kv: the lists hold " + pages + " pages, more than the pages region");
}
