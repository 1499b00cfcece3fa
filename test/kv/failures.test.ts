// Every allocation on kv's request path made to fail in turn (Zig's checkAllAllocationFailures):
// each failure is an -OOM reply, nothing leaks, and what a failed command touched is unchanged.
import { expect, test } from "vitest";
import { checkAllAllocationFailures } from "../../src/wrappers/check-all-failures.js";
import type { Allocator } from "../../src/allocator.js";
import { Kv } from "../../firmware/apps/kv/kv.js";
import { KvConfig, kvPlan } from "../../firmware/apps/kv/config.js";
import { KvServer } from "../../firmware/apps/kv/server.js";
import { checkAll, makeMemory, usedBytes } from "./helpers.js";
import { cmd, FakeSocket } from "./direct.js";

const CONFIG: KvConfig = { connectionsMax: 2, keyCount: 16, keySizeMax: 16, valueSizeMax: 32, listLengthMax: 64 };

test("checkAllAllocationFailures over the request path", () => {
  const plan = kvPlan(CONFIG);
  plan.regions.push({ name: "backing", kind: "tlsf", sizeBytes: 32768 });
  const memory = makeMemory(plan);
  const backing = memory.allocators.backing;
  // The bump regions (state, args, text, buckets) are taken again by every Kv; the rest must come back.
  const dynamic = () => {
    const u = usedBytes(memory);
    return { keys: u.keys, pages: u.pages, conns: u.conns, rx: u.rx, tx: u.tx, backing: u.backing };
  };
  const baseline = dynamic();
  const script: string[][] = [
    ["SET", "a", "1"],
    ["RPUSH", "l", "x".repeat(30), "y".repeat(30), "z".repeat(30), "w".repeat(30)],
    ["LPUSH", "l", "p".repeat(30), "q".repeat(30)],
    ["INCR", "n"],
    ["GET", "a"],
    ["LRANGE", "l", "0", "-1"],
    ["SET", "b", "v".repeat(32)],
    ["RPUSH", "l2", "1", "2", "3"],
    ["LPOP", "l", "3"],
    ["INFO", "stats"],
  ];
  let runs = 0;
  const n = checkAllAllocationFailures(backing, (allocator: Allocator) => {
    runs++;
    const m = { ...memory, allocators: { ...memory.allocators, keys: allocator, pages: allocator }, raw: { ...memory.raw, scratch: allocator } };
    const kv = new Kv(m, CONFIG, false);
    const server = new KvServer(kv);
    const s = new FakeSocket();
    server.accept(s);
    let oom = false;
    for (const args of script) {
      const dbsizeBefore = kv.store.count;
      s.feed(cmd(...args));
      const reply = s.take();
      expect(reply.length).toBeGreaterThan(0);
      if (reply.startsWith("-OOM")) {
        oom = true;
        expect(kv.store.count).toBe(dbsizeBefore);
      } else {
        expect(reply.startsWith("-")).toBe(false);
      }
      kv.check();
    }
    s.feed(cmd("FLUSHALL"));
    s.take();
    s.end();
    kv.arena.deinit();
    return !oom;
  });
  expect(n).toBeGreaterThan(5);
  expect(runs).toBe(n + 1);
  expect(dynamic()).toEqual(baseline);
  checkAll(memory);
});

test("checkAllAllocationFailures over the accept path: a client that cannot get its buffers is refused, nothing leaks", () => {
  const plan = kvPlan(CONFIG);
  plan.regions.push({ name: "backing", kind: "tlsf", sizeBytes: 8192 });
  const memory = makeMemory(plan);
  const kv = new Kv(memory, CONFIG, false);
  const n = checkAllAllocationFailures(memory.allocators.backing, (allocator: Allocator) => {
    const m = { ...memory, allocators: { ...memory.allocators, conns: allocator, rx: allocator, tx: allocator } };
    const server = new KvServer(Object.assign(Object.create(Object.getPrototypeOf(kv)), kv, { memory: m }));
    const s = new FakeSocket();
    const c = server.accept(s);
    if (c === 0) {
      expect(s.take()).toBe("-ERR max number of clients reached\r\n");
      expect(s.ended).toBe(true);
      return false;
    }
    s.feed(cmd("PING"));
    expect(s.take()).toBe("+PONG\r\n");
    s.end();
    return true;
  });
  expect(n).toBe(3);
  checkAll(memory);
});
