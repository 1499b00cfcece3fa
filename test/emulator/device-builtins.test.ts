// Built-ins the device has and V8 lacks, and V8's that the device lacks, as the interpreter's own
// sources document them (jswrap_*.c) and as 2v29 answered when asked (docs/EMULATOR.md).
import { describe, it, expect, afterAll } from "vitest";
import { bootBoard, resultOf } from "./helpers.js";

describe("the device's own built-ins", () => {
  const t = bootBoard("LINUX");
  afterAll(() => t.board.dispose());

  it("E.mapInPlace maps through an array, a function or nothing, with bit packing both ways", () => {
    t.type("var a = new Uint8Array([0x12,0x34,0x56,0x78]), b = new Uint8Array(8)");
    expect(resultOf(t, "E.mapInPlace(new Uint8Array([1,2,3,1]), b, new Uint8Array([128,129,130,131])), [].slice.call(b, 0, 4)")).toBe("=[ 129, 130, 131, 129 ]");
    expect(resultOf(t, "b.fill(0), E.mapInPlace(a, b, undefined, 4), [].slice.call(b)")).toBe("=[ 1, 2, 3, 4, 5, 6, 7, 8 ]");
    expect(resultOf(t, "E.mapInPlace(a, b, undefined, -4), [].slice.call(b)")).toBe("=[ 2, 1, 4, 3, 6, 5, 8, 7 ]");
    expect(resultOf(t, "b.fill(0), E.mapInPlace(a, b, function (v, i) { return i; }), [].slice.call(b)")).toBe("=[ 0, 1, 2, 3, 0, 0, 0, 0 ]");
    expect(resultOf(t, "var c = new Uint16Array(4); E.mapInPlace(a, c, undefined, 12); [].slice.call(c)")).toBe("=[ 291, 1110, 1920, 0 ]");
    expect(resultOf(t, "E.mapInPlace([1], b)")).toMatch(/^Uncaught Error: First 2 arguments should be array buffers/);
  });

  it("emit queues the handlers; E.stopEventPropagation stops the ones after the running one, and throws outside a handler", async () => {
    t.type("var X = {}, seen = ''; X.on('e', function () { seen += 'A'; }); X.on('e', function () { seen += 'B'; E.stopEventPropagation(); }); X.on('e', function () { seen += 'C'; })");
    expect(resultOf(t, "X.emit('e'), X.emit('e'), seen")).toBe('=""');
    expect(resultOf(t, "E.stopEventPropagation()")).toMatch(/^Uncaught Error: E.stopEventPropagation\(\) called when not handling events/);
    await new Promise((r) => setImmediate(r));
    expect(resultOf(t, "seen")).toBe('="ABAB"');
    expect(resultOf(t, "X.emit(1)")).toMatch(/^Uncaught TypeError: First argument must be String/);
  });

  it("E.getFlags/E.setFlags, E.toFlatString, E.decodeUTF8, Math.randInt, Math.clip, Math.wrap", () => {
    expect(resultOf(t, "E.setFlags({ pretokenise: 1 }), E.getFlags().pretokenise")).toBe("=1");
    expect(resultOf(t, "E.getFlags().deepSleep")).toBe("=0");
    expect(resultOf(t, "E.toFlatString([104, 105], '!')")).toBe('="hi!"');
    expect(resultOf(t, "E.decodeUTF8('Euro: \\u00e2\\u0082\\u00ac', { 0x20ac: '\\u0080' }, '?').charCodeAt(6)")).toBe("=128");
    expect(resultOf(t, "var r = Math.randInt(3); r >= 0 && r < 3 && r === (r | 0)")).toBe("=true");
    expect(resultOf(t, "[Math.clip(5, 0, 3), Math.wrap(-1, 4)]")).toBe("=[ 3, 3 ]");
  });

  it("Object.prototype.clone makes a shallow copy; ArrayBufferView is every typed array's parent", () => {
    expect(resultOf(t, "var o = { a: 1, b: [2] }; var k = o.clone(); k.a = 5; [o.a, k.b === o.b]")).toBe("=[ 1, true ]");
    expect(resultOf(t, "ArrayBufferView.prototype.second = function () { return this[1]; }; new Int16Array([7, 43]).second()")).toBe("=43");
  });

  it("changeInterval throws for anything but a live timer's id; clearTimeout(undefined) throws", () => {
    expect(resultOf(t, "function tick() {} var id = setInterval(tick, 1000); changeInterval(id, 500); 'ok'")).toBe('="ok"');
    expect(resultOf(t, "changeInterval(tick, 10)")).toMatch(/^Uncaught Error: Unknown Interval/);
    expect(resultOf(t, "clearTimeout(undefined)")).toMatch(/^Uncaught Error: clearTimeout\(undefined\) not allowed/);
    t.type("clearInterval()");
  });

  it("url.parse splits a URL as the device does (boards with networking)", () => {
    expect(resultOf(t, "var u = url.parse('http://example.com:8080/a/b?x=1&y=%41', true); [u.protocol, u.host, u.port, u.pathname, u.search, u.query.y]")).toBe(
      '=[ "http:", "example.com", 8080, "/a/b", "?x=1&y=%41", "A" ]',
    );
    expect(resultOf(t, "var v = url.parse('host.com/shelves'); [v.host, v.path, v.port, v.query]")).toBe('=[ "host.com", "/shelves", null, null ]');
  });

  it("JSON.stringify writes typed arrays as arrays", () => {
    expect(resultOf(t, "JSON.stringify({ u: new Uint8Array([0, 1]) })")).toBe('="{\\"u\\":[0,1]}"');
  });

  it("trace prints; process.env.CONSOLE names an object that exists", () => {
    expect(t.type("trace({ a: 1 })")).toContain("{ a: 1 }\r\n");
    expect(resultOf(t, "typeof global[process.env.CONSOLE].write")).toBe('="function"');
  });

  it("process.on('uncaughtException') gets the error instead of the console", () => {
    t.type("process.on('uncaughtException', function (e) { print('handled', e); })");
    expect(t.type("throw 'Whoa'")).toContain("handled Whoa\r\n");
    expect(t.output()).not.toContain('Uncaught "Whoa"');
  });
});

