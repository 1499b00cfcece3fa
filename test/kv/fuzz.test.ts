// fast-check: random bytes and mangled RESP never crash the server or leak; well-formed command
// sequences behave like a model of Redis.
import fc from "fast-check";
import { expect, test } from "vitest";
import { DEFAULT_CONFIG, KvConfig } from "../../firmware/apps/kv/config.js";
import { checkAll, usedBytes } from "./helpers.js";
import { cmd, direct } from "./direct.js";

const CONFIG: KvConfig = { connectionsMax: 3, keyCount: 8, keySizeMax: 8, valueSizeMax: 24, listLengthMax: 16 };

function split(s: string, cuts: number[]): string[] {
  const out: string[] = [];
  let at = 0;
  for (const c of cuts) {
    const n = 1 + (c % 40);
    if (at >= s.length) break;
    out.push(s.slice(at, at + n));
    at += n;
  }
  if (at < s.length) out.push(s.slice(at));
  return out;
}

const word = fc.constantFrom("GET", "SET", "DEL", "RPUSH", "LPUSH", "LPOP", "LRANGE", "INCR", "PING", "EXISTS", "LLEN", "ECHO", "x", "");
const arg = fc.oneof(fc.constantFrom("a", "b", "l", "0", "-1", "2", "EX", "NX", "10"), fc.string({ maxLength: 30 }));
const request = fc.tuple(word, fc.array(arg, { maxLength: 9 })).map(([w, a]) => cmd(w, ...a));
const mangled = fc.tuple(request, fc.nat(200), fc.integer({ min: 0, max: 255 }), fc.constantFrom("drop", "flip", "insert", "truncate")).map(([r, at, byte, how]) => {
  const i = at % Math.max(1, r.length);
  if (how === "drop") return r.slice(0, i) + r.slice(i + 1);
  if (how === "flip") return r.slice(0, i) + String.fromCharCode(byte) + r.slice(i + 1);
  if (how === "insert") return r.slice(0, i) + String.fromCharCode(byte) + r.slice(i);
  return r.slice(0, i);
});
const garbage = fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b).toString("latin1"));

test("fuzzed RESP: the server survives, bad connections close, memory comes back", () => {
  const d = direct(CONFIG);
  const baseline = usedBytes(d.memory);
  fc.assert(
    fc.property(fc.array(fc.oneof(request, mangled, garbage), { minLength: 1, maxLength: 12 }), fc.array(fc.nat(1000), { maxLength: 30 }), (inputs, cuts) => {
      const s = d.connect();
      for (const piece of split(inputs.join(""), cuts)) {
        if (s.ended) break;
        s.feed(piece);
      }
      // Every reply is complete RESP lines.
      expect(s.out === "" || s.out.endsWith("\r\n")).toBe(true);
      s.end();
      const probe = d.connect();
      probe.feed(cmd("PING"));
      expect(probe.take()).toBe("+PONG\r\n");
      probe.feed(cmd("FLUSHALL"));
      probe.end();
      d.kv.check();
      checkAll(d.memory);
      expect(usedBytes(d.memory)).toEqual(baseline);
    }),
    { numRuns: Number(process.env.KV_FUZZ_RUNS || 300), seed: process.env.KV_FUZZ_SEED ? Number(process.env.KV_FUZZ_SEED) : 7 },
  );
});

type Model = Map<string, string | string[]>;

function expectReply(model: Model, args: string[], config: KvConfig): string | null {
  const [c, ...a] = args;
  const bulk = (v: string) => "$" + Buffer.byteLength(v, "latin1") + "\r\n" + v + "\r\n";
  const arr = (vs: string[]) => "*" + vs.length + "\r\n" + vs.map(bulk).join("");
  const WRONG = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
  const k = a[0];
  const v = model.get(k);
  switch (c) {
    case "SET":
      if (a[1].length > config.valueSizeMax) return "-ERR value too long (valueSizeMax)\r\n";
      if (!model.has(k) && model.size >= config.keyCount) return null;
      model.set(k, a[1]);
      return "+OK\r\n";
    case "GET":
      if (v === undefined) return "$-1\r\n";
      return typeof v === "string" ? bulk(v) : WRONG;
    case "DEL":
      model.delete(k);
      return ":" + (v === undefined ? 0 : 1) + "\r\n";
    case "RPUSH":
    case "LPUSH": {
      if (v !== undefined && typeof v === "string") return WRONG;
      const list = v === undefined ? [] : v;
      if (list.length + a.length - 1 > config.listLengthMax) return "-ERR list too long (listLengthMax)\r\n";
      if (v === undefined && model.size >= config.keyCount) return null;
      const next = c === "RPUSH" ? [...list, ...a.slice(1)] : [...a.slice(1).reverse(), ...list];
      model.set(k, next);
      return ":" + next.length + "\r\n";
    }
    case "LPOP": {
      if (v === undefined) return "$-1\r\n";
      if (typeof v === "string") return WRONG;
      const first = v.shift() as string;
      if (v.length === 0) model.delete(k);
      return bulk(first);
    }
    case "LRANGE": {
      if (v === undefined) return "*0\r\n";
      if (typeof v === "string") return WRONG;
      return arr(v.slice(0));
    }
    case "LLEN":
      if (v === undefined) return ":0\r\n";
      return typeof v === "string" ? WRONG : ":" + v.length + "\r\n";
  }
  throw new Error("no model for " + c);
}

test("model: well-formed commands behave like Redis", () => {
  const key = fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
  const value = fc.string({ maxLength: 26, unit: fc.integer({ min: 0, max: 255 }).map((n) => String.fromCharCode(n)) });
  const op = fc.oneof(
    fc.tuple(fc.constant("SET"), key, value).map((t) => [...t]),
    fc.tuple(fc.constant("GET"), key).map((t) => [...t]),
    fc.tuple(fc.constant("DEL"), key).map((t) => [...t]),
    fc.tuple(fc.constantFrom("RPUSH", "LPUSH"), key, fc.array(value, { minLength: 1, maxLength: 5 })).map(([c, k, vs]) => [c, k, ...vs.map((x) => x.slice(0, 24))]),
    fc.tuple(fc.constant("LPOP"), key).map((t) => [...t]),
    fc.tuple(fc.constant("LRANGE"), key).map(([c, k]) => [c, k, "0", "-1"]),
    fc.tuple(fc.constant("LLEN"), key).map((t) => [...t]),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const d = direct(CONFIG);
      const s = d.connect();
      const model: Model = new Map();
      for (const args of ops) {
        const saved = model.get(args[1]);
        const had = model.has(args[1]);
        const want = expectReply(model, args, CONFIG);
        s.feed(cmd(...args));
        const got = s.take();
        if (want === null) {
          expect(got).toMatch(/^-OOM /);
        } else if (got.startsWith("-OOM") && args[0].endsWith("PUSH")) {
          // The shared list pages ran out: the push changed nothing.
          if (had) model.set(args[1], saved as string[]);
          else model.delete(args[1]);
        } else {
          expect(got).toBe(want);
        }
      }
      d.kv.check();
      checkAll(d.memory);
      expect(d.kv.store.count).toBe(model.size);
    }),
    { numRuns: Number(process.env.KV_FUZZ_RUNS || 200), seed: process.env.KV_FUZZ_SEED ? Number(process.env.KV_FUZZ_SEED) : 11 },
  );
});

test("the default config boots and serves", () => {
  const d = direct(DEFAULT_CONFIG);
  const s = d.connect();
  s.feed(cmd("PING"));
  expect(s.take()).toBe("+PONG\r\n");
});
