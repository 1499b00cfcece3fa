// kv against Debian's redis-server (7.0), reply for reply, byte for byte: every option of the
// commands docs/KV.md lists. The same requests go to both, in one session each; the cases that
// differ on purpose (one database, integers to 2^53, CONFIG/COMMAND stubs, INFO's fields) are
// named in docs/KV.md and are not here.
import { ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, expect } from "vitest";
import { testWithTool } from "../system/tools.js";
import { freePort } from "./emulator.js";
import { Client, parseReply } from "./helpers.js";
import { cmd, direct } from "./direct.js";
import { DEFAULT_CONFIG } from "../../firmware/apps/kv/config.js";

/** Requests, each a list of words (sent as RESP multibulk). */
const CASES: string[][] = [
  // SET and its options
  ["SET", "k", "v", "GET"], ["SET", "k", "w", "GET"], ["SET", "k", "x", "NX", "GET"], ["SET", "n", "y", "NX", "GET"], ["GET", "n"],
  ["SET", "k", "z", "XX", "GET"], ["SET", "nk", "z", "XX", "GET"], ["EXISTS", "nk"], ["SET", "k", "a", "get", "nx"], ["GET", "k"],
  ["SET", "t", "v", "EX", "100"], ["SET", "t", "w", "KEEPTTL"], ["TTL", "t"], ["GET", "t"], ["SET", "t", "w"], ["TTL", "t"],
  ["SET", "t", "v", "PX", "100000", "KEEPTTL"], ["SET", "t", "v", "KEEPTTL", "EX", "100"], ["SET", "t", "v", "KEEPTTL", "KEEPTTL"], ["TTL", "t"],
  // (The TTL of an absolute time depends on the second each server reads its clock: commands.test.ts checks it.)
  ["SET", "t", "v", "EXAT", "9999999999"], ["EXISTS", "t"], ["SET", "t", "v", "PXAT", "9999999999000"], ["GET", "t"],
  ["SET", "t", "old", "EXAT", "1"], ["GET", "t"], ["EXISTS", "t"], ["SET", "t", "v", "PXAT", "1", "GET"], ["GET", "t"],
  ["SET", "t", "v", "PXAT", "0"], ["SET", "t", "v", "EXAT", "0"], ["SET", "t", "v", "EX", "0"], ["SET", "t", "v", "EX", "-1"], ["SET", "t", "v", "PX", "-5"],
  ["SET", "t", "v", "EX", "1", "PX", "100"], ["SET", "t", "v", "EXAT", "9999999999", "PXAT", "9999999999000"], ["SET", "t", "v", "EX", "10", "EX", "20"], ["TTL", "t"],
  ["SET", "t", "v", "NX", "NX"], ["SET", "t", "v2", "GET", "GET"], ["SET", "t", "v", "XX", "XX"], ["SET", "t", "v", "NX", "XX"], ["SET", "t", "v", "XX", "NX"],
  ["SET", "t", "v", "NX", "GET", "XX"], ["SET", "t", "v", "EX"], ["SET", "t", "v", "EX", "abc"], ["SET", "t", "v", "EX", "abc", "NX", "XX"],
  ["SET", "t", "v", "EX", "1.5"], ["SET", "t", "v", "EX", "+5"], ["SET", "t", "v", "EX", "05"], ["SET", "t", "v", "EXAT", "x"], ["SET", "t", "v", "BOGUS"],
  ["SET", "t", "v", "px", "100000", "xx", "get"], ["TTL", "t"], ["SET", "a"], ["SET", "a", "b", "c"],
  ["RPUSH", "l", "a", "b"], ["SET", "l", "v", "GET"], ["SET", "l", "v", "NX", "GET"], ["SET", "l", "v", "XX", "GET"], ["LLEN", "l"], ["SET", "l", "v"], ["GET", "l"],
  // FLUSHALL and its modes
  ["FLUSHALL", "SYNC"], ["FLUSHALL", "async"], ["FLUSHALL", "foo"], ["FLUSHALL", "SYNC", "ASYNC"], ["FLUSHALL"], ["DBSIZE"],
  // the rest of the commands, their arities and argument errors
  ["PING"], ["PING", "hi"], ["PING", "a", "b"], ["ECHO", "x y"], ["ECHO"],
  ["SET", "i", "-0"], ["INCR", "i"], ["SET", "i", "+1"], ["INCR", "i"], ["SET", "i", "007"], ["INCR", "i"], ["SET", "i", " 1"], ["INCR", "i"],
  ["SET", "i", "-1"], ["INCR", "i"], ["INCR", "i"], ["INCR", "new"], ["INCR"], ["INCR", "a", "b"],
  ["DEL", "i", "new", "none", "i"], ["EXISTS", "i", "i", "none"], ["DEL"], ["EXISTS"],
  ["RPUSH", "l", "a", "b", "c"], ["LPUSH", "l", "z", "y"], ["LRANGE", "l", "0", "-1"], ["LRANGE", "l", "-100", "100"], ["LRANGE", "l", "3", "1"],
  ["LRANGE", "l", "a", "1"], ["LRANGE", "l", "0", "1.5"], ["LRANGE", "none", "x", "1"], ["LRANGE", "none", "0", "-1"], ["LRANGE", "l", "0"],
  ["LLEN", "l"], ["LLEN", "none"], ["LLEN", "l", "x"], ["LPOP", "l"], ["LPOP", "l", "0"], ["LPOP", "l", "2"], ["LPOP", "none", "0"], ["LPOP", "none"], ["LPOP", "none", "3"],
  ["LPOP", "l", "-1"], ["LPOP", "l", "x"], ["LPOP", "none", "x"], ["LPOP", "l", "1", "2"], ["LPOP", "l", "9"], ["EXISTS", "l"],
  ["SET", "s", "v"], ["LPUSH", "s", "x"], ["RPUSH", "s", "x"], ["LRANGE", "s", "0", "1"], ["LLEN", "s"], ["LPOP", "s"], ["INCR", "s"], ["RPUSH", "s"], ["LPUSH", "s"],
  ["RPUSH", "l2", "x"], ["GET", "l2"], ["INCR", "l2"], ["TYPE", "l2"], ["TYPE", "s"], ["TYPE", "none"], ["TYPE"], ["TYPE", "a", "b"],
  ["TTL", "s"], ["TTL", "none"], ["TTL"], ["DBSIZE"], ["DBSIZE", "x"],
  ["SELECT", "0"], ["SELECT", "x"], ["SELECT", "-1"], ["SELECT", "0", "1"], ["SELECT"],
  ["FOO", "a", "b"], ["get"], ["FLUSHALL"],
];

