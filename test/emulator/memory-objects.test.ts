// The memory model charges the program's own objects, arrays, strings, numbers and closures
// (issue 12, part 3), by the device's layout rules, at the points where the device counts.
// Expected sizes are what the real interpreter (Espruino 2v29, Linux build, 3000 JsVars of 17
// bytes) printed for the same code (docs/EMULATOR.md, "Objects, strings and closures").
import { describe, it, expect } from "vitest";
import { EmulatedBoard } from "../../host/emulator/board.js";
import { DeviceLayout } from "../../host/emulator/memory/layout.js";
import { REFERENCE_PROGRAM, DEVICE_CHECKPOINTS, DEVICE_BUILD, DEVICE_BOOT_BLOCKS, checkpoints } from "./memory-reference.js";


function linuxBoard(bootBlocks?: number): { board: EmulatedBoard; output: () => string; run(code: string): string } {
  let out = "";
  const board = new EmulatedBoard({ board: DEVICE_BUILD, flashPath: null, output: (t) => (out += t), bootBlocks });
  board.powerOn();
  return {
    board,
    output: () => out,
    run(code: string): string {
      const from = out.length;
      const r = board.evaluate(code);
      return r.ok ? String(r.value) : out.slice(from);
    },
  };
}

describe("the device's layout rules", () => {
  it("derives name and string capacities from the JsVar count and block size, as jsutils.h does", () => {
    const linux = new DeviceLayout(3000, 17);
    expect([linux.nameChars, linux.firstChars, linux.extChars, linux.intMax]).toEqual([8, 12, 13, 2047]);
    // A 13-byte board with 12-bit references (Puck.js): 4-character names, as on every 32-bit board.
    const puck = new DeviceLayout(2630, 13);
    expect([puck.nameChars, puck.firstChars, puck.extChars, puck.intMax]).toEqual([4, 8, 9, 2047]);
    // ESPRUINOWIFI: 13-bit references.
    expect(new DeviceLayout(8190, 13).intMax).toBe(4095);
  });

  it("E.getSizeOf gives the device's sizes for strings, names, numbers, arrays and objects", () => {
    const b = linuxBoard();
    const sizes = b.run(
      "[E.getSizeOf('x'.repeat(12)), E.getSizeOf('x'.repeat(13)), E.getSizeOf('x'.repeat(25)), E.getSizeOf('x'.repeat(26))," +
        " E.getSizeOf({ abcdefgh: 1 }), E.getSizeOf({ abcdefghi: 1 }), E.getSizeOf({ abcdefghijklmnopqrstu: 1 }), E.getSizeOf({ abcdefghijklmnopqrstuv: 1 })," +
        " E.getSizeOf({ a: 2047 }), E.getSizeOf({ a: 2048 }), E.getSizeOf({ a: -1 }), E.getSizeOf({ a: 1.5 }), E.getSizeOf({ a: true }), E.getSizeOf({ a: undefined })," +
        " E.getSizeOf([1, 2, 3, 4, 5]), E.getSizeOf(['ab']), E.getSizeOf({ a: { b: { c: 1 } } }), E.getSizeOf({ a: [1, 2], b: 'xx' })].join()",
    );
    expect(sizes).toBe([1, 2, 2, 3, 2, 3, 3, 4, 2, 3, 2, 3, 3, 2, 6, 3, 6, 7].join());
  });

  it("E.getSizeOf of a closure counts its code and the scope it keeps, as the device does", () => {
    const b = linuxBoard();
    b.run("function mk(n) { return function () { return n; }; }");
    b.run("function makeHandler(id) { var state = { count: 0, last: '' }; return function (ev) { state.count++; state.last = ev; return id + state.count; }; }");
    // Device: 6 (function, code name, code "n;", scope name, scope, parameter n) and 16.
    expect(b.run("E.getSizeOf(mk(5)) + ' ' + E.getSizeOf(makeHandler(3))")).toBe("6 16");
    // Two scopes deep: the function keeps a copy of the chain (an array, an index per scope); device: 11.
    b.run("function outer(a) { return function (b) { return function () { return a + b; }; }; }");
    expect(b.run("E.getSizeOf(outer(1)(2))")).toBe("11");
    // Functions of the program's top level, with their text (device: 1, 4, 3, and 5 with a flat string).
    b.run("function f0() {} function f1(a) { return a; }");
    expect(b.run("[E.getSizeOf(f0), E.getSizeOf(f1), E.getSizeOf(function () { return 1; }), E.getSizeOf(function () { xx.yy = 1; zz.ww = 2; return 1; })].join()")).toBe("1,4,3,5");
  });
});

