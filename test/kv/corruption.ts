// Stray writes over kv's links in the heap: each scenario overwrites one hash-chain or page link,
// then runs a command that walks it. The walk must stop with code Corrupt (the client gets the
// internal-error reply and is closed) and so must the store's checker, never spin. Run in a child
// process by corruption.test.ts, so a walk that does spin is a timeout there, not a hung run.
import { E_HEAD, E_NEXT, KvConfig, P_NEXT } from "../../firmware/apps/kv/config.js";
import { cmd, Direct, direct, FakeSocket } from "./direct.js";

const CONFIG: KvConfig = { connectionsMax: 2, keyCount: 4, keySizeMax: 8, valueSizeMax: 8, listLengthMax: 16 };

export interface Outcome {
  scenario: string;
  /** Codes of what the command threw (seen by onInternalError). */
  command: string[];
  /** What the client saw, and whether it was closed. */
  reply: string;
  closed: boolean;
  /** Code of what kv.check() threw afterwards. */
  check: string;
}

/** Writes `key` to scratch heap bytes (offset 8, in the header's padding-free start is not used: the text is copied back) and returns its bucket. */
function bucketOf(d: Direct, key: string): number {
  const at = d.kv.texts;
  const saved = d.kv.u8.slice(at, at + key.length);
  d.kv.u8.set(Buffer.from(key, "latin1"), at);
  const bucket = d.kv.store.hash(at, key.length);
  d.kv.u8.set(saved, at);
  return bucket;
}

/** `count` keys other than `key` in its bucket. */
function colliding(d: Direct, key: string, count: number): string[] {
  const want = bucketOf(d, key);
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) if ("k" + i !== key && bucketOf(d, "k" + i) === want) out.push("k" + i);
  return out;
}

/** The entry of a live key. */
function entryOf(d: Direct, key: string): number {
  let found = 0;
  d.kv.store.forEach((e) => {
    const n = d.kv.u8[e + 25];
    if (Buffer.from(d.kv.u8.subarray(e + 28, e + 28 + n)).toString("latin1") === key) found = e;
  });
  if (found === 0) throw new Error("no entry for " + key);
  return found;
}

function scenario(name: string, corrupt: (d: Direct, s: FakeSocket) => string): Outcome {
  const d = direct(CONFIG);
  const setup = d.connect();
  const request = corrupt(d, setup);
  setup.end();
  const command: string[] = [];
  d.kv.onInternalError = (e) => command.push(String((e as { code?: string }).code));
  const s = d.connect();
  s.feed(request);
  let check = "none";
  try {
    d.kv.check();
  } catch (e) {
    check = String((e as { code?: string }).code);
  }
  return { scenario: name, command, reply: s.take(), closed: s.ended, check };
}

/** Two keys of one bucket, the older one's link pointed back at the newer: a cycle. Returns a third key of that bucket. */
function cycle(d: Direct, s: FakeSocket): string {
  const [b, missing] = colliding(d, "k0", 2);
  s.feed(cmd("SET", "k0", "1") + cmd("SET", b, "2"));
  d.kv.u32[(entryOf(d, "k0") + E_NEXT) >> 2] = entryOf(d, b);
  return missing;
}

/** A list of three pages whose last page links back to its first. */
function pageCycle(d: Direct, s: FakeSocket): void {
  const items: string[] = [];
  for (let i = 0; i < 18; i++) items.push("e" + i + "xxxxx");
  for (let i = 0; i < 18; i += 6) s.feed(cmd("RPUSH", "l", ...items.slice(i, i + 6)));
  const e = entryOf(d, "l");
  const first = d.kv.u32[(e + E_HEAD) >> 2];
  let last = first;
  while (d.kv.u32[(last + P_NEXT) >> 2] !== 0) last = d.kv.u32[(last + P_NEXT) >> 2];
  if (last === first) throw new Error("the list has one page: no cycle to make");
  d.kv.u32[(last + P_NEXT) >> 2] = first;
}

export function runCorruptions(): Outcome[] {
  return [
    scenario("GET of a missing key over a cyclic hash chain", (d, s) => cmd("GET", cycle(d, s))),
    scenario("SET of a new key over a cyclic hash chain", (d, s) => cmd("SET", cycle(d, s), "v")),
    scenario("DBSIZE (the expiry sweep) over a cyclic hash chain", (d, s) => (cycle(d, s), cmd("DBSIZE"))),
    scenario("FLUSHALL over a cyclic hash chain", (d, s) => (cycle(d, s), cmd("FLUSHALL"))),
    scenario("GET over an entry that links to itself", (d, s) => {
      s.feed(cmd("SET", "k0", "1"));
      const e = entryOf(d, "k0");
      d.kv.u32[(e + E_NEXT) >> 2] = e;
      return cmd("GET", colliding(d, "k0", 1)[0]);
    }),
    scenario("DEL of a list whose pages form a cycle", (d, s) => (pageCycle(d, s), cmd("DEL", "l"))),
    scenario("SET over a list whose pages form a cycle", (d, s) => (pageCycle(d, s), cmd("SET", "l", "v"))),
  ];
}
