// A static gate on kv's request path: the per-request and per-byte functions create no objects,
// arrays, closures, template strings or concatenated strings (each would allocate JsVars on
// Espruino). Allowed: the socket API's strings (bytesToString builds the one string write()
// needs), and INFO, which builds its text from strings on purpose (not a hot command), and the
// Corrupt errors of bounded walks (module-level functions called only when a link is broken).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { allocationsIn } from "../support/garbage.js";
import { Args } from "../../firmware/apps/kv/args.js";
import { CommandTable, runCommand } from "../../firmware/apps/kv/dispatch.js";
import * as keys from "../../firmware/apps/kv/keys-commands.js";
import { Kv } from "../../firmware/apps/kv/kv.js";
import * as lists from "../../firmware/apps/kv/list-commands.js";
import { Lists } from "../../firmware/apps/kv/lists.js";
import { digitsAt, ReplyWriter } from "../../firmware/apps/kv/reply.js";
import { parseRequest } from "../../firmware/apps/kv/resp.js";
import { KvServer } from "../../firmware/apps/kv/server.js";
import { Store } from "../../firmware/apps/kv/store.js";

const RULES = { stringLiterals: true };

/** Every method but the constructor. */
function methods(proto: object): string[] {
  return Object.getOwnPropertyNames(proto).filter((m) => m !== "constructor");
}

const HOT: Array<[string, object, string[]]> = [
  ["Kv", Kv.prototype, ["exec"]],
  ["ReplyWriter", ReplyWriter.prototype, methods(ReplyWriter.prototype).filter((m) => m !== "ascii")],
  ["Args", Args.prototype, methods(Args.prototype)],
  ["CommandTable", CommandTable.prototype, methods(CommandTable.prototype)],
  ["Store", Store.prototype, ["hash", "find", "insert", "remove", "flush", "sweep"]],
  ["Lists", Lists.prototype, ["room", "reserve", "release", "push", "take", "popLeft", "range", "free"]],
  ["KvServer", KvServer.prototype, ["receive", "release", "close"]],
];

/** Once per received chunk, telling a String from a byte array: the chunk itself is the socket API's string. */
const ALLOWED: { [method: string]: string[] } = { "KvServer.receive": ['string literal "string"'] };

for (const [name, proto, names] of HOT) {
  test(name + ": the request path allocates nothing", () => {
    expect(names.length).toBeGreaterThan(0);
    for (const m of names) {
      const fn = (proto as { [k: string]: unknown })[m];
      expect(typeof fn, name + "." + m).toBe("function");
      const allowed = ALLOWED[name + "." + m] || [];
      const found = allocationsIn(fn, RULES).filter((a) => !allowed.some((ok) => a.startsWith(ok)));
      expect(found, name + "." + m).toEqual([]);
    }
  });
}

test("the commands (all but INFO), the dispatcher, parseRequest and the number writers allocate nothing", () => {
  const fns: Array<[string, unknown]> = [["runCommand", runCommand], ["parseRequest", parseRequest], ["digitsAt", digitsAt]];
  for (const module of [keys, lists]) for (const [name, fn] of Object.entries(module)) fns.push([name, fn]);
  expect(fns.length).toBeGreaterThan(12);
  for (const [name, fn] of fns) expect(allocationsIn(fn, RULES), name).toEqual([]);
});

// The minifier turns a function called from exactly one place into a function expression at that
// place (terser's reduce_funcs), created anew at every call: a closure per request on the device.
// So no function on the request path may have a single call site; methods are never inlined.
// Boot-time and INFO-only functions may (each named here with where it runs).
const SINGLE_CALL_COLD: { [name: string]: string } = {
  checkConfig: "kvLayout: build, boot, INFO memory",
  kvPort: "app.start",
  layoutHash: "the Kv constructor",
  mergeConfig: "kvConfigFor: boot",
  startKv: "app.start",
  writeTexts: "the Kv constructor",
  argsTableBytes: "the Kv constructor",
  allTexts: "textTableBytes and writeTexts: boot",
  kvConfigFor: "kvConfig: boot",
  kvMemoryReport: "INFO memory",
  checkStore: "Kv.check(): the console and the tests",
};

test("no module-level function of kv has a single call site unless it runs only at boot or for INFO", () => {
  const dir = "firmware/apps/kv";
  const sources = readdirSync(dir).filter((f) => f.endsWith(".ts")).map((f) => readFileSync(join(dir, f), "utf8"));
  const all = sources.join("\n");
  const declared = [...all.matchAll(/^(?:export )?function (\w+)\(/gm)].map((m) => m[1]);
  expect(declared.length).toBeGreaterThan(20);
  const single: string[] = [];
  for (const name of declared) {
    const uses = [...all.matchAll(new RegExp("\\b" + name + "\\b", "g"))].length;
    const imports = [...all.matchAll(new RegExp("import [^;]*\\b" + name + "\\b[^;]*;", "g"))].length;
    // One declaration and one use.
    if (uses - imports === 2 && !(name in SINGLE_CALL_COLD)) single.push(name);
  }
  expect(single).toEqual([]);
});
