// require("Storage") semantics and the flash file that keeps them across restarts.
import { describe, it, expect, afterAll } from "vitest";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { FlashStore } from "../../host/emulator/storage/flash-store.js";
import { bootBoard, resultOf, tempDir } from "./helpers.js";

describe("Storage on the board", () => {
  const t = bootBoard("PUCKJS");
  afterAll(() => t.board.dispose());
  const S = "var S = require('Storage');";

  it("writes, reads, lists and erases", () => {
    t.type(S);
    expect(resultOf(t, "S.write('greeting', 'hello')")).toBe("=true");
    expect(resultOf(t, "S.read('greeting')")).toBe('="hello"');
    expect(resultOf(t, "S.read('greeting', 1, 3)")).toBe('="ell"');
    expect(resultOf(t, "S.list().indexOf('greeting') >= 0")).toBe("=true");
    expect(resultOf(t, "S.list(/^gree/).length")).toBe("=1");
    t.type("S.erase('greeting')");
    expect(resultOf(t, "S.read('greeting')")).toBe("=undefined");
  });

  it("rejects names longer than 28 characters", () => {
    expect(resultOf(t, "S.write('a'.repeat(29), 'x')")).toMatch(/^Uncaught Error: .*too long/);
    expect(resultOf(t, "S.write('b'.repeat(28), 'x')")).toBe("=true");
  });

  it("creates a file with its size, leaves unwritten bytes 0xFF, refuses to rewrite written bytes", () => {
    expect(resultOf(t, "S.write('log', 'ab', 0, 6)")).toBe("=true");
    expect(resultOf(t, "S.read('log').length + ':' + S.read('log').charCodeAt(4)")).toBe('="6:255"');
    expect(resultOf(t, "S.write('log', 'cd', 2)")).toBe("=true");
    expect(resultOf(t, "S.read('log').substr(0, 4)")).toBe('="abcd"');
    expect(resultOf(t, "S.write('log', 'zz', 1)")).toMatch(/^Uncaught Error: .*already written/);
    expect(resultOf(t, "S.write('log', 'toolong', 4)")).toMatch(/^Uncaught Error: .*too much data/);
    expect(resultOf(t, "S.write('nothere', 'x', 3)")).toMatch(/^Uncaught Error: .*does not exist/);
  });

  it("stores JSON and ArrayBuffers", () => {
    t.type("S.writeJSON('cfg', { a: 1, b: [2, 3] })");
    expect(resultOf(t, "S.readJSON('cfg').b[1]")).toBe("=3");
    t.type("S.write('bin', new Uint8Array([1, 2, 250]))");
    expect(resultOf(t, "var ab = S.readArrayBuffer('bin'); new Uint8Array(ab)[2] + ab.byteLength")).toBe("=253");
  });

  it("maps readArrayBuffer from flash: a file bigger than free RAM reads without a RAM copy", () => {
    const p = bootBoard("PUCKJS");
    // Written a kilobyte at a time: the whole file as one string would not fit the board's RAM
    // (30,000 characters are over 3,000 JsVars), and the memory model counts strings.
    p.type("var S = require('Storage'); for (var o = 0; o < 30000; o += 1000) { var b = ''; for (var i = o; i < o + 1000; i++) b += String.fromCharCode(i & 255); S.write('big', b, o, 30000); } b = undefined;");
    expect(resultOf(p, "var before = process.memory().usage; var u = new Uint8Array(S.readArrayBuffer('big')); (process.memory().usage - before) + ' ' + u.length + ' ' + u[300]")).toBe('="1 30000 44"');
    expect(p.output()).not.toContain("OUT OF MEMORY");
  });

  it("reclaims erased space only on compact()", () => {
    const free0 = Number(resultOf(t, "S.getFree()").slice(1));
    t.type("S.write('big', 'x'.repeat(1000))");
    t.type("S.erase('big')");
    expect(Number(resultOf(t, "S.getFree()").slice(1))).toBeLessThan(free0);
    expect(resultOf(t, "var st = S.getStats(); st.trashCount > 0 && st.totalBytes === 40960")).toBe("=true");
    t.type("S.compact()");
    expect(Number(resultOf(t, "S.getFree()").slice(1))).toBeGreaterThanOrEqual(free0);
  });

  it("appends and reads lines through a StorageFile", () => {
    t.type("var f = S.open('journal', 'w'); f.write('one\\n'); f.write('two\\n');");
    expect(resultOf(t, "var r = S.open('journal', 'r'); r.readLine() + r.readLine()")).toBe('="one\\ntwo\\n"');
    expect(resultOf(t, "S.open('journal', 'a').getLength()")).toBe("=8");
  });

  it("loads a module from a Storage file and from Modules.addCached", () => {
    t.type("S.write('mymod', 'exports.twice = function (x) { return 2 * x };')");
    expect(resultOf(t, "require('mymod').twice(21)")).toBe("=42");
    t.type("Modules.addCached('cached', 'module.exports = { v: 7 };')");
    expect(resultOf(t, "require('cached').v")).toBe("=7");
    t.type("Modules.addCached('asfn', function () { exports.k = 5; })");
    expect(resultOf(t, "require('asfn').k + (typeof exports)")).toBe('="5undefined"');
    expect(resultOf(t, "require('nowhere')")).toMatch(/^Uncaught Error: Module nowhere not found/);
  });
});

describe("the flash file", () => {
  const tmp = tempDir("bootheap-flash-");
  afterAll(() => tmp.remove());

  it("keeps files, written-byte marks and garbage across instances", () => {
    const path = join(tmp.dir, "PUCKJS.flash");
    const a = new FlashStore("PUCKJS", 40960, path);
    a.write("keep", "12", 0, 4);
    a.write("gone", "x", 0, 0);
    a.erase("gone");
    const b = new FlashStore("PUCKJS", 40960, path);
    expect(b.list()).toEqual(["keep"]);
    expect(b.read("keep")).toBe("12\xff\xff");
    expect(() => b.write("keep", "9", 1, 0)).toThrow(/already written/);
    expect(b.freeBytes()).toBe(a.freeBytes());
  });

  it("refuses a corrupt flash file with a clear message", () => {
    const path = join(tmp.dir, "BAD.flash");
    writeFileSync(path, "not json");
    expect(() => new FlashStore("BAD", 1000, path)).toThrow(/unreadable.*delete it/);
  });

  it("fills up: a write that cannot fit even after compacting fails", () => {
    const s = new FlashStore("TINY", 200, null);
    s.write("a", "x".repeat(100), 0, 0);
    expect(() => s.write("b", "y".repeat(100), 0, 0)).toThrow(/not enough free space/);
  });
});
