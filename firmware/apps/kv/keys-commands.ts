// Commands on keys and string values: SET (with every Redis 7 option), GET, INCR, DEL, EXISTS,
// TTL, TYPE. Keys and values are read in place from the receive buffer and copied once, into
// their key entry.
import { E_EXPIRE, E_KEY, E_LEN, E_TYPE, TYPE_LIST, TYPE_STRING } from "./config.js";
import { INT_MAX } from "./args.js";
import type { Kv } from "./kv.js";
import { digitsAt } from "./reply.js";
import { nowMs } from "./store.js";
import { T_EXPIRE, T_KEYLONG, T_NIL, T_NOTINT, T_OK, T_OOM_KEYS, T_OVERFLOW, T_SYNTAX, T_TYPE_LIST, T_TYPE_NONE, T_TYPE_STRING, T_VALUELONG,
  T_WRONGTYPE, W_EX, W_EXAT, W_GET, W_KEEPTTL, W_NX, W_PX, W_PXAT, W_XX } from "./text.js";

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

/** The live entry named by argument i, or 0. */
export function findArg(kv: Kv, i: number): number {
  return kv.store.find(kv.args.offset(i), kv.args.lengthOf(i));
}

/** A new entry of `type` for the key in argument 1 (not in the store); expired keys are swept to make room. 0 when full. */
export function insertArg(kv: Kv, type: number): number {
  const p = kv.args.offset(1);
  const n = kv.args.lengthOf(1);
  let e = kv.store.insert(p, n, type);
  if (e === 0 && kv.store.sweep() < kv.config.keyCount) e = kv.store.insert(p, n, type);
  return e;
}

/**
 * SET key value [NX | XX] [GET] [EX s | PX ms | EXAT unix-s | PXAT unix-ms | KEEPTTL], as
 * Redis 7 parses it: options in any order, the same one repeated is allowed (the last expiry
 * wins), conflicting ones are a syntax error, and the expiry value is checked after them all.
 */
export function setCommand(this: Kv, argc: number): void {
  const kv = this;
  const args = kv.args;
  const reply = kv.reply;
  const keyLength = args.lengthOf(1);
  const valueLength = args.lengthOf(2);
  if (keyLength > kv.keySizeMax) return reply.error(T_KEYLONG);
  if (valueLength > kv.valueSizeMax) return reply.error(T_VALUELONG);
  let flags = 0;
  let expireArg = 0;
  for (let i = 3; i < argc; i++) {
    // The SET_* bit of an expiry option (EX, PX, EXAT, PXAT), or 0.
    const expiry = args.is(i, W_EX) ? SET_EX : args.is(i, W_PX) ? SET_PX : args.is(i, W_EXAT) ? SET_EXAT : args.is(i, W_PXAT) ? SET_PXAT : 0;
    if (args.is(i, W_NX) && (flags & SET_XX) === 0) flags |= SET_NX;
    else if (args.is(i, W_XX) && (flags & SET_NX) === 0) flags |= SET_XX;
    else if (args.is(i, W_GET)) flags |= SET_GET;
    else if (args.is(i, W_KEEPTTL) && (flags & SET_EXPIRY) === 0) flags |= SET_KEEPTTL;
    else if (expiry !== 0 && i + 1 < argc && (flags & (SET_KEEPTTL | (SET_EXPIRY & ~expiry))) === 0) {
      flags |= expiry;
      expireArg = ++i;
    } else {
      return reply.error(T_SYNTAX);
    }
  }
  let at = 0;
  if (expireArg !== 0) {
    if (!args.int(expireArg)) return reply.error(T_NOTINT);
    if (args.intValue <= 0) return reply.error(T_EXPIRE);
    const ms = (flags & (SET_EX | SET_EXAT)) !== 0 ? args.intValue * 1000 : args.intValue;
    at = (flags & (SET_EX | SET_PX)) !== 0 ? nowMs() + ms : ms;
  }
  const u8 = kv.u8;
  const get = (flags & SET_GET) !== 0;
  let e = findArg(kv, 1);
  if (get && e !== 0 && u8[e + E_TYPE] !== TYPE_STRING) return reply.error(T_WRONGTYPE);
  if (((flags & SET_NX) !== 0 && e !== 0) || ((flags & SET_XX) !== 0 && e === 0)) {
    return get && e !== 0 ? reply.bulk(e + E_KEY + kv.keySizeMax, kv.u32[(e + E_LEN) >> 2]) : reply.text(T_NIL);
  }
  if (e === 0) {
    e = insertArg(kv, TYPE_STRING);
    if (e === 0) return reply.error(T_OOM_KEYS);
    if (get) reply.text(T_NIL);
  } else {
    // The old value goes into the reply before the new one overwrites it.
    if (get) reply.bulk(e + E_KEY + kv.keySizeMax, kv.u32[(e + E_LEN) >> 2]);
    if (u8[e + E_TYPE] === TYPE_LIST) {
      kv.lists.free(e);
      u8[e + E_TYPE] = TYPE_STRING;
    }
  }
  const v = e + E_KEY + kv.keySizeMax;
  const p = args.offset(2);
  for (let i = 0; i < valueLength; i++) u8[v + i] = u8[p + i];
  kv.u32[(e + E_LEN) >> 2] = valueLength;
  if ((flags & SET_KEEPTTL) === 0) kv.f64[(e + E_EXPIRE) >> 3] = at;
  // An EXAT/PXAT already past: Redis sets, then deletes the key at once.
  if (at !== 0 && at <= nowMs()) kv.store.remove(e);
  if (!get) reply.text(T_OK);
}