/** A client of the server on `port`, once it listens (redis-server takes a moment to start). */
async function connectWhenUp(at: number): Promise<Client> {
  const end = Date.now() + 10_000;
  for (;;) {
    const c = new Client(at);
    try {
      await c.ready();
      return c;
    } catch {
      c.close();
      if (Date.now() > end) throw new Error("redis-server did not start on port " + at);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

let server: ChildProcess | null = null;
let port = 0;

beforeAll(async () => {
  port = await freePort();
}, 30_000);

afterAll(() => {
  if (server !== null) server.kill("SIGTERM");
});

testWithTool("every case gives the bytes redis-server gives", "redis-server", "sudo apt-get install redis-server", async (redisServer) => {
  server = spawn(redisServer, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const redis = await connectWhenUp(port);
  expect(await redis.cmd("FLUSHALL")).toBe("OK");
  const kv = direct(DEFAULT_CONFIG).connect();
  const got: string[] = [];
  const want: string[] = [];
  for (const args of CASES) {
    const from = redis.pos;
    await redis.cmd(...args);
    want.push(args.join(" ") + " -> " + redis.buf.toString("latin1", from, redis.pos));
    kv.feed(cmd(...args));
    const reply = kv.take();
    expect(parseReply(Buffer.from(reply, "latin1"), 0)).not.toBeNull();
    got.push(args.join(" ") + " -> " + reply);
  }
  redis.close();
  expect(got).toEqual(want);
}, 60_000);