describe("process.memory() sees the program's objects", () => {
  it("grows with objects kept alive, and gives the blocks back when they are dropped", () => {
    const b = linuxBoard();
    const before = Number(b.run("process.memory().usage"));
    b.run("var keep = []; for (var i = 0; i < 100; i++) keep.push({ id: i, name: 'entry number ' + i });");
    const grown = Number(b.run("process.memory().usage"));
    // Each entry: its index, the object, the name id (holding i), the name name and its 2-block string.
    expect(grown - before).toBeGreaterThanOrEqual(600);
    expect(grown - before).toBeLessThan(600 + 10);
    b.run("keep = undefined;");
    expect(Number(b.run("process.memory().usage"))).toBeLessThan(before + 10);
  });

  it("counts a closure's scope once for all the functions made by the same call", () => {
    const b = linuxBoard();
    b.run("function pair() { var big = { text: 'x'.repeat(300) }; return { a: function () { return big; }, b: function () { return big.text.length; } }; }");
    const one = Number(b.run("var p1 = pair(); process.memory().usage"));
    const two = Number(b.run("var p2 = pair(); process.memory().usage"));
    const grown = two - one;
    // A second pair: the object, its names, two functions with their code, and one scope holding
    // an object with the 300-character string (24 blocks): about 40 blocks, not 66 as with the
    // scope counted twice.
    expect(grown).toBeGreaterThan(30);
    expect(grown).toBeLessThan(50);
  });

  it("counts the handlers on() keeps and the callbacks of timers, which the program reaches no other way", () => {
    const b = linuxBoard();
    b.run("var src = {}, tid = 0; function watch(id) { var seen = { id: id, hits: [] }; src.on('data', function (d) { seen.hits.push(d); }); }");
    b.run("function keeper() { var big = 'y'.repeat(200); return function () { return big; }; }");
    const before = Number(b.run("process.memory().usage"));
    b.run("for (var i = 0; i < 40; i++) watch(i);");
    const withHandlers = Number(b.run("process.memory().usage"));
    // Each handler: its index in the list, the function and its code, and the scope with seen.
    expect(withHandlers - before).toBeGreaterThan(40 * 8);
    b.run("src.removeAllListeners('data');");
    expect(Number(b.run("process.memory().usage"))).toBeLessThan(before + 8);
    const beforeTimer = Number(b.run("process.memory().usage"));
    b.run("tid = setInterval(keeper(), 100000);");
    // The timer's entry (7 on the device), the callback with its code and scope, the 200-character string (16).
    expect(Number(b.run("process.memory().usage")) - beforeTimer).toBeGreaterThan(16 + 7);
    b.run("clearInterval(tid);");
    expect(Number(b.run("process.memory().usage"))).toBeLessThan(beforeTimer + 4);
    b.board.dispose();
  });

  it("a program that does not leak keeps a steady usage through many calls of its handlers", () => {
    const b = linuxBoard();
    b.run("function makeHandler(id) { var state = { count: 0, last: '' }; return function (ev) { state.count++; state.last = 'event ' + (ev % 10); return id + state.count; }; }");
    b.run("var handlers = []; for (var j = 0; j < 20; j++) handlers.push(makeHandler(j)); var k = 0;");
    b.run("for (k = 0; k < 200; k++) handlers[k % 20](k);");
    const before = Number(b.run("process.memory().usage"));
    b.run("for (k = 0; k < 1000; k++) handlers[k % 20](k);");
    expect(Number(b.run("process.memory().usage"))).toBe(before);
  });

  it("a loop that keeps objects alive prints OUT OF MEMORY near where the device does, and stops", () => {
    const b = linuxBoard(DEVICE_BOOT_BLOCKS);
    const text = b.run("var keep = []; for (var i = 0; i < 100000; i++) { keep.push({ id: i, name: 'entry number ' + i }); if (i % 50 == 0) print(i); }");
    expect(text).toContain("OUT OF MEMORY");
    expect(text).toContain("Execution Interrupted");
    expect(b.run("E.getErrorFlags().join()")).toBe("LOW_MEMORY,MEMORY");
    // The device printed 450 and stopped before 500 (3000 JsVars, 6 per entry).
    const printed = text.split(/\r?\n/).filter((l) => /^\d+$/.test(l)).map(Number);
    const last = printed[printed.length - 1];
    expect(last).toBeGreaterThanOrEqual(400);
    expect(last).toBeLessThanOrEqual(500);
    expect(Number(b.run("keep.length"))).toBeLessThan(600);
  });

  it("an interval that keeps objects alive runs out of memory in its own callback and is removed, as on the device", async () => {
    const b = linuxBoard(DEVICE_BOOT_BLOCKS);
    b.run("var keep = []; var id = setInterval(function () { keep.push({ id: keep.length, name: 'entry number ' + keep.length }); if (keep.length % 50 == 0) print(keep.length); }, 1);");
    const deadline = Date.now() + 20_000;
    while (!b.output().includes("OUT OF MEMORY") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // As the device: the interval is removed, and the flags say a callback failed.
    expect(b.output()).toContain("OUT OF MEMORY");
    expect(b.output()).toContain("ERROR: Ctrl-C while processing interval - removing it.\r\nExecution Interrupted during event processing.\r\nNew interpreter error: CALLBACK,LOW_MEMORY,MEMORY");
    const kept = b.run("keep.length");
    await new Promise((r) => setTimeout(r, 100));
    expect(b.run("keep.length")).toBe(kept);
    // The device printed 450 and ran out before 500 (2v29 Linux build, the same board).
    const printed = b.output().split(/\r?\n/).map((l) => l.replace(/^[\s\S]*\x1b\[J/, "").trim()).filter((l) => /^\d+$/.test(l)).map(Number);
    expect(Math.max(...printed)).toBeGreaterThanOrEqual(400);
    expect(Math.max(...printed)).toBeLessThanOrEqual(500);
    b.board.dispose();
  }, 30_000);
});

describe("the reference program, against the device", () => {
  it("usage is within 15% of the device's at every checkpoint (the device's boot share)", () => {
    const b = linuxBoard(DEVICE_BOOT_BLOCKS);
    b.run(REFERENCE_PROGRAM);
    const got = checkpoints(b.output());
    expect(Object.keys(got)).toEqual(Object.keys(DEVICE_CHECKPOINTS));
    for (const [name, device] of Object.entries(DEVICE_CHECKPOINTS)) {
      expect(Math.abs(got[name] - device) / device, `${name}: emulator ${got[name]}, device ${device}`).toBeLessThanOrEqual(0.15);
    }
    expect(b.output()).toContain("sizes 1081 1531 200");
    expect(b.output()).not.toContain("OUT OF MEMORY");
  });
});
