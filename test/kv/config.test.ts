// The one computation from limits to memory: its numbers, its guarantees (the largest legal
// command fits a receive buffer, a full list of the largest elements fits the pages), and the
// text the build prints when a board cannot hold it.
import { expect, test } from "vitest";
import app from "../../firmware/apps/kv/app.js";
import { checkConfig, DEFAULT_CONFIG, describeLimits, kvConfigFor, kvHeapBytes, kvLayout, kvMemoryReport, kvPlan, SMALL_CONFIG } from "../../firmware/apps/kv/config.js";
import { planHeapBytes } from "../../plan/plan.js";
import { checkFit } from "../../plan/fit.js";
import { loadBoard } from "../../host/boards.js";
import { cmd, direct } from "./direct.js";

test("the default config: regions and bytes", () => {
  const plan = kvPlan(DEFAULT_CONFIG);
  expect(plan.regions.map((r) => r.name)).toEqual(["state", "conns", "rx", "tx", "args", "scratch", "text", "buckets", "keys", "pages"]);
  const l = kvLayout(DEFAULT_CONFIG);
  expect(l.rxBytes).toBe(576);
  expect(l.entryBytes).toBe(128);
  expect(l.bucketCount).toBe(128);
  expect(l.pageBytes).toBe(144);
  expect(l.pageCount).toBe(66);
  expect(planHeapBytes(plan)).toBe(33688);
  expect(kvHeapBytes(DEFAULT_CONFIG)).toBe(33688);
  const report = kvMemoryReport(DEFAULT_CONFIG).join("\n");
  expect(report).toContain("keys: 16384 bytes (128 x 128)");
  expect(report).toContain("heap: 33688 bytes in total");
});

test("limits are checked and named", () => {
  expect(() => checkConfig({ ...DEFAULT_CONFIG, keySizeMax: 300 })).toThrow(/keySizeMax must be a whole number from 1 to 255, got 300/);
  expect(() => checkConfig({ ...DEFAULT_CONFIG, connectionsMax: 1.5 })).toThrow(/connectionsMax/);
  expect(() => checkConfig({ ...DEFAULT_CONFIG, listElementBytes: 65 })).toThrow(/listElementBytes/);
  expect(describeLimits(DEFAULT_CONFIG)).toBe("connectionsMax=4 keyCount=128 keySizeMax=32 valueSizeMax=64 listLengthMax=128 argsMax=8 -> 33688 bytes of heap");
});

test("a board's budget picks the config; the build's message names the limits when they do not fit", () => {
  expect(kvConfigFor(42560, undefined)).toBe(DEFAULT_CONFIG);
  expect(kvConfigFor(7680, undefined)).toBe(SMALL_CONFIG);
  expect(kvConfigFor(42560, { keyCount: 16 }).keyCount).toBe(16);
  expect(app.describeLimits!({ board: "ESP8266_4MB", heapBudgetBytes: 7680 })).toContain("keyCount=16");
  const board = loadBoard("ESP8266_4MB");
  const fit = checkFit(board, "kv", kvPlan(DEFAULT_CONFIG), { bytes: 50000, textBytes: 50000, functionCount: 235, parameterCount: 300, outerVariableCount: 80 }, "flash", "kv " + describeLimits(DEFAULT_CONFIG));
  expect(fit.fits).toBe(false);
  expect(fit.message).toContain("connectionsMax=4 keyCount=128 keySizeMax=32 valueSizeMax=64 listLengthMax=128");
});

test("the largest legal command fits a receive buffer; a full list of the largest elements fits the pages", () => {
  for (const config of [DEFAULT_CONFIG, SMALL_CONFIG]) {
    const d = direct(config);
    const s = d.connect();
    const key = "k".repeat(config.keySizeMax);
    const value = "v".repeat(config.valueSizeMax);
    s.feed(cmd("SET", key, value, "PX", "99999999999999", "NX"));
    expect(s.take()).toBe("+OK\r\n");
    const values = [value, value, value, value, value, value];
    let len = 0;
    while (len + 6 <= config.listLengthMax) {
      s.feed(cmd("RPUSH", "L" + key.slice(1), ...values));
      len += 6;
      expect(s.take()).toBe(":" + len + "\r\n");
    }
    while (len < config.listLengthMax) {
      s.feed(cmd("LPUSH", "L" + key.slice(1), value));
      len++;
      expect(s.take()).toBe(":" + len + "\r\n");
    }
    s.feed(cmd("LRANGE", "L" + key.slice(1), "0", "-1"));
    const reply = s.take();
    expect(reply.startsWith("*" + config.listLengthMax + "\r\n")).toBe(true);
    expect(reply.length).toBe(("*" + len + "\r\n").length + len * ("$" + value.length + "\r\n" + value + "\r\n").length);
    expect(s.ended).toBe(false);
    d.kv.check();
  }
});