export function getCommand(this: Kv): void {
  const kv = this;
  const e = findArg(kv, 1);
  if (e === 0) return kv.reply.text(T_NIL);
  if (kv.u8[e + E_TYPE] !== TYPE_STRING) return kv.reply.error(T_WRONGTYPE);
  return kv.reply.bulk(e + E_KEY + kv.keySizeMax, kv.u32[(e + E_LEN) >> 2]);
}

/** DEL and EXISTS: the count of the keys named that exist (and, for DEL, are removed). */
export function delExistsCommand(this: Kv, argc: number, del: boolean): void {
  const kv = this;
  let n = 0;
  for (let i = 1; i < argc; i++) {
    const e = findArg(kv, i);
    if (e !== 0) {
      n++;
      if (del) kv.store.remove(e);
    }
  }
  return kv.reply.int(n);
}

/** INCR on integers up to INT_MAX (2^53 - 1): a JS number, not Redis's int64. */
export function incrCommand(this: Kv): void {
  const kv = this;
  const args = kv.args;
  const reply = kv.reply;
  if (args.lengthOf(1) > kv.keySizeMax) return reply.error(T_KEYLONG);
  let e = findArg(kv, 1);
  let v = 0;
  if (e !== 0) {
    if (kv.u8[e + E_TYPE] !== TYPE_STRING) return reply.error(T_WRONGTYPE);
    if (!args.parseInt(e + E_KEY + kv.keySizeMax, kv.u32[(e + E_LEN) >> 2])) return reply.error(T_NOTINT);
    v = args.intValue;
  }
  if (v >= INT_MAX) return reply.error(T_OVERFLOW);
  v++;
  // The new value's length in decimal must fit the value bytes.
  let digits = v < 0 ? 2 : 1;
  for (let rest = v < 0 ? -v : v; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  if (digits > kv.valueSizeMax) return reply.error(T_VALUELONG);
  if (e === 0) {
    e = insertArg(kv, TYPE_STRING);
    if (e === 0) return reply.error(T_OOM_KEYS);
  }
  const value = e + E_KEY + kv.keySizeMax;
  kv.u32[(e + E_LEN) >> 2] = digitsAt(kv.u8, value, v) - value;
  return reply.int(v);
}

export function typeCommand(this: Kv): void {
  const kv = this;
  const e = findArg(kv, 1);
  if (e === 0) return kv.reply.text(T_TYPE_NONE);
  return kv.reply.text(kv.u8[e + E_TYPE] === TYPE_LIST ? T_TYPE_LIST : T_TYPE_STRING);
}

/** Seconds left, rounded as Redis does; -1 without an expiry, -2 for no key. */
export function ttlCommand(this: Kv): void {
  const kv = this;
  const e = findArg(kv, 1);
  if (e === 0) return kv.reply.int(-2);
  const at = kv.f64[(e + E_EXPIRE) >> 3];
  if (at === 0) return kv.reply.int(-1);
  return kv.reply.int(Math.floor((at - nowMs() + 500) / 1000));
}
