import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, test } from "vitest";
import { parseDump, heapFromImage } from "../../host/inspect/image.js";
import { bootBoard, type TestBoard } from "../emulator/helpers.js";

interface Mem {
  heap: { u8: Uint8Array; sizeBytes: number };
  reports(): Array<{ name: string; kind: string; offset: number; usedBytes: number; capacityBytes: number; allocationCount: number }>;
  check(): boolean;
  leaks(): number;
  save(): boolean;
  restore(): boolean;
}

function boot(t: TestBoard, board = "ESPRUINOWIFI"): Mem {
  t.board.loadFromStorage(readFileSync(`dist/firmware/${board}/demo.js`, "utf8"));
  expect(t.output()).toContain("bootheap: demo on " + board);
  return t.board.global.MEM as Mem;
}

function bytesOf(mem: Mem): number[] {
  return Array.from(mem.heap.u8);
}

describe("MEM at the console, on a busy heap (demo firmware on ESPRUINOWIFI)", () => {
  let t: TestBoard;
  let mem: Mem;
  beforeEach(() => {
    t = bootBoard("ESPRUINOWIFI");
    mem = boot(t);
  });

  test("MEM.stats() prints a row per region with kind, capacity, used, peak, allocations, largest free, fragmentation", () => {
    const printed = t.type("MEM.stats()");
    expect(printed).toMatch(/region\s+kind\s+capacity\s+used\s+peak\s+allocs\s+largest\s+frag/);
    expect(printed).not.toMatch(/^=["[]/m);
    const reports = mem.reports();
    expect(reports.map((r) => r.name)).toEqual(["readings", "general", "scratch", "frames"]);
    for (const r of reports) expect(printed).toMatch(new RegExp(`${r.name}\\s+${r.kind}\\s+${r.capacityBytes}\\s+${r.usedBytes}\\s`));
    expect(reports[0].allocationCount).toBe(40);
    expect(reports[1].usedBytes).toBeGreaterThan(0);
  });

  test("MEM.map() draws a line per region within 80 columns, and shows what is used", () => {
    const printed = t.type("MEM.map()");
    expect(printed).not.toMatch(/^=["[]/m);
    const lines = printed.split(/\r?\n/).slice(1).filter((line) => line !== "" && !line.startsWith("=") && line !== ">");
    expect(lines).toHaveLength(1 + 4 + 1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines[1]).toMatch(/^readings\s+#/);
    expect(lines[2]).toMatch(/^general\s+m/);
    expect(lines[4]).toMatch(/^frames\s+\.+\s+0%$/);
  });

  test("MEM.check() passes, and finds a corrupted block", () => {
    expect(t.type("MEM.check()")).toContain("ok: 4 regions checked");
    const general = mem.reports()[1];
    mem.heap.u8[general.offset + 600] ^= 0xff;
    mem.heap.u8[general.offset + 601] ^= 0xff;
    expect(t.type("MEM.check()")).toMatch(/Uncaught.*Corrupt/);
  });

  test("MEM.leaks() in a release build says leak tracking needs a debug build", () => {
    expect(t.type("MEM.leaks()")).toContain("needs a debug build");
  });

  test("MEM.dump() prints the image; decoded on the host it is byte-identical to the heap", () => {
    const before = bytesOf(mem);
    const printed = t.type("MEM.dump()");
    const image = parseDump(printed);
    expect(Array.from(image.bytes)).toEqual(before);
    const heap = heapFromImage(image);
    expect(heap.regions().map((r) => r.kind)).toEqual(["pool", "tlsf", "fixed", "stack"]);
  });

  test("a dump with a flipped byte or a missing line is refused", () => {
    const printed = t.type("MEM.dump()");
    const lines = printed.split(/\r?\n/);
    const begin = lines.findIndex((l) => l.startsWith("=== bootheap image"));
    const flipped = [...lines];
    flipped[begin + 3] = (flipped[begin + 3][0] === "A" ? "B" : "A") + flipped[begin + 3].slice(1);
    expect(() => parseDump(flipped.join("\n"))).toThrow(/checksum mismatch/);
    const short = lines.filter((_, i) => i !== begin + 5);
    expect(() => parseDump(short.join("\n"))).toThrow(/has \d+ bytes, its header says \d+/);
  });

  test("MEM.save() says why when Storage cannot hold the image beside the firmware", () => {
    expect(t.type("MEM.save()")).toMatch(/not saved: Storage has \d+ bytes free, the image needs \d+/);
  });
});

// ESP32's Storage holds the demo firmware and its heap image (ESPRUINOWIFI's 64 KB does not).
describe("the heap image in Storage (demo firmware on ESP32)", () => {
  let t: TestBoard;
  let mem: Mem;
  beforeEach(() => {
    t = bootBoard("ESP32");
    mem = boot(t, "ESP32");
  });

  test("MEM.save() then MEM.restore() brings back exactly the saved bytes", () => {
    expect(mem.save()).toBe(true);
    const saved = bytesOf(mem);
    t.board.evaluate("MEM.heap.u8[MEM.reports()[2].offset] ^= 255");
    expect(bytesOf(mem)).not.toEqual(saved);
    expect(mem.restore()).toBe(true);
    expect(bytesOf(mem)).toEqual(saved);
  });

  test("a saved image is restored at the next boot", () => {
    expect(mem.save()).toBe(true);
    const saved = bytesOf(mem);
    const again = bootBoard("ESP32");
    for (const name of t.board.storage.list()) again.board.storage.write(name, t.board.storage.read(name)!, 0, t.board.storage.read(name)!.length);
    const restored = boot(again, "ESP32");
    expect(again.output()).toContain("image restored");
    // The app ran its first ticks on the restored heap (the state words moved on), so compare
    // the header and each region's description.
    const described = (bytes: number[]) => [bytes.slice(0, 24), ...[0, 1, 2, 3].map((r) => bytes.slice(24 + r * 48, 24 + r * 48 + 24))];
    expect(described(bytesOf(restored))).toEqual(described(saved));
    expect(restored.reports()[0].allocationCount).toBeGreaterThan(40);
    expect(restored.check()).toBe(true);
  });

  test("a corrupted saved image is refused with the reason and the running heap is untouched", () => {
    expect(mem.save()).toBe(true);
    const store = t.board.storage;
    const file = store.read("bootheap.img")!;
    const corrupt = file.slice(0, 1000) + String.fromCharCode(file.charCodeAt(1000) ^ 1) + file.slice(1001);
    store.erase("bootheap.img");
    expect(store.write("bootheap.img", corrupt, 0, corrupt.length)).toBe(true);
    t.board.evaluate("MEM.heap.u8[MEM.reports()[2].offset] ^= 255");
    const running = bytesOf(mem);
    expect(t.type("MEM.restore()")).toMatch(/not restored: checksum mismatch/);
    expect(bytesOf(mem)).toEqual(running);
    const again = bootBoard("ESP32");
    again.board.storage.write("bootheap.img", corrupt, 0, corrupt.length);
    boot(again, "ESP32");
    expect(again.output()).toMatch(/saved heap image not restored: checksum mismatch/);
  });

  test("an image of another format version is refused", () => {
    expect(mem.save()).toBe(true);
    const store = t.board.storage;
    const file = store.read("bootheap.img")!;
    const versionAt = 8 + 4;
    const other = file.slice(0, versionAt) + String.fromCharCode(9) + file.slice(versionAt + 1);
    store.erase("bootheap.img");
    store.write("bootheap.img", other, 0, other.length);
    expect(t.type("MEM.restore()")).toMatch(/not restored: the image has format version 9, this firmware 1/);
  });
});