describe("V8 built-ins the device lacks", () => {
  const t = bootBoard("LINUX");
  afterAll(() => t.board.dispose());

  it("are absent", () => {
    for (const expr of ["[].findLast", "[].findLastIndex", "[].toSorted", "[].toSpliced", "[].with", "[].toReversed", "''.at", "''.matchAll", "''.localeCompare", "String.raw", "Number.isNaN", "Object.hasOwn", "Promise.any", "Promise.resolve().finally", "encodeURI", "new Date().toLocaleString"]) {
      expect(resultOf(t, `typeof ${expr}`), expr).toBe('="undefined"');
    }
  });

  it("while what the device has stays", () => {
    expect(resultOf(t, "[typeof ''.padStart, typeof ''.replaceAll, typeof [].includes, typeof new Date().toISOString, typeof Object.fromEntries]")).toBe(
      '=[ "function", "function", "function", "function", "function" ]',
    );
  });
});

describe("queued events", () => {
  const t = bootBoard("LINUX");
  afterAll(() => t.board.dispose());

  it("run before a timer that is due, as the device's loop handles events first", async () => {
    t.board.loadFromStorage("var val = 1; var foo = {}; foo.on('up', function () { val += 41; }); foo.emit('up'); setTimeout('seen = val', 0);", "events.js");
    await new Promise((r) => setTimeout(r, 30));
    expect(resultOf(t, "seen")).toBe("=42");
  });
});

describe("modules", () => {
  const t = bootBoard("LINUX");
  afterAll(() => t.board.dispose());

  it("`exports = x` sets what require returns, in module text and in the tool's function form", () => {
    t.type("Modules.addCached('asText', 'function B() { this.v = 7; } exports = B;')");
    expect(resultOf(t, "new (require('asText'))().v")).toBe("=7");
    t.type("Modules.addCached('asFn', function () { exports = { w: 8 }; })");
    expect(resultOf(t, "require('asFn').w")).toBe("=8");
    t.type("Modules.addCached('plain', function () { exports.z = 9; })");
    expect(resultOf(t, "require('plain').z")).toBe("=9");
  });
});
