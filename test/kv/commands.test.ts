import { describe, expect, test } from "vitest";
import { DEFAULT_CONFIG, KvConfig } from "../../firmware/apps/kv/config.js";
import { checkAll, usedBytes } from "./helpers.js";
import { cmd, direct } from "./direct.js";

const SMALL: KvConfig = { connectionsMax: 3, keyCount: 4, keySizeMax: 8, valueSizeMax: 16, listLengthMax: 20 };

function session(config: KvConfig = DEFAULT_CONFIG) {
  const d = direct(config);
  const s = d.connect();
  const run = (...args: string[]) => {
    s.feed(cmd(...args));
    return s.take();
  };
  return { d, s, run };
}

describe("kv commands (direct, no TCP)", () => {
  test("PING, ECHO, SET, GET, DEL, EXISTS, INCR, DBSIZE", () => {
    const { run, d } = session();
    expect(run("PING")).toBe("+PONG\r\n");
    expect(run("ping", "hi")).toBe("$2\r\nhi\r\n");
    expect(run("ECHO", "hello world")).toBe("$11\r\nhello world\r\n");
    expect(run("SET", "a", "1")).toBe("+OK\r\n");
    expect(run("GET", "a")).toBe("$1\r\n1\r\n");
    expect(run("GET", "nope")).toBe("$-1\r\n");
    expect(run("INCR", "a")).toBe(":2\r\n");
    expect(run("INCR", "counter")).toBe(":1\r\n");
    expect(run("INCR", "counter")).toBe(":2\r\n");
    expect(run("SET", "n", "-5")).toBe("+OK\r\n");
    expect(run("INCR", "n")).toBe(":-4\r\n");
    expect(run("SET", "s", "abc")).toBe("+OK\r\n");
    expect(run("INCR", "s")).toBe("-ERR value is not an integer or out of range\r\n");
    expect(run("SET", "big", "9007199254740991")).toBe("+OK\r\n");
    expect(run("INCR", "big")).toBe("-ERR increment or decrement would overflow\r\n");
    expect(run("EXISTS", "a", "s", "zz", "a")).toBe(":3\r\n");
    expect(run("DBSIZE")).toBe(":5\r\n");
    expect(run("DEL", "a", "s", "zz")).toBe(":2\r\n");
    expect(run("DBSIZE")).toBe(":3\r\n");
    expect(run("GET", "a")).toBe("$-1\r\n");
    expect(run("TYPE", "n")).toBe("+string\r\n");
    expect(run("TYPE", "zz")).toBe("+none\r\n");
    expect(run("FLUSHALL")).toBe("+OK\r\n");
    expect(run("DBSIZE")).toBe(":0\r\n");
    d.kv.check();
  });

  test("SET options: NX, XX, EX, PX, bad ones", async () => {
    const { run } = session();
    expect(run("SET", "k", "v", "NX")).toBe("+OK\r\n");
    expect(run("SET", "k", "w", "NX")).toBe("$-1\r\n");
    expect(run("GET", "k")).toBe("$1\r\nv\r\n");
    expect(run("SET", "k", "w", "XX")).toBe("+OK\r\n");
    expect(run("SET", "other", "w", "xx")).toBe("$-1\r\n");
    expect(run("SET", "k", "w", "NX", "XX")).toBe("-ERR syntax error\r\n");
    expect(run("SET", "n", "-0")).toBe("+OK\r\n");
    expect(run("INCR", "n")).toBe("-ERR value is not an integer or out of range\r\n");
    expect(run("DEL", "n")).toBe(":1\r\n");
    expect(run("SET", "k", "w", "EX", "abc")).toBe("-ERR value is not an integer or out of range\r\n");
    expect(run("SET", "k", "w", "EX", "0")).toBe("-ERR invalid expire time in 'set' command\r\n");
    expect(run("SET", "k", "w", "BOGUS")).toBe("-ERR syntax error\r\n");
    expect(run("SET", "t", "x", "PX", "30")).toBe("+OK\r\n");
    expect(run("TTL", "t")).toBe(":0\r\n");
    expect(run("SET", "t2", "x", "EX", "100")).toBe("+OK\r\n");
    expect(run("TTL", "t2")).toBe(":100\r\n");
    expect(run("TTL", "k")).toBe(":-1\r\n");
    expect(run("GET", "t")).toBe("$1\r\nx\r\n");
    await new Promise((r) => setTimeout(r, 50));
    expect(run("GET", "t")).toBe("$-1\r\n");
    expect(run("TTL", "t")).toBe(":-2\r\n");
    expect(run("DBSIZE")).toBe(":2\r\n");
  });

  // issue 11, defect 14: the options real clients send, with the replies redis-server 7.0 gives
  // (redis-compat.test.ts compares them byte for byte where redis-server is installed).
  test("SET GET, NX GET, XX GET, KEEPTTL, EXAT, PXAT, repeated and conflicting options; FLUSHALL SYNC|ASYNC", () => {
    const { run, d } = session();
    expect(run("SET", "k", "v", "GET")).toBe("$-1\r\n");
    expect(run("SET", "k", "w", "GET")).toBe("$1\r\nv\r\n");
    expect(run("SET", "k", "x", "NX", "GET")).toBe("$1\r\nw\r\n");
    expect(run("GET", "k")).toBe("$1\r\nw\r\n");
    expect(run("SET", "n", "y", "nx", "get")).toBe("$-1\r\n");
    expect(run("GET", "n")).toBe("$1\r\ny\r\n");
    expect(run("SET", "missing", "z", "XX", "GET")).toBe("$-1\r\n");
    expect(run("EXISTS", "missing")).toBe(":0\r\n");
    expect(run("SET", "t", "v", "EX", "100")).toBe("+OK\r\n");
    expect(run("SET", "t", "w", "KEEPTTL")).toBe("+OK\r\n");
    expect(run("TTL", "t")).toBe(":100\r\n");
    expect(run("SET", "t", "w")).toBe("+OK\r\n");
    expect(run("TTL", "t")).toBe(":-1\r\n");
    expect(run("SET", "t", "v", "KEEPTTL", "EX", "100")).toBe("-ERR syntax error\r\n");
    expect(run("SET", "t", "v", "EX", "10", "EX", "20")).toBe("+OK\r\n");
    expect(run("TTL", "t")).toBe(":20\r\n");
    const inAnHour = Math.floor(Date.now() / 1000) + 3600;
    expect(run("SET", "t", "v", "EXAT", String(inAnHour))).toBe("+OK\r\n");
    expect(Number(/:(\d+)/.exec(run("TTL", "t"))![1])).toBeGreaterThan(3590);
    expect(run("SET", "t", "v", "PXAT", String(inAnHour * 1000 + 7200_000))).toBe("+OK\r\n");
    expect(Number(/:(\d+)/.exec(run("TTL", "t"))![1])).toBeGreaterThan(3 * 3600 - 10);
    // A time already past sets and deletes at once; GET still answers the old value.
    expect(run("SET", "t", "old", "EXAT", "1", "GET")).toBe("$1\r\nv\r\n");
    expect(run("EXISTS", "t")).toBe(":0\r\n");
    expect(run("SET", "t", "v", "PXAT", "0")).toBe("-ERR invalid expire time in 'set' command\r\n");
    expect(run("SET", "t", "v", "EX", "abc", "NX", "XX")).toBe("-ERR syntax error\r\n");
    expect(run("SET", "t", "v", "EXAT", "x")).toBe("-ERR value is not an integer or out of range\r\n");
    expect(run("RPUSH", "l", "a")).toBe(":1\r\n");
    expect(run("SET", "l", "v", "NX", "GET")).toBe("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    expect(run("LLEN", "l")).toBe(":1\r\n");
    expect(run("FLUSHALL", "SYNC")).toBe("+OK\r\n");
    expect(run("SET", "a", "1")).toBe("+OK\r\n");
    expect(run("FLUSHALL", "async")).toBe("+OK\r\n");
    expect(run("DBSIZE")).toBe(":0\r\n");
    expect(run("SET", "a", "1")).toBe("+OK\r\n");
    expect(run("FLUSHALL", "foo")).toBe("-ERR syntax error\r\n");
    expect(run("FLUSHALL", "SYNC", "ASYNC")).toBe("-ERR syntax error\r\n");
    expect(run("DBSIZE")).toBe(":1\r\n");
    d.kv.check();
    checkAll(d.memory);
  });

  test("INFO server reports the port the server listens on; INFO takes several sections", () => {
    const d = direct(SMALL);
    const net = { createServer: () => ({ listen: () => undefined }) };
    d.server.listen(net, 7123);
    const s = d.connect();
    s.feed(cmd("INFO", "server"));
    const server = s.take();
    expect(server).toContain("\r\ntcp_port:7123\r\n");
    expect(server).not.toContain("# Clients");
    s.feed(cmd("INFO", "server", "CLIENTS"));
    const two = s.take();
    expect(two).toContain("tcp_port:7123");
    expect(two).toContain("# Clients\r\nconnected_clients:1\r\n");
    expect(two).not.toContain("# Memory");
    s.feed(cmd("INFO", "nosuchsection"));
    expect(s.take()).toBe("$0\r\n\r\n");
  });

  test("lists: RPUSH, LPUSH, LRANGE, LLEN, LPOP, WRONGTYPE", () => {
    const { run, d } = session();
    expect(run("RPUSH", "l", "a", "b", "c")).toBe(":3\r\n");
    expect(run("LPUSH", "l", "x", "y")).toBe(":5\r\n");
    expect(run("LRANGE", "l", "0", "-1")).toBe("*5\r\n$1\r\ny\r\n$1\r\nx\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
    expect(run("LRANGE", "l", "1", "2")).toBe("*2\r\n$1\r\nx\r\n$1\r\na\r\n");
    expect(run("LRANGE", "l", "-2", "100")).toBe("*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
    expect(run("LRANGE", "l", "4", "1")).toBe("*0\r\n");
    expect(run("LRANGE", "none", "0", "-1")).toBe("*0\r\n");
    expect(run("LLEN", "l")).toBe(":5\r\n");
    expect(run("LPOP", "l")).toBe("$1\r\ny\r\n");
    expect(run("LPOP", "l", "2")).toBe("*2\r\n$1\r\nx\r\n$1\r\na\r\n");
    expect(run("GET", "l")).toBe("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    expect(run("SET", "s", "v")).toBe("+OK\r\n");
    expect(run("LPUSH", "s", "v")).toBe("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    expect(run("LPOP", "l", "10")).toBe("*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
    expect(run("EXISTS", "l")).toBe(":0\r\n");
    expect(run("LPOP", "l")).toBe("$-1\r\n");
    expect(run("LPOP", "l", "1")).toBe("*-1\r\n");
    expect(run("LLEN", "l")).toBe(":0\r\n");
    expect(run("TYPE", "l")).toBe("+none\r\n");
    // Long lists cross many pages and stream through the reply arena.
    const values: string[] = [];
    for (let i = 0; i < 120; i++) values.push("v" + i + "-" + "x".repeat(i % 60));
    for (let i = 0; i < 120; i += 6) expect(run("RPUSH", "long", ...values.slice(i, i + 6))).toBe(":" + (i + 6) + "\r\n");
    let expected = "*120\r\n";
    for (const v of values) expected += "$" + v.length + "\r\n" + v + "\r\n";
    expect(run("LRANGE", "long", "0", "-1")).toBe(expected);
    for (let i = 0; i < 50; i++) expect(run("LPOP", "long")).toBe("$" + values[i].length + "\r\n" + values[i] + "\r\n");
    expect(run("LLEN", "long")).toBe(":70\r\n");
    d.kv.check();
    expect(run("SET", "long", "now a string")).toBe("+OK\r\n");
    expect(d.memory.allocators.pages.stats().usedBytes).toBe(0);
    checkAll(d.memory);
  });

  test("errors: unknown command, arity, too many arguments", () => {
    const { run } = session();
    expect(run("FOO", "a", "b")).toBe("-ERR unknown command 'FOO', with args beginning with: 'a' 'b' \r\n");
    expect(run("GET")).toBe("-ERR wrong number of arguments for 'get' command\r\n");
    expect(run("SET", "a")).toBe("-ERR wrong number of arguments for 'set' command\r\n");
    expect(run("RPUSH", "l", "1", "2", "3", "4", "5", "6", "7")).toBe("-ERR too many arguments (argsMax)\r\n");
    expect(run("PING")).toBe("+PONG\r\n");
  });

  test("INFO, INFO memory, COMMAND, CONFIG GET, SELECT", () => {
    const { run } = session();
    const info = run("INFO", "memory");
    expect(info).toMatch(/^\$\d+\r\n# Memory\r\n/);
    expect(info).toContain("limits: connectionsMax=4 keyCount=128");
    expect(info).toContain("region_keys:used=0");
    expect(run("INFO")).toContain("# Keyspace");
    expect(run("COMMAND", "DOCS")).toBe("*0\r\n");
    expect(run("CONFIG", "GET", "save")).toBe("*2\r\n$4\r\nsave\r\n$0\r\n\r\n");
    expect(run("SELECT", "0")).toBe("+OK\r\n");
    expect(run("SELECT", "1")).toBe("-ERR DB index is out of range\r\n");
  });

  test("inline commands, pipelining, requests split byte by byte", () => {
    const { s, d } = session();
    s.feed("PING\r\n");
    expect(s.take()).toBe("+PONG\r\n");
    s.feed("SET  a   hello\nGET a\r\n\r\n");
    expect(s.take()).toBe("+OK\r\n$5\r\nhello\r\n");
    const pipeline = cmd("SET", "k", "v1") + cmd("GET", "k") + "PING\r\n" + cmd("RPUSH", "q", "1", "2") + cmd("LRANGE", "q", "0", "-1");
    const want = "+OK\r\n$2\r\nv1\r\n+PONG\r\n:2\r\n*2\r\n$1\r\n1\r\n$1\r\n2\r\n";
    for (let i = 0; i < pipeline.length; i++) s.feed(pipeline[i]);
    expect(s.take()).toBe(want);
    // A pipeline longer than the receive buffer is taken in pieces.
    let long = "";
    let expected = "";
    for (let i = 0; i < 300; i++) {
      long += cmd("SET", "p" + (i % 10), "value" + i);
      expected += "+OK\r\n";
    }
    s.feed(long);
    expect(s.take()).toBe(expected);
    // A Uint8Array chunk works too.
    s.feed(new Uint8Array(Buffer.from(cmd("GET", "p9"))));
    expect(s.take()).toBe("$8\r\nvalue299\r\n");
    expect(s.ended).toBe(false);
    d.kv.check();
  });

  test("limits: key and value too long, store full, list too long, pages full; nothing changes", () => {
    const { run, d } = session(SMALL);
    expect(run("SET", "k".repeat(9), "v")).toBe("-ERR key too long (keySizeMax)\r\n");
    expect(run("SET", "k", "v".repeat(17))).toBe("-ERR value too long (valueSizeMax)\r\n");
    for (let i = 0; i < 4; i++) expect(run("SET", "k" + i, "v" + i)).toBe("+OK\r\n");
    const before = usedBytes(d.memory);
    expect(run("SET", "k9", "v")).toMatch(/^-OOM /);
    expect(run("INCR", "k9")).toMatch(/^-OOM /);
    expect(run("RPUSH", "k9", "v")).toMatch(/^-OOM /);
    expect(run("SET", "k0", "v".repeat(17))).toBe("-ERR value too long (valueSizeMax)\r\n");
    expect(run("GET", "k0")).toBe("$2\r\nv0\r\n");
    expect(usedBytes(d.memory)).toEqual(before);
    expect(run("DEL", "k0", "k1", "k2")).toBe(":3\r\n");
    const values: string[] = [];
    for (let i = 0; i < 6; i++) values.push("e" + i);
    for (let i = 0; i < 3; i++) expect(run("RPUSH", "l", ...values)).toBe(":" + (6 * (i + 1)) + "\r\n");
    expect(run("RPUSH", "l", "a", "b", "c")).toBe("-ERR list too long (listLengthMax)\r\n");
    expect(run("LLEN", "l")).toBe(":18\r\n");
    // Fill the pages with two more lists of long elements until -OOM; the failed push leaves nothing behind.
    let reply = "";
    let list = 0;
    let pushed = 0;
    for (let i = 0; i < 40 && !reply.startsWith("-OOM"); i++) {
      reply = run("LPUSH", "m" + list, "x".repeat(16), "y".repeat(16));
      if (reply.startsWith("-ERR list too long")) list++;
      else if (!reply.startsWith("-")) pushed += 2;
    }
    expect(reply).toMatch(/^-OOM .*list pages/);
    const afterOom = usedBytes(d.memory);
    expect(run("LPUSH", "m" + list, "x".repeat(16), "y".repeat(16))).toMatch(/^-OOM /);
    expect(usedBytes(d.memory)).toEqual(afterOom);
    expect(run("LLEN", "l")).toBe(":18\r\n");
    expect(pushed).toBeGreaterThan(0);
    d.kv.check();
    checkAll(d.memory);
  });

  test("more clients than connectionsMax are refused; the others keep working", () => {
    const d = direct(SMALL);
    const before = usedBytes(d.memory);
    const socks = [d.connect(), d.connect(), d.connect()];
    const extra = d.connect();
    expect(extra.take()).toBe("-ERR max number of clients reached\r\n");
    expect(extra.ended).toBe(true);
    socks[1].feed(cmd("PING"));
    expect(socks[1].take()).toBe("+PONG\r\n");
    socks[0].end();
    const again = d.connect();
    again.feed(cmd("PING"));
    expect(again.take()).toBe("+PONG\r\n");
    again.feed(cmd("QUIT"));
    expect(again.take()).toBe("+OK\r\n");
    expect(again.ended).toBe(true);
    socks[1].end();
    socks[2].end();
    expect(usedBytes(d.memory)).toEqual(before);
    checkAll(d.memory);
  });

  test("bad input closes that connection only", () => {
    const d = direct(SMALL);
    const good = d.connect();
    const cases: [string, string][] = [
      ["*2\r\n$3\r\nGET\r\n$1\r\nab\r\n", "-ERR Protocol error: invalid bulk length\r\n"],
      ["*x\r\n", "-ERR Protocol error: invalid multibulk length\r\n"],
      ["*1\r\n+PING\r\n", "-ERR Protocol error: expected '$'\r\n"],
      ["*1\r\n$99999\r\n", "-ERR Protocol error: invalid bulk length\r\n"],
      ["GET " + "a".repeat(400), "-ERR Protocol error: command longer than the receive buffer\r\n"],
      ["\x00\x01\x02garbage\xff\r\n", "-ERR Protocol error: control bytes in an inline request\r\n"],
      ["SET \"a b\" c\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n"],
    ];
    const before = usedBytes(d.memory);
    for (const [input, reply] of cases) {
      const bad = d.connect();
      bad.feed(input);
      expect(bad.take()).toBe(reply);
      expect(bad.ended).toBe(true);
      good.feed(cmd("PING"));
      expect(good.take()).toBe("+PONG\r\n");
      expect(usedBytes(d.memory)).toEqual(before);
      checkAll(d.memory);
    }
  });

  test("SAVE, restart from the image, data still there; a fresh heap starts empty", () => {
    const d = direct(DEFAULT_CONFIG);
    const s = d.connect();
    s.feed(cmd("SET", "a", "1") + cmd("RPUSH", "l", "x", "y", "z") + cmd("SET", "ttl", "v", "EX", "100") + cmd("SAVE"));
    expect(s.take()).toBe("+OK\r\n:3\r\n+OK\r\n+OK\r\n");
    const image = d.memory.image;
    expect(image).not.toBeNull();
    const d2 = direct(DEFAULT_CONFIG, image);
    expect(d2.kv.restored).toBe(true);
    const s2 = d2.connect();
    s2.feed(cmd("GET", "a") + cmd("LRANGE", "l", "0", "-1") + cmd("DBSIZE") + cmd("TTL", "ttl"));
    expect(s2.take()).toBe("$1\r\n1\r\n*3\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n:3\r\n:100\r\n");
    // The saving connection did not survive: one connection is live now.
    expect(d2.memory.allocators.conns.stats().allocationCount).toBe(1);
    d2.kv.check();
    checkAll(d2.memory);
    const d3 = direct(DEFAULT_CONFIG);
    const s3 = d3.connect();
    s3.feed(cmd("DBSIZE"));
    expect(s3.take()).toBe(":0\r\n");
  });

  test("heap used bytes after a load equal those before", () => {
    const d = direct(DEFAULT_CONFIG);
    const before = usedBytes(d.memory);
    const socks = [d.connect(), d.connect(), d.connect()];
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 100; i++) {
        const s = socks[i % 3];
        s.feed(cmd("SET", "key" + i, "value" + round) + cmd("RPUSH", "list" + (i % 5), "e" + i) + cmd("GET", "key" + i));
        s.take();
      }
      for (let i = 0; i < 100; i++) socks[0].feed(cmd("DEL", "key" + i) + cmd("LPOP", "list" + (i % 5)));
      socks[0].take();
    }
    for (const s of socks) s.end();
    expect(usedBytes(d.memory)).toEqual(before);
    checkAll(d.memory);
    d.kv.check();
  });

  test("a command that throws (a bug) closes that connection only; the arena and the others go on", () => {
    const d = direct(SMALL);
    const errors: unknown[] = [];
    d.kv.onInternalError = (e) => errors.push(e);
    const good = d.connect();
    const bad = d.connect();
    const find = d.kv.store.find;
    d.kv.store.find = () => {
      throw new Error("injected");
    };
    bad.feed(cmd("GET", "a"));
    expect(bad.take()).toBe("-ERR kv internal error (see the board's console)\r\n");
    expect(bad.ended).toBe(true);
    expect(errors.length).toBe(1);
    d.kv.store.find = find;
    good.feed(cmd("SET", "a", "1") + cmd("GET", "a"));
    expect(good.take()).toBe("+OK\r\n$1\r\n1\r\n");
    checkAll(d.memory);
  });
});
