// Every config checkConfig accepts gives a layout that keeps its rules, boots, and serves a mixed
// workload with replies longer than its buffers; and a reply never writes outside the send buffer
// of its connection (issue 11, defect 2: INFO copied 256-byte pieces into 128-byte send buffers).
import fc from "fast-check";
import { expect, test } from "vitest";
import { C_RX, C_TX, checkConfig, CONN_BYTES, KEY_SIZE_LIMIT, KvConfig, kvHeapBytes, kvLayout, REPLY_PIECE_BYTES_MAX, VALUE_SIZE_LIMIT } from "../../firmware/apps/kv/config.js";
import { HEAP_SIZE_MAX } from "../../src/heap/checks.js";
import { checkAll, parseReply, Reply, usedBytes } from "./helpers.js";
import { cmd, direct, FakeSocket } from "./direct.js";

/** The config: a 128-byte send buffer, a 256-byte reply arena. */
const TINY: KvConfig = { connectionsMax: 2, keyCount: 8, keySizeMax: 8, valueSizeMax: 8, listLengthMax: 8, argsMax: 4 };

/** Every whole reply in `text`; throws on a partial one. */
function replies(text: string): Reply[] {
  const buf = Buffer.from(text, "latin1");
  const out: Reply[] = [];
  let at = 0;
  while (at < buf.length) {
    const r = parseReply(buf, at);
    if (r === null) throw new Error("a partial reply at " + at + ": " + JSON.stringify(text.slice(at, at + 60)));
    out.push(r[0]);
    at = r[1];
  }
  return out;
}

