// A static gate on kv's request path: the per-request and per-byte functions create no objects,
// arrays, closures, template strings or concatenated strings (each would allocate JsVars on
// Espruino). Allowed: the socket API's strings (bytesToString builds the one string write()
// needs), and INFO, which builds its text from strings on purpose (not a hot command).
import { expect, test } from "vitest";
import { allocationsIn } from "../support/garbage.js";
import { Kv } from "../../firmware/apps/kv/commands.js";
import { Lists } from "../../firmware/apps/kv/lists.js";
import { parseRequest } from "../../firmware/apps/kv/resp.js";
import { KvServer } from "../../firmware/apps/kv/server.js";
import { Store } from "../../firmware/apps/kv/store.js";

const RULES = { stringLiterals: true };

const HOT: Array<[string, object, string[]]> = [
  ["Kv", Kv.prototype, ["exec", "run", "lookup", "nameHash", "argc", "ap", "an", "argIs", "intArg", "parseInt", "spill", "flush", "room", "byte", "raw", "text", "error", "crlf", "num", "digitsAt", "int", "bulk", "arity", "unknown", "quoted", "find", "set", "expiryOption", "bulkValue", "get", "delExists", "incr", "digitCount", "push", "list", "lrange", "llen", "lpop", "replyText"]],
  ["Store", Store.prototype, ["hash", "find", "insert", "remove", "flush", "sweep"]],
  ["Lists", Lists.prototype, ["room", "reserve", "release", "push", "take", "popLeft", "range", "free"]],
  ["KvServer", KvServer.prototype, ["receive", "release", "close"]],
];

/** Once per received chunk, telling a String from a byte array: the chunk itself is the socket API's string. */
const ALLOWED: { [method: string]: string[] } = { "KvServer.receive": ['string literal "string"'] };

for (const [name, proto, methods] of HOT) {
  test(name + ": the request path allocates nothing", () => {
    for (const m of methods) {
      const fn = (proto as { [k: string]: unknown })[m];
      expect(typeof fn, name + "." + m).toBe("function");
      const allowed = ALLOWED[name + "." + m] || [];
      const found = allocationsIn(fn, RULES).filter((a) => !allowed.some((ok) => a.startsWith(ok)));
      expect(found, name + "." + m).toEqual([]);
    }
  });
}

test("parseRequest allocates nothing", () => {
  expect(allocationsIn(parseRequest, RULES)).toEqual([]);
});
