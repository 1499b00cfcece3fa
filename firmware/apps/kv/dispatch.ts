// The dispatcher: finds the command a request names (a case-folded hash of the name into a table
// built at boot, the bytes compared with the name in the text table: no string made), checks its
// argument count, and runs it. Unknown commands and wrong arities get Redis's error lines. The
// commands about the server rather than a key (PING, ECHO, DBSIZE, FLUSHALL, SAVE, QUIT, SELECT,
// and the COMMAND / CONFIG stubs redis-cli and redis-benchmark need) are a line or two each and
// run here: each function costs JsVars on the device, even run from flash.
import { C_FLAGS, FLAG_CLOSING, K_SAVES } from "./config.js";
import { CMD_COMMAND, CMD_CONFIG, CMD_DBSIZE, CMD_DEL, CMD_ECHO, CMD_EXISTS, CMD_FLUSHALL, CMD_GET, CMD_INCR, CMD_INFO, CMD_LLEN, CMD_LPOP, CMD_LPUSH,
  CMD_LRANGE, CMD_PING, CMD_QUIT, CMD_RPUSH, CMD_SAVE, CMD_SELECT, CMD_SET, CMD_TTL, CMD_TYPE, COMMANDS, T_ARITY1, T_ARITY2, T_DBINDEX, T_EMPTY,
  T_EMPTYBULK, T_NOTINT, T_OK, T_PONG, T_SAVEFAIL, T_SYNTAX, T_TOOMANY, T_UNKNOWN1, T_UNKNOWN2, W_ASYNC, W_GET, W_SYNC } from "./text.js";
import type { Kv } from "./kv.js";

/** Slots of the command table: a power of two, well above the number of commands. */
const SLOTS = 64;

export class CommandTable {
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly texts: number;
  /** Command id + 1 per slot (0 = empty), open addressing. Made once at boot. */
  private readonly slots: number[];

  constructor(u8: Uint8Array, u16: Uint16Array, texts: number) {
    this.u8 = u8;
    this.u16 = u16;
    this.texts = texts;
    this.slots = [];
    for (let i = 0; i < SLOTS; i++) this.slots.push(0);
    for (let id = 0; id < COMMANDS.length; id++) {
      let h = this.nameHash(texts + u16[(texts + 4 * id) >> 1], COMMANDS[id].length);
      while (this.slots[h] !== 0) h = (h + 1) & (SLOTS - 1);
      this.slots[h] = id + 1;
    }
  }

  /** Case-insensitive hash of a command name. */
  private nameHash(p: number, n: number): number {
    const u8 = this.u8;
    let h = n;
    for (let i = 0; i < n; i++) h = (h * 31 + (u8[p + i] & 0xdf)) & 0xffff;
    return h & (SLOTS - 1);
  }

  /** The command id of the name at u8[p..p+n), or -1. */
  lookup(p: number, n: number): number {
    const u8 = this.u8;
    let h = this.nameHash(p, n);
    for (let probes = 0; probes < SLOTS; probes++) {
      const id = this.slots[h] - 1;
      if (id < 0) return -1;
      const e = this.texts + 4 * id;
      if (this.u16[(e + 2) >> 1] === n) {
        const q = this.texts + this.u16[e >> 1];
        let i = 0;
        // & 0xdf folds case for letters; a name is letters only, so a digit or symbol cannot match.
        while (i < n && (u8[p + i] & 0xdf) === u8[q + i]) i++;
        if (i === n) return id;
      }
      h = (h + 1) & (SLOTS - 1);
    }
    return -1;
  }
}

