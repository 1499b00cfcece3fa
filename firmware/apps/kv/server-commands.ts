// Commands about the server rather than a key: PING, ECHO, DBSIZE, FLUSHALL, SAVE, QUIT,
// SELECT, and the COMMAND / CONFIG stubs redis-cli and redis-benchmark need to start.
import { C_FLAGS, FLAG_CLOSING, K_SAVES } from "./config.js";
import type { Kv } from "./kv.js";
import { T_DBINDEX, T_EMPTY, T_EMPTYBULK, T_NOTINT, T_OK, T_PONG, T_SAVEFAIL, T_SYNTAX, W_ASYNC, W_GET, W_SYNC } from "./text.js";

export function pingCommand(kv: Kv, argc: number): void {
  if (argc === 2) return kv.reply.bulk(kv.args.offset(1), kv.args.length(1));
  return kv.reply.text(T_PONG);
}

export function echoCommand(kv: Kv): void {
  return kv.reply.bulk(kv.args.offset(1), kv.args.length(1));
}

/** The number of keys, expired ones removed first. */
export function dbsizeCommand(kv: Kv): void {
  return kv.reply.int(kv.store.sweep());
}

/** FLUSHALL [SYNC | ASYNC]: both flush at once (there is no background thread to hand it to). */
export function flushallCommand(kv: Kv, argc: number): void {
  const args = kv.args;
  if (argc > 2 || (argc === 2 && !args.is(1, W_SYNC) && !args.is(1, W_ASYNC))) return kv.reply.error(T_SYNTAX);
  kv.store.flush();
  return kv.reply.text(T_OK);
}

/** Writes the heap image to Storage. */
export function saveCommand(kv: Kv): void {
  kv.u32[(kv.state + K_SAVES) >> 2]++;
  return kv.save() ? kv.reply.text(T_OK) : kv.reply.error(T_SAVEFAIL);
}

/** +OK, then the connection closes once its replies are sent. */
export function quitCommand(kv: Kv): void {
  kv.u32[(kv.reply.conn + C_FLAGS) >> 2] |= FLAG_CLOSING;
  return kv.reply.text(T_OK);
}

/** One database: SELECT 0 only. */
export function selectCommand(kv: Kv): void {
  if (!kv.args.int(1)) return kv.reply.error(T_NOTINT);
  return kv.args.intValue === 0 ? kv.reply.text(T_OK) : kv.reply.error(T_DBINDEX);
}

/** Enough for redis-cli to start: no command docs. */
export function commandCommand(kv: Kv): void {
  return kv.reply.text(T_EMPTY);
}

/** CONFIG GET name reads every parameter as "" (redis-benchmark asks for "save" and "appendonly"); anything else is +OK. */
export function configCommand(kv: Kv, argc: number): void {
  const reply = kv.reply;
  if (argc === 3 && kv.args.is(1, W_GET)) {
    reply.array(2);
    reply.bulk(kv.args.offset(2), kv.args.length(2));
    return reply.text(T_EMPTYBULK);
  }
  return reply.text(T_OK);
}
