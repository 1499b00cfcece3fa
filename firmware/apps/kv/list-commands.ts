// Commands on lists: RPUSH, LPUSH, LRANGE, LLEN, LPOP. The pages are lists.ts's; a push takes
// every page it needs before it touches the list, so running out changes nothing.
import { E_LEN, E_TYPE, TYPE_LIST } from "./config.js";
import { findArg, insertArg } from "./keys-commands.js";
import type { Kv } from "./kv.js";
import { A_PAIRS } from "./resp.js";
import { T_EMPTY, T_KEYLONG, T_LISTLONG, T_NIL, T_NILARR, T_NOTINT, T_OOM_KEYS, T_OOM_PAGES, T_POSITIVE, T_VALUELONG, T_WRONGTYPE } from "./text.js";

/** The list entry named by argument i, 0 if there is none, or -1 (with the error replied) if it is not a list. */
function listArg(kv: Kv, i: number): number {
  const e = findArg(kv, i);
  if (e !== 0 && kv.u8[e + E_TYPE] !== TYPE_LIST) {
    kv.reply.error(T_WRONGTYPE);
    return -1;
  }
  return e;
}

/** RPUSH and LPUSH: all elements or none. */
export function pushCommand(this: Kv, argc: number, left: boolean): void {
  const kv = this;
  const args = kv.args;
  const reply = kv.reply;
  const lists = kv.lists;
  if (args.lengthOf(1) > kv.keySizeMax) return reply.error(T_KEYLONG);
  for (let i = 2; i < argc; i++) if (args.lengthOf(i) > kv.valueSizeMax) return reply.error(T_VALUELONG);
  let e = findArg(kv, 1);
  if (e !== 0 && kv.u8[e + E_TYPE] !== TYPE_LIST) return reply.error(T_WRONGTYPE);
  const len = e === 0 ? 0 : kv.u32[(e + E_LEN) >> 2];
  if (len + argc - 2 > kv.listLengthMax) return reply.error(T_LISTLONG);
  // Every page first (reading the elements' lengths from the argument table), then the key: out
  // of memory at either step changes nothing.
  if (!lists.reserve(e, left, kv.u32, args.table + A_PAIRS + 2 * 2 + 1, 2, argc - 2)) return reply.error(T_OOM_PAGES);
  if (e === 0) {
    e = insertArg(kv, TYPE_LIST);
    if (e === 0) {
      lists.release();
      return reply.error(T_OOM_KEYS);
    }
  }
  for (let i = 2; i < argc; i++) lists.push(e, left, args.offset(i), args.lengthOf(i));
  lists.release();
  return reply.int(kv.u32[(e + E_LEN) >> 2]);
}

export function lrangeCommand(this: Kv): void {
  const kv = this;
  const args = kv.args;
  const reply = kv.reply;
  if (!args.int(2)) return reply.error(T_NOTINT);
  let from = args.intValue;
  if (!args.int(3)) return reply.error(T_NOTINT);
  let to = args.intValue;
  const e = listArg(kv, 1);
  if (e < 0) return;
  if (e === 0) return reply.text(T_EMPTY);
  const len = kv.u32[(e + E_LEN) >> 2];
  if (from < 0) from += len;
  if (to < 0) to += len;
  if (from < 0) from = 0;
  if (to >= len) to = len - 1;
  if (from > to || from >= len) return reply.text(T_EMPTY);
  reply.num(42, to - from + 1);
  kv.lists.range(e, from, to, kv.onBulk);
}

export function llenCommand(this: Kv): void {
  const kv = this;
  const e = listArg(kv, 1);
  if (e < 0) return;
  return kv.reply.int(e === 0 ? 0 : kv.u32[(e + E_LEN) >> 2]);
}

/** LPOP key [count]; a list that becomes empty is deleted, as in Redis. */
export function lpopCommand(this: Kv, argc: number): void {
  const kv = this;
  const args = kv.args;
  const reply = kv.reply;
  let count = -1;
  if (argc === 3) {
    if (!args.int(2) || args.intValue < 0) return reply.error(T_POSITIVE);
    count = args.intValue;
  }
  const e = listArg(kv, 1);
  if (e < 0) return;
  if (e === 0) return reply.text(count < 0 ? T_NIL : T_NILARR);
  const len = kv.u32[(e + E_LEN) >> 2];
  let n = count < 0 ? 1 : count < len ? count : len;
  if (count >= 0) reply.num(42, n);
  let left = len;
  while (n-- > 0) left = kv.lists.popLeft(e, kv.onBulk);
  if (left === 0) kv.store.remove(e);
}