/** Runs the request in kv's argument table; its reply goes to kv.reply. A method of Kv (kv.ts). */
export function runCommand(this: Kv): void {
  const kv = this;
  const args = kv.args;
  const reply = kv.reply;
  const argc = args.count();
  const id = kv.commands.lookup(args.offset(0), args.lengthOf(0));
  if (id < 0) return unknownCommand(kv);
  if (argc > args.max) return reply.error(T_TOOMANY);
  switch (id) {
    case CMD_PING:
      if (argc > 2) return wrongArity(kv, id);
      return argc === 2 ? reply.bulk(args.offset(1), args.lengthOf(1)) : reply.text(T_PONG);
    case CMD_ECHO:
      return argc !== 2 ? wrongArity(kv, id) : reply.bulk(args.offset(1), args.lengthOf(1));
    case CMD_SET:
      return argc < 3 ? wrongArity(kv, id) : kv.setCommand(argc);
    case CMD_GET:
      return argc !== 2 ? wrongArity(kv, id) : kv.getCommand();
    case CMD_DEL:
    case CMD_EXISTS:
      return argc < 2 ? wrongArity(kv, id) : kv.delExistsCommand(argc, id === CMD_DEL);
    case CMD_INCR:
      return argc !== 2 ? wrongArity(kv, id) : kv.incrCommand();
    case CMD_DBSIZE:
      // Expired keys are removed first.
      return argc !== 1 ? wrongArity(kv, id) : reply.int(kv.store.sweep());
    case CMD_RPUSH:
    case CMD_LPUSH:
      return argc < 3 ? wrongArity(kv, id) : kv.pushCommand(argc, id === CMD_LPUSH);
    case CMD_LRANGE:
      return argc !== 4 ? wrongArity(kv, id) : kv.lrangeCommand();
    case CMD_LLEN:
      return argc !== 2 ? wrongArity(kv, id) : kv.llenCommand();
    case CMD_LPOP:
      return argc < 2 || argc > 3 ? wrongArity(kv, id) : kv.lpopCommand(argc);
    case CMD_FLUSHALL:
      // SYNC and ASYNC both flush at once (there is no background thread to hand it to).
      if (argc > 2 || (argc === 2 && !args.is(1, W_SYNC) && !args.is(1, W_ASYNC))) return reply.error(T_SYNTAX);
      kv.store.flush();
      return reply.text(T_OK);
    case CMD_INFO:
      return kv.infoCommand(argc);
    case CMD_SAVE:
      if (argc !== 1) return wrongArity(kv, id);
      kv.u32[(kv.state + K_SAVES) >> 2]++;
      return kv.save() ? reply.text(T_OK) : reply.error(T_SAVEFAIL);
    case CMD_QUIT:
      // +OK, then the connection closes once its replies are sent.
      kv.u32[(reply.conn + C_FLAGS) >> 2] |= FLAG_CLOSING;
      return reply.text(T_OK);
    case CMD_COMMAND:
      // Enough for redis-cli to start: no command docs.
      return reply.text(T_EMPTY);
    case CMD_CONFIG:
      if (argc < 2) return wrongArity(kv, id);
      if (argc === 3 && args.is(1, W_GET)) {
        // Every parameter reads as "" (redis-benchmark asks for "save" and "appendonly").
        reply.num(42, 2);
        reply.bulk(args.offset(2), args.lengthOf(2));
        return reply.text(T_EMPTYBULK);
      }
      return reply.text(T_OK);
    case CMD_SELECT:
      // One database.
      if (argc !== 2) return wrongArity(kv, id);
      if (!args.int(1)) return reply.error(T_NOTINT);
      return args.intValue === 0 ? reply.text(T_OK) : reply.error(T_DBINDEX);
    case CMD_TYPE:
      return argc !== 2 ? wrongArity(kv, id) : kv.typeCommand();
    case CMD_TTL:
      return argc !== 2 ? wrongArity(kv, id) : kv.ttlCommand();
  }
  return unknownCommand(kv);
}

/** "-ERR wrong number of arguments for 'get' command": the name from the text table, in lowercase. */
function wrongArity(kv: Kv, id: number): void {
  const reply = kv.reply;
  reply.error(T_ARITY1);
  const e = kv.texts + 4 * id;
  const q = kv.texts + kv.u16[e >> 1];
  const n = kv.u16[(e + 2) >> 1];
  for (let i = 0; i < n; i++) reply.byte(kv.u8[q + i] | 0x20);
  reply.text(T_ARITY2);
}

/** "-ERR unknown command 'FOO', with args beginning with: 'a' 'b' ", as Redis words it. */
function unknownCommand(kv: Kv): void {
  const reply = kv.reply;
  const args = kv.args;
  reply.error(T_UNKNOWN1);
  quoted(kv, 0);
  reply.text(T_UNKNOWN2);
  const argc = args.count() < args.max ? args.count() : args.max;
  for (let i = 1; i < argc; i++) {
    reply.byte(39);
    quoted(kv, i);
    reply.byte(39);
    reply.byte(32);
  }
  reply.crlf();
}

/** Argument i's first 128 bytes, control bytes as spaces (an error line must stay one line). */
function quoted(kv: Kv, i: number): void {
  const p = kv.args.offset(i);
  const n = kv.args.lengthOf(i) < 128 ? kv.args.lengthOf(i) : 128;
  for (let j = 0; j < n; j++) {
    const b = kv.u8[p + j];
    kv.reply.byte(b < 32 ? 32 : b);
  }
}