test("a reply longer than the send buffer is written only into its own connection's send buffer, in writes that fit it", () => {
  const d = direct(TINY);
  const layout = kvLayout(TINY);
  expect(layout.txBytes).toBeLessThan(layout.replyBytes);
  const a = d.connect();
  const b = d.connect();
  const writes: number[] = [];
  const send = d.kv.reply.send;
  d.kv.reply.send = (c, p, n) => {
    writes.push(n);
    send(c, p, n);
  };
  const regions = d.memory.heap.regions();
  const region = (name: string) => regions.find((r) => r.name === name)!;
  const u32 = d.memory.heap.u32;
  for (const [s, other] of [[a, b], [b, a]] as Array<[FakeSocket, FakeSocket]>) {
    // Only the speaker's buffers, the argument table, the reply arena and the counters may change.
    const c = s.record;
    const allowed: Array<[number, number]> = [
      [u32[(c + C_RX) >> 2], layout.rxBytes],
      [u32[(c + C_TX) >> 2], layout.txBytes],
      [region("args").offset, region("args").sizeBytes],
      [region("scratch").offset, region("scratch").sizeBytes],
      [region("state").offset, region("state").sizeBytes],
      // The connection record's fill levels.
      [c, CONN_BYTES],
    ];
    const before = d.memory.heap.u8.slice();
    writes.length = 0;
    s.feed(cmd("INFO"));
    const after = d.memory.heap.u8;
    const outside: number[] = [];
    for (let i = 0; i < after.length; i++) {
      if (after[i] !== before[i] && !allowed.some(([from, n]) => i >= from && i < from + n)) outside.push(i);
    }
    expect(outside).toEqual([]);
    expect(writes.length).toBeGreaterThan(1);
    for (const n of writes) expect(n).toBeLessThanOrEqual(layout.txBytes);
    const info = replies(s.take());
    expect(info.length).toBe(1);
    expect(info[0]).toMatch(/^# Server\r\n[\s\S]*# Memory\r\n[\s\S]*# Keyspace\r\n/);
    other.feed(cmd("PING"));
    expect(other.take()).toBe("+PONG\r\n");
    expect(d.kv.arena.queryCapacity()).toBe(layout.replyBytes);
  }
  d.kv.check();
  checkAll(d.memory);
});

/** A whole number in [min, max], spread over the orders of magnitude, the ends included. */
function span(min: number, max: number): fc.Arbitrary<number> {
  const logScale = fc.double({ min: 0, max: 1, noNaN: true }).map((t) => Math.min(max, Math.max(min, Math.round(min * Math.pow(max / min, t)))));
  return fc.oneof(fc.constantFrom(min, max), logScale, fc.integer({ min, max }));
}

/** Configs over the full ranges checkConfig accepts (see its table). */
const anyConfig: fc.Arbitrary<KvConfig> = fc
  .record({
    connectionsMax: span(1, 255),
    keyCount: span(1, 1 << 20),
    keySizeMax: span(1, KEY_SIZE_LIMIT),
    valueSizeMax: span(1, VALUE_SIZE_LIMIT),
    listLengthMax: span(1, 1 << 24),
    argsMax: fc.option(span(4, 64), { nil: undefined }),
    elementShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  })
  .map((r) => {
    const c: KvConfig = { connectionsMax: r.connectionsMax, keyCount: r.keyCount, keySizeMax: r.keySizeMax, valueSizeMax: r.valueSizeMax, listLengthMax: r.listLengthMax };
    if (r.argsMax !== undefined) c.argsMax = r.argsMax;
    if (r.elementShare !== undefined) c.listElementBytes = Math.max(1, Math.round(r.elementShare * r.valueSizeMax));
    return c;
  });

test("over the full accepted ranges: a layout keeps its rules and the largest legal command fits its receive buffer, or the limits are refused as more than a heap", () => {
  let refused = 0;
  let accepted = 0;
  fc.assert(
    fc.property(anyConfig, (config) => {
      checkConfig(config);
      const refusal = refusalOf(config);
      // Keys alone past the largest heap must be refused, and a refusal names the reason.
      const keysBytes = config.keyCount * (28 + config.keySizeMax + config.valueSizeMax);
      expect(keysBytes > HEAP_SIZE_MAX && refusal === null).toBe(false);
      expect(refusal === null || /^kv config: these limits need more than \d+ bytes of heap; a heap holds at most 16777208: \{"connectionsMax":/.test(refusal)).toBe(true);
      if (refusal !== null) {
        refused++;
        return;
      }
      accepted++;
      const l = kvLayout(config);
      expect(kvHeapBytes(config)).toBeGreaterThan(0);
      expect(kvHeapBytes(config)).toBeLessThanOrEqual(HEAP_SIZE_MAX);
      const args: string[] = [];
      for (let i = 0; i < l.argsMax; i++) args.push("x".repeat(l.argSizeMax));
      expect(cmd(...args).length).toBeLessThanOrEqual(l.rxBytes);
      expect(l.replyBytes).toBeGreaterThanOrEqual(REPLY_PIECE_BYTES_MAX);
      expect(l.scratchBytes).toBeGreaterThan(l.replyBytes);
    }),
    { numRuns: 2000, seed: 21 },
  );
  expect(refused).toBeGreaterThan(0);
  expect(accepted).toBeGreaterThan(500);
});

function refusalOf(config: KvConfig): string | null {
  try {
    kvLayout(config);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Heaps up to this size are booted (bigger ones take seconds each to carve and check). */
const BOOT_HEAP_MAX = 1 << 21;

test("every accepted config whose heap is at most 2 MB boots and serves a mixed workload; the store checks out", () => {
  fc.assert(
    fc.property(anyConfig, (config) => {
      let bytes = Infinity;
      try {
        bytes = kvHeapBytes(config);
      } catch {
        // more than a heap: the test above covers the refusal
      }
      fc.pre(bytes <= BOOT_HEAP_MAX);
      workload(config);
    }),
    { numRuns: Number(process.env.KV_FUZZ_RUNS || 150), seed: 23 },
  );
  // The config, and the smallest of everything.
  workload(TINY);
  workload({ connectionsMax: 1, keyCount: 1, keySizeMax: 1, valueSizeMax: 1, listLengthMax: 1, argsMax: 4 });
});

/** SET/GET/INCR/INFO/lists/DEL/EXISTS/DBSIZE/TTL, pipelined and not, on up to three connections. */
function workload(config: KvConfig): void {
  const l = kvLayout(config);
  const d = direct(config);
  const baseline = usedBytes(d.memory);
  const socks: FakeSocket[] = [];
  for (let i = 0; i < Math.min(3, config.connectionsMax); i++) socks.push(d.connect());
  const s = socks[0];
  const t = socks[socks.length - 1];
  const run = (sock: FakeSocket, ...args: string[]): Reply[] => {
    sock.feed(cmd(...args));
    return replies(sock.take());
  };
  const K = config.keySizeMax;
  const key = (i: number) => (String(i) + "k".repeat(K)).slice(0, K);
  const value = "v".repeat(config.valueSizeMax);
  const element = "e".repeat(config.listElementBytes === undefined ? config.valueSizeMax : config.listElementBytes);

  expect(run(s, "SET", key(0), value)).toEqual(["OK"]);
  expect(run(t, "GET", key(0))).toEqual([value]);
  const info = run(t, "INFO");
  expect(info.length).toBe(1);
  expect(info[0]).toContain("tcp_port:");
  expect(info[0]).toContain("maxclients:" + config.connectionsMax);

  // A list of min(listLengthMax, 40) elements, pushed argsMax - 2 at a time.
  const listKey = key(1);
  const want = Math.min(config.listLengthMax, 40);
  const batch = l.argsMax - 2;
  const pushed: string[] = [];
  let full = false;
  while (pushed.length < want && !full) {
    const n = Math.min(batch, want - pushed.length);
    const items: string[] = [];
    for (let i = 0; i < n; i++) items.push(element.slice(0, Math.max(0, element.length - 1)) + String.fromCharCode(97 + ((pushed.length + i) % 26)));
    const r = run(s, "RPUSH", listKey, ...items);
    if (config.keyCount < 2) {
      expect(r).toEqual([{ error: expect.stringMatching(/^OOM .*key store is full/) }]);
      full = true;
    } else {
      pushed.push(...items);
      expect(r).toEqual([pushed.length]);
    }
  }
  expect(run(t, "LRANGE", listKey, "0", "-1")).toEqual([pushed]);
  expect(run(s, "LLEN", listKey)).toEqual([pushed.length]);

  // Pipelined: INFO, the whole list, a GET and the memory report in one chunk, replies longer than tx.
  s.feed(cmd("INFO") + cmd("LRANGE", listKey, "0", "-1") + cmd("GET", key(0)) + cmd("INFO", "memory"));
  const piped = replies(s.take());
  expect(piped.length).toBe(4);
  expect(piped[1]).toEqual(pushed);
  expect(piped[2]).toBe(value);
  expect(piped[3]).toContain("heap_bytes:" + d.memory.heap.sizeBytes);

  if (pushed.length > 0) {
    const popped = Math.min(2, pushed.length);
    expect(run(t, "LPOP", listKey, String(popped))).toEqual([pushed.slice(0, popped)]);
    pushed.splice(0, popped);
    expect(run(t, "LLEN", listKey)).toEqual([pushed.length]);
  }
  const incr = run(t, "INCR", key(2));
  if (config.keyCount >= 3 || (config.keyCount === 2 && pushed.length === 0)) expect(incr).toEqual([1]);
  else expect(incr).toEqual([{ error: expect.stringMatching(/^OOM /) }]);
  expect(run(s, "TTL", key(0))).toEqual([-1]);
  expect(run(s, "EXISTS", key(0), key(3))).toEqual([1]);
  expect(run(t, "DEL", key(0))).toEqual([1]);
  expect(run(s, "GET", key(0))).toEqual([null]);
  const keys = (pushed.length > 0 ? 1 : 0) + (incr[0] === 1 ? 1 : 0);
  expect(run(s, "DBSIZE")).toEqual([keys]);
  for (const sock of socks) expect(sock.ended).toBe(false);

  d.kv.check();
  checkAll(d.memory);
  expect(run(s, "FLUSHALL")).toEqual(["OK"]);
  for (const sock of socks) sock.end();
  expect(usedBytes(d.memory)).toEqual(baseline);
  expect(d.kv.arena.queryCapacity()).toBe(l.replyBytes);
}
